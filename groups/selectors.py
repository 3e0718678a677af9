"""Reads of the governance data."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .enums import NO_LEVEL, PPC_MAILBOX, SOURCE_KEY, Kind, NoteKind, Status
from .models import (
    SPONSOR_LEVEL,
    STEERING_LEVEL,
    GovernanceGroup,
    Level,
    Mailbox,
    SourceNote,
    Workstream,
)
from .provenance import FactField

NON_GOVERNANCE_KINDS = {Kind.NON_GOVERNANCE, Kind.NON_GOVERNANCE_DELIVERY}


@dataclass(eq=False)  # nodes are compared by identity: a tree is not compared field by field
class TreeNode:
    """A group in the hierarchy with the groups beneath it."""

    group: GovernanceGroup
    next_meeting: object = None
    children: list["TreeNode"] = field(default_factory=list)
    # The steering group's children, one branch per workstream (empty for other groups).
    branches: list["Branch"] = field(default_factory=list)

    @property
    def apart(self):
        """Non-governance and replaced groups hang on their branch, but set apart."""
        return self.group.kind in NON_GOVERNANCE_KINDS or self.group.status == Status.REPLACED

    @property
    def parent_not_stated(self):
        return self.group.parent_id is None and not self.group.is_sponsor


@dataclass
class Branch:
    """One workstream's groups beneath the steering group."""

    workstream: Workstream | None
    nodes: list[TreeNode]


@dataclass
class Band:
    """A band of the diagram that is not its level's own ("Level 4 Sub groups"), with the
    groups it draws there."""

    title: str
    level_number: int | None
    groups: list[GovernanceGroup]


def _bands(groups) -> list[Band]:
    titles = sorted({g.band for g in groups if g.band})
    return [
        Band(
            title,
            int(found[1]) if (found := re.match(r"Level (\d)", title)) else None,
            sorted((g for g in groups if g.band == title), key=lambda g: g.short_name),
        )
        for title in titles
    ]


@dataclass
class OrgChart:
    sponsors: list[TreeNode]  # the top (Ofgem), each with the steering group beneath
    levels: list[Level]
    grid_levels: list[str]
    bands: list[Band]
    # Each workstream with (level label, its groups at that level) for every level.
    grid: list[tuple[Workstream | None, list[tuple[str, list[GovernanceGroup]]]]]


def _order(node: TreeNode):
    """Governance groups first, by level then name; those set apart last."""
    return (node.apart, node.group.level_number or 99, node.group.name)


def _branches(nodes, workstreams) -> list[Branch]:
    """``nodes`` grouped by workstream, in the workstreams' order; no workstream last."""
    by_workstream: dict[int | None, list[TreeNode]] = {}
    for node in nodes:
        by_workstream.setdefault(node.group.workstream_id, []).append(node)
    return [
        Branch(workstream, by_workstream[key])
        for workstream in [*workstreams, None]
        if (key := workstream.pk if workstream else None) in by_workstream
    ]


