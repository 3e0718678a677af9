from django import forms

from core.forms import SingleValueForm
from groups.models import GovernanceGroup

from .models import Constituency


class OrganisationSearchForm(SingleValueForm):
    organisation = forms.CharField(
        label="Your organisation",
        required=False,
        max_length=100,
        help_text="Part of its name is enough.",
    )


def constituency_from(slug: str) -> Constituency:
    """The constituency of ``slug``; a ``ValidationError`` that says what to give."""
    found = Constituency.objects.filter(slug=slug).first()
    if found is None:
        raise forms.ValidationError(
            f"There is no constituency {slug!r}: choose one listed at /constituencies/."
        )
    return found


class RepresentativesFilterForm(SingleValueForm):
    group = forms.CharField(required=False, max_length=100)
    constituency = forms.CharField(required=False, max_length=100)

    def clean_group(self):
        slug = self.cleaned_data["group"]
        if not slug:
            return None
        group = GovernanceGroup.objects.filter(slug=slug).first()
        if group is None:
            raise forms.ValidationError(f"There is no group {slug!r}: see /api/groups/.")
        return group

    def clean_constituency(self):
        slug = self.cleaned_data["constituency"]
        return constituency_from(slug) if slug else None


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Representatives file (CSV)",
        help_text="Columns: group, constituency, seats, role, name, organisation, from, to and "
        "optionally alternate_for. Dates as YYYY-MM-DD or DD/MM/YYYY. Saved from Excel as CSV "
        "(UTF-8 or not) is fine.",
    )


UNKNOWN_CONSTITUENCY = (
    "There is no constituency %(value)s: choose one from the list (see /constituencies/), or "
    "leave it out."
)


class ConstituencyChoiceForm(SingleValueForm):
    """Which constituency a participant is in, for a route that names their
    representatives."""

    constituency = forms.ChoiceField(
        label="Your constituency",
        required=False,
        error_messages={"invalid_choice": UNKNOWN_CONSTITUENCY},
    )

    def __init__(self, data=None, *args, constituencies, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.constituencies = {c.slug: c for c in constituencies}
        self.fields["constituency"].choices = [
            ("", "Not given"),
            *((c.slug, c.name) for c in self.constituencies.values()),
        ]

    def clean_constituency(self):
        return self.constituencies.get(self.cleaned_data["constituency"])
