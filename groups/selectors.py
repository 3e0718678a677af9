"""Reads of the governance data."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .enums import Kind, Status
from .models import DataVersion, GovernanceGroup, Level, Mailbox, SourceNote, Workstream

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def data_version_get() -> DataVersion:
    """The current data version, in one query; version 0 before anything is stored.

    Read on every public request, so it skips the ORM's query building: plain SQL on the
    primary key, the datetime converted as the ORM would.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {DataVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return DataVersion(version=0, changed_at=EPOCH)
    version, changed_at = row
    if not isinstance(changed_at, datetime):
        changed_at = parse_datetime(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=UTC)
    return DataVersion(pk=1, version=version, changed_at=changed_at)


def data_version_for(request) -> DataVersion:
    """The data version, read once per request however often it is asked for."""
    if not hasattr(request, "_data_version"):
        request._data_version = data_version_get()
    return request._data_version


NON_GOVERNANCE_KINDS = {Kind.NON_GOVERNANCE, Kind.NON_GOVERNANCE_DELIVERY}


@dataclass
class ChartNode:
    group: GovernanceGroup
    sub_groups: list[GovernanceGroup] = field(default_factory=list)


@dataclass
class ChartRow:
    key: str
    heading: str
    description: str
    nodes: list[ChartNode]


@dataclass
class OrgChart:
    rows: list[ChartRow]
    non_governance: list[GovernanceGroup]
    replaced: list[GovernanceGroup]
    grid_levels: list[str]
    grid: list[tuple[Workstream | None, list[list[GovernanceGroup]]]]


def org_chart() -> OrgChart:
    """The hierarchy level by level, and a level x workstream grid, in three queries."""
    groups = list(GovernanceGroup.objects.for_directory().prefetch_related("replaced_by"))
    levels = list(Level.objects.all())
    workstreams = list(Workstream.objects.all())

    active = [g for g in groups if g.status != Status.REPLACED]
    sub_groups = [g for g in active if g.kind == Kind.SUB_GROUP]
    rows = []
    for level in levels:
        nodes = [
            ChartNode(g, [s for s in sub_groups if s.parent_id == g.pk])
            for g in active
            if g.level_id == level.pk and g.kind in (Kind.SPONSOR, Kind.GOVERNANCE)
        ]
        rows.append(
            ChartRow(
                f"level-{level.number}",
                f"Level {level.number}: {level.title}",
                level.description,
                nodes,
            )
        )
    orphans = [s for s in sub_groups if not any(s in n.sub_groups for r in rows for n in r.nodes)]
    if orphans:
        rows.append(
            ChartRow("sub-groups", "Level 4: Sub groups", "", [ChartNode(s) for s in orphans])
        )

    grid_levels = [lv.number for lv in levels if lv.number >= 2] + [None]
    grid = []
    for workstream in [*workstreams, None]:
        in_workstream = [
            g for g in active if g.workstream_id == (workstream.pk if workstream else None)
        ]
        cells = [
            [g for g in in_workstream if (g.level.number if g.level_id else None) == number]
            for number in grid_levels
        ]
        if any(cells):
            grid.append((workstream, cells))
    return OrgChart(
        rows=rows,
        non_governance=[g for g in active if g.kind in NON_GOVERNANCE_KINDS],
        replaced=[g for g in groups if g.status == Status.REPLACED],
        grid_levels=[f"Level {n}" if n else "No level (NA)" for n in grid_levels],
        grid=grid,
    )


def status_key() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Status.choices]


def workstreams_with_groups():
    return Workstream.objects.select_related("mailbox").prefetch_related(
        Prefetch("groups", queryset=GovernanceGroup.objects.with_basics())
    )


def mailboxes_with_workstreams():
    return Mailbox.objects.prefetch_related("workstreams")


def source_notes_for_report():
    return SourceNote.objects.select_related("group").order_by("kind", "group__slug", "slug")
