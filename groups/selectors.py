"""Reads of the governance data."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .enums import NO_LEVEL, Kind, Status
from .models import SPONSOR_LEVEL, GovernanceGroup, Level, Mailbox, SourceNote, Workstream

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
    replaced: list[GovernanceGroup] = field(default_factory=list)  # shown after the row


@dataclass
class OrgChart:
    rows: list[ChartRow]
    non_governance: list[GovernanceGroup]
    grid_levels: list[str]
    grid: list[tuple[Workstream | None, list[list[GovernanceGroup]]]]


def org_chart() -> OrgChart:
    """The hierarchy level by level, and a level x workstream grid, in three queries."""
    groups = list(GovernanceGroup.objects.for_directory().prefetch_related("replaced_by"))
    levels = list(Level.objects.all())
    workstreams = list(Workstream.objects.all())

    active = [g for g in groups if g.status != Status.REPLACED]
    replaced = [g for g in groups if g.status == Status.REPLACED]
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
                level.label,
                level.description,
                nodes,
                replaced=[g for g in replaced if g.level_id == level.pk],
            )
        )
    orphans = [s for s in sub_groups if not any(s in n.sub_groups for r in rows for n in r.nodes)]
    if orphans:
        rows.append(
            ChartRow("sub-groups", "Level 4: Sub groups", "", [ChartNode(s) for s in orphans])
        )

    grid_levels = [lv for lv in levels if lv.number > SPONSOR_LEVEL] + [None]
    grid = []
    for workstream in [*workstreams, None]:
        in_workstream = [
            g for g in active if g.workstream_id == (workstream.pk if workstream else None)
        ]
        cells = [
            [g for g in in_workstream if g.level_id == (level.pk if level else None)]
            for level in grid_levels
        ]
        if any(cells):
            grid.append((workstream, cells))
    return OrgChart(
        rows=rows,
        non_governance=[g for g in active if g.kind in NON_GOVERNANCE_KINDS],
        grid_levels=[level.short_label if level else NO_LEVEL for level in grid_levels],
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
