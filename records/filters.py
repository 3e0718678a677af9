import django_filters
from django import forms
from django.db.models import Q

from core.forms import SingleValueForm
from groups.filters import NO_SUCH_WORKSTREAM
from groups.models import GovernanceGroup, Workstream
from meetings.enums import MAX_YEAR, MIN_YEAR

from .enums import ActionStatus, DecisionStatus
from .models import Action, Decision

NO_SUCH_GROUP = "There is no such group: choose one from the list."


def deciding_groups():
    return GovernanceGroup.objects.filter(decision_making=True).order_by("name")


class DecisionFilterSet(django_filters.FilterSet):
    """The decision register, narrowed by group, workstream, year, status and words."""

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        help_text="Words in the reference, title, summary or rationale.",
    )
    group = django_filters.ModelChoiceFilter(
        queryset=deciding_groups(),
        to_field_name="slug",
        empty_label="Any group",
        error_messages={"invalid_choice": NO_SUCH_GROUP},
    )
    workstream = django_filters.ModelChoiceFilter(
        field_name="group__workstream",
        queryset=Workstream.objects.order_by("order"),
        to_field_name="slug",
        empty_label="Any workstream",
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )
    year = django_filters.NumberFilter(
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": "Give a year as four digits, e.g. 2027.",
            "min_value": f"Give a year from {MIN_YEAR} to {MAX_YEAR}.",
            "max_value": f"Give a year from {MIN_YEAR} to {MAX_YEAR}.",
        },
    )
    status = django_filters.ChoiceFilter(
        choices=DecisionStatus.choices,
        empty_label="Any status",
        error_messages={
            "invalid_choice": "There is no status %(value)s: choose one from the list."
        },
    )

    class Meta:
        model = Decision
        fields = ["q", "group", "workstream", "year", "status"]
        form = SingleValueForm

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(rationale__icontains=word)
            )
        return queryset


class ActionFilterSet(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(
        field_name="record__group",
        queryset=GovernanceGroup.objects.order_by("name"),
        to_field_name="slug",
        error_messages={"invalid_choice": NO_SUCH_GROUP},
    )
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices,
        error_messages={"invalid_choice": "An action's status is open or closed."},
    )

    class Meta:
        model = Action
        fields = ["group", "status"]
        form = SingleValueForm
