from django import forms

from core import clock
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


class CancelMeetingForm(forms.Form):
    """Cancel one meeting, already chosen from its group's list: only the note is asked."""

    note = forms.CharField(
        max_length=300,
        required=False,
        label="Note (optional)",
        help_text="Shown with the cancelled meeting in the calendar and its feed, e.g. why.",
    )


class MoveMeetingForm(forms.Form):
    """Move one meeting, already chosen from its group's list: its new date and times."""

    date = forms.DateField(
        label="New date",
        help_text="UK date.",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    start = forms.TimeField(
        label="Starts at",
        help_text="UK time.",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    end = forms.TimeField(
        label="Ends at",
        help_text="UK time.",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Note (optional)",
        help_text="Shown with the moved meeting in the calendar and its feed.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = clock.today()
        if day < today:
            raise forms.ValidationError(
                f"Choose {today:%-d %B %Y} or a later date: a meeting is not moved into the past."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "The meeting must end after it starts.")
        return cleaned
