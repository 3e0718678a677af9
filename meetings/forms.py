from django import forms

from core.forms import SingleValueForm
from groups.filters import NO_SUCH_WORKSTREAM
from groups.models import GovernanceGroup, Workstream


class CalendarFilterForm(SingleValueForm):
    workstream = forms.ModelChoiceField(
        queryset=Workstream.objects.order_by("order"),
        to_field_name="slug",
        required=False,
        empty_label="All workstreams",
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )


class FeedGroupsForm(SingleValueForm):
    groups = forms.CharField(
        max_length=500,
        required=False,
        help_text="Group slugs separated by commas, e.g. psg,sitwg.",
    )

    def clean_groups(self):
        """The slugs asked for, once each and in order; None (every group) when absent."""
        raw = self.cleaned_data["groups"]
        if "groups" not in self.data:
            return None
        slugs = sorted({s.strip().lower() for s in raw.split(",") if s.strip()})
        if not slugs:
            raise forms.ValidationError("Give at least one group slug, e.g. psg,sitwg.")
        known = set(GovernanceGroup.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [s for s in slugs if s not in known]
        if unknown:
            raise forms.ValidationError(f"Unknown group(s): {', '.join(unknown)}.")
        return slugs


class MyCalendarForm(forms.Form):
    """The groups a participant follows, ticked on /my-calendar/ (``?groups=a&groups=b``)."""

    groups = forms.MultipleChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no group %(value)s: choose from the list."},
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [(g.slug, g.display_name) for g in groups]

    def clean_groups(self):
        return sorted(set(self.cleaned_data["groups"]))
