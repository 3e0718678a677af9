from functools import partial
from html import escape

from django import forms
from django.core.validators import slug_re
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe

from core import clock
from core.forms import SingleValueForm
from groups.enums import NO_LEVEL
from groups.filters import NO_SUCH_WORKSTREAM
from groups.models import GovernanceGroup, Level
from records.models import Decision
from records.selectors import decision_by_reference

from .enums import KIND_HELP, RouteKind
from .routes import TOPICS, UNKNOWN_WORKSTREAM, group_by_slug

# The question a participant asks, in their words; the value is the route's kind.
WHAT_TO_DO = {
    RouteKind.FORMAL: "Challenge a decision",
    RouteKind.INFORMAL: "Raise a concern about activity or approach",
    RouteKind.QUERY: "Ask a question",
}
NO_SUCH_GROUP = "There is no group %(value)s: choose one from the list."


def group_choices(rows):
    """Groups for a select, grouped by level: ``rows`` of (slug, name, acronym, level
    number, level title), by level then name, as ``form_choices`` reads them."""
    headings = {(None, None): NO_LEVEL}  # each level's heading, worded by ``Level.label``
    grouped: dict[str, list] = {}
    for slug, name, acronym, number, title in rows:
        if (number, title) not in headings:
            headings[number, title] = Level(number=number, title=title).label
        label = GovernanceGroup.name_with_acronym(name, acronym)
        grouped.setdefault(headings[number, title], []).append((slug, label))
    return [("", "I don't know, or any group")] + list(grouped.items())


class GroupSelect(forms.Select):
    """Django's select, the same markup written in Python (escaped as Django escapes):
    with a group per option, the stock widget's templates cost more than the rest of the
    page. Its choices are read only when it is drawn (``ReadOnce``)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = self.format_value(value)
        out = [f'<select name="{escape(name)}"{_attrs(attrs)}>']
        has_selected = False
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                out.append(f'\n  <optgroup label="{escape(str(group_value))}">')
                options = group_label
            else:
                options = [(group_value, group_label)]
            for option_value, option_label in options:
                option_value = "" if option_value is None else str(option_value)
                selected = not has_selected and option_value in chosen
                has_selected |= selected
                out.append(
                    f'\n  <option value="{escape(option_value)}"'
                    f"{' selected' if selected else ''}>{escape(str(option_label))}</option>\n"
                )
            if isinstance(group_label, (list, tuple)):
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


class ReadOnce(BaseChoiceIterator):
    """Choices read from ``read`` (a callable giving them normalised) when first iterated,
    then kept: ``Select`` iterates them to decide on ``required`` and again to draw them."""

    def __init__(self, read):
        self.read = read
        self.found = None

    def __iter__(self):
        if self.found is None:
            self.found = self.read()
        yield from self.found


def _attrs(attrs) -> str:
    """Attributes as Django's ``attrs.html`` writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


BAD_TOPIC = (
    "There is no topic %(value)s: choose "
    + ", ".join(TOPICS)
    + " (the specialist mailboxes the source's Contact Us list gives), or leave it out."
)


class RouteForm(SingleValueForm):
    workstream = forms.ChoiceField(
        label="What is it about?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )
    kind = forms.ChoiceField(
        label="What do you want to do?",
        choices=[(k.value, WHAT_TO_DO[k]) for k in RouteKind],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to do"},
    )
    topic = forms.ChoiceField(
        label="If you have a question, is it about one of these? (optional)",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": BAD_TOPIC},
    )
    # A slug, checked by reading that group alone (``clean_group``); the select's choices,
    # every group, are read only when the form is drawn, never for the JSON answer.
    group = forms.Field(
        label="Which group is it about? (optional)", required=False, widget=GroupSelect
    )
    decision = forms.CharField(
        label="Decision reference (optional)",
        required=False,
        max_length=40,
        help_text="From the decision register, e.g. PSG-2027-001.",
    )
    constituency = forms.ChoiceField(
        label="Your constituency (optional)",
        required=False,
        error_messages={
            "invalid_choice": "There is no constituency %(value)s: choose one from the list "
            "(see /constituencies/), or leave it out."
        },
    )

    def __init__(
        self, data=None, *args, groups, workstreams, mailboxes, constituencies=(), **kwargs
    ):
        """``groups``: every group as (slug, name, acronym, level number, level title) rows,
        by level then name, read only when the select is drawn (``form_choices``);
        ``mailboxes``: every mailbox by slug (the topics are those among them);
        ``constituencies``: every constituency (a route then names its representatives).

        A decision reference alone asks how to challenge that decision: the kind is formal.
        """
        if data is not None and data.get("decision") and not data.get("kind"):
            data = data.copy()
            data["kind"] = RouteKind.FORMAL.value
        super().__init__(data, *args, **kwargs)
        self.fields["group"].widget.choices = ReadOnce(partial(group_choices, groups))
        self.fields["workstream"].choices = [
            *((w.slug, w.name) for w in workstreams),
            (UNKNOWN_WORKSTREAM, "I don't know"),
        ]
        self.fields["topic"].choices = [
            ("", "None of these, or not sure"),
            *((slug, label) for slug, label in TOPICS.items() if slug in mailboxes),
        ]
        self.topic_mailboxes = {slug: mailboxes[slug] for slug in TOPICS if slug in mailboxes}
        self.hints = {k.value: KIND_HELP[k] for k in RouteKind}
        self.constituencies = {c.slug: c for c in constituencies}
        self.fields["constituency"].choices = [
            ("", "Not given"),
            *((c.slug, c.name) for c in self.constituencies.values()),
        ]

    def clean_constituency(self):
        return self.constituencies.get(self.cleaned_data["constituency"])

    def clean_group(self):
        """The group of the slug given, read alone; None where none is given."""
        slug = self.cleaned_data["group"]
        if slug in self.fields["group"].empty_values:
            return None
        group = group_by_slug(slug) if slug_re.fullmatch(slug) else None
        if group is None:
            raise forms.ValidationError(
                NO_SUCH_GROUP, code="invalid_choice", params={"value": slug}
            )
        return group

    def clean_decision(self):
        reference = self.cleaned_data["decision"].strip().upper()
        if not reference:
            return None
        try:
            return decision_by_reference(reference, now=clock.now())
        except Decision.DoesNotExist:
            raise forms.ValidationError(
                f"There is no published decision {reference}: check the reference in the "
                "decision register (references look like PSG-2027-001)."
            ) from None

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision is not None:
            if cleaned.get("kind") and cleaned["kind"] != RouteKind.FORMAL:
                self.add_error("kind", "A decision is challenged through the formal route.")
            cleaned["group"] = decision.group
        if cleaned.get("topic") and cleaned.get("kind") not in (None, RouteKind.QUERY):
            self.add_error(
                "topic",
                'A topic is for a question: choose "Ask a question", or leave the topic out.',
            )
        about = cleaned.get("group") or cleaned.get("workstream") or cleaned.get("topic")
        asked = ("group", "workstream", "decision", "topic")
        if not about and not any(name in self.errors for name in asked):
            self.add_error("workstream", "Choose what it is about, or the group")
        return cleaned
