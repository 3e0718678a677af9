import django_filters
from django.db.models import Q

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


class ChangeFilterSet(django_filters.FilterSet):
    """The change log, narrowed to a group or a workstream (and, for the JSON, a time).

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

    class Meta:
        model = ChangeEntry
        fields = ["group", "workstream"]
        form = SingleValueForm

    def filter_group(self, queryset, name, value):
        return queryset.for_group(value.slug)

    def filter_workstream(self, queryset, name, value):
        return queryset.for_workstream(value.slug)


class ChangeSinceFilterSet(ChangeFilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="visible_at",
        lookup_expr="gt",
        help_text="ISO 8601, e.g. 2026-11-26T09:00:00+00:00: changes that became visible "
        "after this time.",
    )

    class Meta(ChangeFilterSet.Meta):
        fields = ["since", "group", "workstream"]
