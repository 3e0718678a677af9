from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from changelog.kinds import Category
from changelog.models import ChangeEntry
from core.forms import SingleValueForm

from .enums import NO_LEVEL, Attendance, Status
from .models import GovernanceGroup, Level, Workstream

NO_LEVEL_VALUE = "na"
NO_SUCH_WORKSTREAM = "There is no such workstream: choose one from the list."
YES_NO = [("true", "Yes"), ("false", "No")]


def level_choices():
    """The levels stored in the Level table, then "no level"; read when a form is built."""
    return [
        *((str(level.number), level.short_label) for level in Level.objects.all()),
        (NO_LEVEL_VALUE, NO_LEVEL),
    ]


class GroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        help_text="Words in the name, acronym, purpose or attendees.",
    )
    level = django_filters.ChoiceFilter(
        choices=level_choices,
        method="filter_level",
        empty_label="Any level",
        error_messages={"invalid_choice": "There is no level %(value)s: choose one from the list."},
    )
    workstream = django_filters.ModelChoiceFilter(
        queryset=Workstream.objects.order_by("order"),
        to_field_name="slug",
        empty_label="Any workstream",
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        field_name="status_today",
        label="Status",
        help_text="The status that holds today.",
        empty_label="Any status",
        error_messages={
            "invalid_choice": "There is no status %(value)s: choose one from the list."
        },
    )
    attendance = django_filters.ChoiceFilter(
        choices=Attendance.choices,
        empty_label="Any",
        error_messages={
            "invalid_choice": "Attendance is open or closed: choose one from the list."
        },
    )
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
        if value == NO_LEVEL_VALUE:
            return queryset.filter(level__isnull=True)
        return queryset.filter(level__number=int(value))

    def filter_decision_making(self, queryset, name, value):
        return queryset.filter(decision_making=(value == "true"))


# The days the change log can be filtered by: any the directory could have a change on.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_EXAMPLE = "26/11/2026"


class UKDateField(forms.DateField):
    """A day as a participant types it (26/11/2026, 26 November 2026) or a date input sends
    it (2026-11-26), from 2000 to 2100, with an error that says how to write it."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
    widget = forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"})

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", self.input_formats)
        super().__init__(**kwargs)
        self.widget.format = "%Y-%m-%d"  # what a date input reads back

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            given = str(value)[:40]
            raise forms.ValidationError(
                f"“{given}” is not a date: enter a real date as day, month and year, "
                f"like {DATE_EXAMPLE}.",
                code="invalid",
            ) from None

    def bound_data(self, data, initial):
        """A date given as 26/11/2026 shown back as a date input reads it (2026-11-26); one
        that is no date is left out (a date input holds only dates: the error quotes it)."""
        try:
            return super().to_python(data)
        except forms.ValidationError:
            return None

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                f"Enter a date from {FIRST_DAY:%-d/%-m/%Y} to {LAST_DAY:%-d/%-m/%Y}."
            )


class UKDateFilter(django_filters.Filter):
    field_class = UKDateField


def _uk_midnight(day: date) -> datetime:
    """The start of ``day`` in UK time."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class ChangeFilterForm(SingleValueForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error(
                "to_date", f"The “to” date is before the “from” date ({start:%-d/%-m/%Y})."
            )
        return cleaned


class ChangeFilterSet(django_filters.FilterSet):
    """The change log, narrowed to a group or a workstream, a category of change and a
    range of days (UK days, both ends included); for the JSON, a time too.

    A group and a workstream are chosen from those stored now; entries name theirs by the
    slug they had when written."""

    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=GovernanceGroup.objects.order_by("name"),
        to_field_name="slug",
        method="filter_group",
        empty_label="Any group",
        error_messages={"invalid_choice": "There is no such group: choose one from the list."},
    )
    workstream = django_filters.ModelChoiceFilter(
        label="Workstream",
        queryset=Workstream.objects.order_by("order"),
        to_field_name="slug",
        method="filter_workstream",
        empty_label="Any workstream",
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )
    category = django_filters.ChoiceFilter(
        label="What changed",
        choices=Category.choices,
        method="filter_category",
        empty_label="Any change",
        error_messages={
            "invalid_choice": "There is no such kind of change: choose one from the list."
        },
    )
    from_date = UKDateFilter(label="From (UK date)", method="filter_from")
    to_date = UKDateFilter(label="To (UK date, included)", method="filter_to")

    class Meta:
        model = ChangeEntry
        fields = ["group", "workstream", "category", "from_date", "to_date"]
        form = ChangeFilterForm

    def filter_group(self, queryset, name, value):
        return queryset.for_group(value.slug)

    def filter_workstream(self, queryset, name, value):
        return queryset.for_workstream(value.slug)

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_from(self, queryset, name, value):
        return queryset.filter(visible_at__gte=_uk_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(visible_at__lt=_uk_midnight(value + timedelta(days=1)))


class ChangeSinceFilterSet(ChangeFilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="visible_at",
        lookup_expr="gt",
        help_text="ISO 8601, e.g. 2026-11-26T09:00:00+00:00: changes that became visible "
        "after this time.",
    )

    class Meta(ChangeFilterSet.Meta):
        fields = ["since", "group", "workstream", "category", "from_date", "to_date"]
