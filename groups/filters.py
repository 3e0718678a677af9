import django_filters
from django import forms
from django.db.models import Q

from .enums import Attendance, Status
from .models import GovernanceGroup, Workstream

LEVEL_CHOICES = [
    ("1", "Level 1"),
    ("2", "Level 2"),
    ("3", "Level 3"),
    ("4", "Level 4"),
    ("na", "No level (NA)"),
]
YES_NO = [("true", "Yes"), ("false", "No")]


class SingleValueForm(forms.Form):
    """Refuses a filter given more than once, rather than silently using one value."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(
                    name, f"Give {name} once; it was given {len(self.data.getlist(name))} times."
                )
        return cleaned


class GroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        help_text="Words in the name, acronym, purpose or attendees.",
    )
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES, method="filter_level", empty_label="Any level"
    )
    workstream = django_filters.ModelChoiceFilter(
        queryset=Workstream.objects.order_by("order"),
        to_field_name="slug",
        empty_label="Any workstream",
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    attendance = django_filters.ChoiceFilter(choices=Attendance.choices, empty_label="Any")
    decision_making = django_filters.ChoiceFilter(
        label="Decision-making",
        choices=YES_NO,
        method="filter_decision_making",
        empty_label="Any",
    )

    class Meta:
        model = GovernanceGroup
        fields = ["q", "level", "workstream", "status", "attendance", "decision_making"]
        form = SingleValueForm

    def filter_queryset(self, queryset):
        """Replaced groups are left out unless a status is asked for."""
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Status.REPLACED)
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(acronym__icontains=word)
                | Q(purpose__icontains=word)
                | Q(attendees__icontains=word)
            )
        return queryset

    def filter_level(self, queryset, name, value):
        if value == "na":
            return queryset.filter(level__isnull=True)
        return queryset.filter(level__number=int(value))

    def filter_decision_making(self, queryset, name, value):
        return queryset.filter(decision_making=(value == "true"))
