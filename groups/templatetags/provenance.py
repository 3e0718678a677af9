"""How every page marks where a fact comes from: one tag for an inferred fact (or one set
by the programme office), one filter for the source's typing errors."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from groups.provenance import INFERRED_LEAD, SIC, Source, typos_in

register = template.Library()


@register.inclusion_tag("includes/provenance.html")
def provenance(subject, field=None, *, link=True):
    """The mark of ``subject``'s inferred facts, in plain words: "Not stated in the
    source: we assume …", each assumption linking to its reason (``link=False`` inside a
    link, such as a card). With ``field``, that fact only, or "Set by the programme office
    on …" where the programme office set it; without, every inferred fact of the group
    (a card, a directory row). Nothing for a fact the source states."""
    found = subject.inferences if field is None else [subject.provenance(field)]
    return {
        "lead": INFERRED_LEAD,
        "inferred": [p for p in found if p.inferred],
        "set": [p for p in found if p.source == Source.PROGRAMME_OFFICE],
        "link": link,
    }


@register.filter(is_safe=True)
def sic(text):
    """The source's words as written, each typing error followed by a "[sic]" mark that
    says the likely meaning to assistive technology and on hover."""
    text = "" if text is None else str(text)
    typos = typos_in(text)
    if not typos:
        return conditional_escape(text)
    parts, at = [], 0
    for typo in typos:
        parts.append(conditional_escape(text[at : typo.end]))
        parts.append(
            format_html(
                ' <span class="sic" title="As the source writes it; likely “{}”">{}'
                '<span class="visually-hidden"> (as the source writes it; likely “{}”)'
                "</span></span>",
                typo.meaning,
                SIC,
                typo.meaning,
            )
        )
        at = typo.end
    parts.append(conditional_escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


@register.filter
def provenance_of(subject, field):
    """``subject.provenance(field)`` in a template: where that fact comes from."""
    return subject.provenance(field)


# The words of a source note's marker on the calendar's monthly pattern.
PATTERN_MARKERS = {"difference": "sources differ", "inferred": "inferred"}


@register.filter
def pattern_marker(note):
    """The words of ``note``'s marker on the monthly pattern ("one source" for a fact that
    only one source states)."""
    return PATTERN_MARKERS.get(note.kind, "one source")
