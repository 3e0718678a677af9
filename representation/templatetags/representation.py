from django import template

from representation.selectors import contact_mailto, representative_subject

register = template.Library()


@register.simple_tag
def representative_mailto(pmo, membership, seat) -> str:
    """A mailto: link to the PMO with a subject naming the representative."""
    return contact_mailto(pmo.address, representative_subject(membership, seat))
