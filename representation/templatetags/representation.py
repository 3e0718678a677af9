import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from representation.selectors import contact_mailto, representative_subject

register = template.Library()


@register.simple_tag
def representative_mailto(pmo, membership, seat) -> str:
    """A mailto: link to the PMO with a subject naming the representative."""
    return contact_mailto(pmo.address, representative_subject(membership, seat))


@register.filter
def described_by(field, hint_id: str):
    """The field's widget, described by the hint ``hint_id`` and, when the field has errors,
    by its error paragraph (``<auto_id>_error``, the id Django itself would point to)."""
    ids = [hint_id, *([f"{field.auto_id}_error"] if field.errors else [])]
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)})


REPRESENTATIVE_PHRASE = re.compile(r"\b(constituency representatives?)\b", re.IGNORECASE)


@register.filter
def link_representatives(text):
    """``text``, escaped, with each "constituency representative(s)" linked to the
    constituencies' list (who represents whom)."""
    url = reverse("representation:constituencies")
    escaped = str(conditional_escape(text))
    return mark_safe(REPRESENTATIVE_PHRASE.sub(rf'<a href="{url}">\1</a>', escaped))  # noqa: S308
