"""Integrity checks over the stored governance data."""

from django.utils.text import slugify

from .models import GovernanceGroup


def expected_slug(group: GovernanceGroup) -> str:
    """SPEC's slug: the lower-cased acronym ("/" becomes "-"), else the slugified name."""
    if group.acronym:
        return slugify(group.acronym.replace("/", "-"))
    return slugify(group.name)
