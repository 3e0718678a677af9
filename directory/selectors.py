"""Reads of the composition layer: the data version, and a group's whole page."""

from datetime import UTC, datetime

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from changelog.models import ChangeEntry
from core import clock
from escalations.enums import RouteKind
from escalations.routes import RouteData, escalation_route
from groups.enums import Status
from groups.models import GovernanceGroup, StatusChange
from groups.selectors import fact_markers, org_chart, status_is_inferred
from meetings.models import MeetingSeries
from meetings.selectors import group_next_meetings, next_meeting_by_group, regular_series_prefetch
from records.selectors import group_meetings, open_actions, recent_decisions

from .models import DataVersion

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def data_version_get() -> DataVersion:
    """The current data version, in one query; version 0 before anything is stored.

    Read on every public request, so it skips the ORM's query building: plain SQL on the
    primary key, the datetime converted as the ORM would. It carries ``last_visible_at``,
    when the newest change-log entry public now became visible: an entry recorded for later
    changes no version when its time comes, so the page cache keys on this too.
    """
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, changed_at, facts_loaded_at, (SELECT MAX(visible_at) FROM "
            f"{ChangeEntry._meta.db_table} WHERE visible_at <= %s) "
            f"FROM {DataVersion._meta.db_table} WHERE id = 1",
            [now],
        )
        row = cursor.fetchone()
    if row is None:
        data_version = DataVersion(version=0, changed_at=EPOCH)
        data_version.last_visible_at = None
        return data_version
    version, changed_at, facts_loaded_at, last_visible_at = row
    data_version = DataVersion(
        pk=1,
        version=version,
        changed_at=_aware(changed_at),
        facts_loaded_at=_aware(facts_loaded_at) if facts_loaded_at else None,
    )
    data_version.last_visible_at = _aware(last_visible_at) if last_visible_at else None
    return data_version


def _aware(value) -> datetime:
    """A datetime read by plain SQL, as the ORM would convert it."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def data_version_for(request) -> DataVersion:
    """The data version, read once per request however often it is asked for."""
    if not hasattr(request, "_data_version"):
        request._data_version = data_version_get()
    return request._data_version


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


def _meetings_summary(group, *, now) -> dict:
    """The group page's part of its meetings list: the next few and the latest few."""
    meetings = group_meetings(group, now=now)
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
    routes = RouteData.load()
    next_meetings = group_next_meetings(group, now=now)
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
        "meetings": _meetings_summary(group, now=now),
        "open_actions": list(open_actions(group=group)),
        "recent_decisions": recent_decisions(group, now=now),
        "formal_route": escalation_route(data=routes, group=group, kind=RouteKind.FORMAL),
        "query_route": escalation_route(data=routes, group=group, kind=RouteKind.QUERY),
    }