def org_chart(next_meetings: Mapping[int, object] | None = None) -> OrgChart:
    """The hierarchy as a tree: the sponsor, the steering group, then one branch per
    workstream with its groups and their groups beneath; and a level x workstream grid.

    ``next_meetings`` maps group pks to their next meeting, for the cards. Groups whose
    parent the source does not state hang under the steering group, in their workstream's
    branch, and say so. Four queries whatever the number of groups.
    """
    next_meetings = next_meetings or {}
    # The replacements through a queryset built once: without one, each group's related
    # manager would build today's status annotations anew (seconds at 2,200 groups).
    replaced_by = Prefetch("replaced_by", queryset=GovernanceGroup.objects.all())
    groups = list(GovernanceGroup.objects.for_directory().prefetch_related(replaced_by))
    levels = list(Level.objects.all())
    workstreams = list(Workstream.objects.all())
    nodes = {g.pk: TreeNode(g, next_meetings.get(g.pk)) for g in groups}
    placed = set()

    def attach(node, parent):
        parent.children.append(node)
        placed.add(node.group.pk)

    for node in nodes.values():
        parent = nodes.get(node.group.parent_id)
        if parent is not None and parent.group.pk != node.group.pk:
            attach(node, parent)
    sponsors = [n for n in nodes.values() if n.group.is_sponsor]
    steering = [n for n in nodes.values() if n.group.level_number == STEERING_LEVEL]
    top = steering[0] if steering else None
    for node in nodes.values():
        if node.group.pk not in placed and node not in sponsors and top and node is not top:
            attach(node, top)  # the parent is not stated: shown under the steering group
    for node in nodes.values():
        node.children.sort(key=_order)

    for node in steering:
        node.branches = _branches(node.children, workstreams)

    active = [g for g in groups if g.status != Status.REPLACED]
    bands = _bands(active)

    def column(group):
        """A group's column of the grid: its diagram band, else its level, else "NA"."""
        if group.band:
            return group.band
        return group.level.short_label if group.level_id else NO_LEVEL

    columns = [lv.short_label for lv in levels if lv.number > SPONSOR_LEVEL]
    columns += [band.title for band in bands]
    columns += [NO_LEVEL] if any(column(g) == NO_LEVEL for g in active) else []
    grid = []
    for workstream in [*workstreams, None]:
        in_workstream = [
            g for g in active if g.workstream_id == (workstream.pk if workstream else None)
        ]
        cells = [(label, [g for g in in_workstream if column(g) == label]) for label in columns]
        if any(groups for _, groups in cells):
            grid.append((workstream, cells))
    return OrgChart(sponsors=sponsors, levels=levels, grid_levels=columns, bands=bands, grid=grid)


def status_key() -> list[tuple[str, str]]:
    """The diagram's key: the source's five statuses (not "replaced" or "not stated")."""
    return [(status.value, status.label) for status in SOURCE_KEY]


def workstreams_with_groups():
    return Workstream.objects.select_related("mailbox").prefetch_related(
        Prefetch("groups", queryset=GovernanceGroup.objects.with_basics()),
        "groups__source_notes",
        "source_notes",
    )


def fallback_mailbox():
    """Where a query goes when nobody else is named for it: the PPC team."""
    return Mailbox.objects.filter(slug=PPC_MAILBOX).first()


def mailboxes_with_workstreams():
    return Mailbox.objects.prefetch_related("workstreams__source_notes")


def workstreams_without_mailbox():
    return Workstream.objects.filter(mailbox=None).prefetch_related("source_notes")


def programme_wide_notes(field: str):
    """Source notes on a fact of no one group or workstream (e.g. which mailbox each
    workstream owns)."""
    return SourceNote.objects.filter(group=None, workstream=None, field=field)


def source_notes_for_report():
    return SourceNote.objects.select_related("group", "workstream").order_by(
        "kind", "group__slug", "slug"
    )


# The rows of a group's page, and the field (a ``FactField``) each shows.
FACT_ROWS = {
    "name": FactField.NAME,
    "status": FactField.STATUS,
    "purpose": FactField.PURPOSE,
    "level": FactField.LEVEL,
    "kind": FactField.KIND,
    "workstream": FactField.WORKSTREAM,
    "parent": FactField.PARENT,
    "attendance": FactField.ATTENDANCE,
    "decision_making": FactField.DECISION_MAKING,
    "schedule": FactField.SCHEDULES,
}
# Inferences are marked in words by the ``provenance`` template tag, not by a marker.
MARKERS = {
    NoteKind.DIFFERENCE: "sources differ",
    NoteKind.SINGLE_SOURCE: "one source",
    NoteKind.CORRECTION: "typing error",
}


@dataclass(frozen=True)
class FactMarker:
    note: SourceNote
    label: str


def note_is_about(note, row: str) -> bool:
    """Whether a source note is about that row of a group's facts (by its ``field``)."""
    return note.field == FACT_ROWS.get(row, row)


def fact_markers(notes) -> dict[str, list[FactMarker]]:
    """For each row of a group's facts, markers of the source notes about it that say
    where the sources differ, speak once, or misspell (inferences have their own words)."""
    found: dict[str, list[FactMarker]] = {row: [] for row in FACT_ROWS}
    for note in notes:
        for row in FACT_ROWS:
            if note.kind in MARKERS and note_is_about(note, row):
                found[row].append(FactMarker(note, MARKERS[NoteKind(note.kind)]))
    return found


def status_is_inferred(notes) -> bool:
    return any(n.kind == NoteKind.INFERRED and n.field == FactField.STATUS for n in notes)
