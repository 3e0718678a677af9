"""Reads of the composition layer: a group's whole page, groups with their next meetings."""

from django.db.models import Prefetch
from django.utils import timezone

from changelog.models import ChangeEntry
from escalations.enums import RouteKind
from escalations.routes import RouteData, escalation_route
from groups.enums import Status
from groups.models import GovernanceGroup, StatusChange
from groups.selectors import fact_markers, org_chart, status_is_inferred
from meetings.models import MeetingSeries
from meetings.selectors import next_meeting_by_group, regular_series_prefetch
from records.selectors import group_meetings, open_actions, recent_decisions

RECENT_CHANGES = 5


def with_next_meetings(groups, *, now) -> list:
    """(group, its next meeting or None) for each of ``groups``, in constant queries."""
    nexts = next_meeting_by_group(now=now)
    return [(group, nexts.get(group.pk)) for group in groups]


def org_chart_with_next_meetings(*, now):
    """The org chart, each group's card knowing when the group next meets."""
    return org_chart(next_meeting_by_group(now=now))


def current_series_prefetch(today):
    """A group's schedules in force on ``today`` (not those a schedule change ended)."""
    return Prefetch("series", queryset=MeetingSeries.objects.current(today))


def groups_with_schedules(*, today):
    """The directory's groups, each with its current schedules (the list, JSON and CSV)."""
    return GovernanceGroup.objects.for_directory().prefetch_related(current_series_prefetch(today))


def group_for_page(slug: str, *, today) -> GovernanceGroup:
    """One group with everything its page shows, in a fixed number of queries.

    Raises ``GovernanceGroup.DoesNotExist`` for an unknown slug.
    """
    return (
        GovernanceGroup.objects.with_basics()
        .prefetch_related(
            Prefetch("children", queryset=GovernanceGroup.objects.order_by("name")),
            "children__source_notes",
            current_series_prefetch(today),
            regular_series_prefetch(),
            "one_off_meetings",
            "replaced_by",
            "replaces",
            "source_notes",
            "deadline_policies",
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
        )
        .get(slug=slug)
    )


MEETINGS_SHOWN = 3


def _meetings_summary(meetings) -> dict:
    """The group page's part of its meetings list: the next few and the latest few."""
    return {
        "upcoming": meetings.upcoming[:MEETINGS_SHOWN],
        "past": meetings.past[:MEETINGS_SHOWN],
        "past_count": len(meetings.past),
        "deadline_note": meetings.deadline_note,
    }


def no_meetings_reason(group) -> str:
    """Why a group has no meetings to subscribe to, in place of the Subscribe button."""
    if group.status == Status.REPLACED:
        return f"{group.short_name} was replaced, so it holds no meetings: see the groups above."
    return (
        f"{group.short_name} has no meetings scheduled: its status is "
        f"“{group.get_status_display()}”. Its meetings will appear here, and in the calendar "
        "feeds, when the programme office schedules them."
    )


def group_page_context(group: GovernanceGroup, *, now) -> dict:
    """What a group's page shows beside the group: where it sits, when it meets, routes."""
    routes = RouteData.around(kind=RouteKind.FORMAL, groups=[group])  # and the query's
    meetings = group_meetings(group, now=now)  # the schedule expanded once
    next_meetings = meetings.next
    notes = list(group.source_notes.all())
    return {
        "markers": fact_markers(notes),
        "held_slots": [s for s in group.regular_series if s.held_slot],
        "status_inferred": status_is_inferred(notes),
        "next_meeting_when": next_meetings[0].when(timezone.localdate(now))
        if next_meetings
        else "",
        "no_feed_reason": "" if next_meetings else no_meetings_reason(group),
        "recent_changes": list(
            ChangeEntry.objects.visible(now).for_group(group.slug)[:RECENT_CHANGES]
        ),
        "breadcrumb": list(reversed(group.ancestors(routes.groups))),
        "next_meetings": next_meetings,
        "meetings": _meetings_summary(meetings),
        "open_actions": list(open_actions(group=group)),
        "recent_decisions": recent_decisions(group, now=now),
        "formal_route": escalation_route(data=routes, group=group, kind=RouteKind.FORMAL),
        "query_route": escalation_route(data=routes, group=group, kind=RouteKind.QUERY),
    }
