"""Reads of the governance data."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .enums import NO_LEVEL, PPC_MAILBOX, Kind, NoteKind, Status
from .models import (
    SPONSOR_LEVEL,
    STEERING_LEVEL,
    GovernanceGroup,
    Level,
    Mailbox,
    SourceNote,
    Workstream,
)

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
class OrgChart:
    sponsors: list[TreeNode]  # the top (Ofgem), each with the steering group beneath
    levels: list[Level]
    grid_levels: list[str]
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
    groups = list(GovernanceGroup.objects.for_directory().prefetch_related("replaced_by"))
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
    grid_levels = [lv for lv in levels if lv.number > SPONSOR_LEVEL] + [None]
    grid = []
    for workstream in [*workstreams, None]:
        in_workstream = [
            g for g in active if g.workstream_id == (workstream.pk if workstream else None)
        ]
        cells = [
            (
                level.short_label if level else NO_LEVEL,
                [g for g in in_workstream if g.level_id == (level.pk if level else None)],
            )
            for level in grid_levels
        ]
        if any(groups for _, groups in cells):
            grid.append((workstream, cells))
    return OrgChart(
        sponsors=sponsors,
        levels=levels,
        grid_levels=[level.short_label if level else NO_LEVEL for level in grid_levels],
        grid=grid,
    )


def status_key() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Status.choices]


def workstreams_with_groups():
    return Workstream.objects.select_related("mailbox").prefetch_related(
        Prefetch("groups", queryset=GovernanceGroup.objects.with_basics())
    )


def fallback_mailbox():
    """Where a query goes when nobody else is named for it: the PPC team."""
    return Mailbox.objects.filter(slug=PPC_MAILBOX).first()


def mailboxes_with_workstreams():
    return Mailbox.objects.prefetch_related("workstreams")


def source_notes_for_report():
    return SourceNote.objects.select_related("group").order_by("kind", "group__slug", "slug")


# Which row of a group's facts a source note is about, by the words of its "fact".
FACT_ROWS = {
    "name": ("name", "the group"),
    "status": ("status",),
    "purpose": ("purpose",),
    "level": ("level",),
    "kind": ("kind",),
    "workstream": ("workstream",),
    "parent": ("parent",),
    "attendance": ("attendance",),
    "decision_making": ("decision-making",),
    "schedule": ("meeting", "schedule", "webinar"),
    "workstream name": ("workstream name",),
}
MARKERS = {
    NoteKind.DIFFERENCE: "sources differ",
    NoteKind.SINGLE_SOURCE: "one source",
    NoteKind.INFERRED: "inferred",
    NoteKind.CORRECTION: "corrected",
}


@dataclass(frozen=True)
class FactMarker:
    note: SourceNote
    label: str


def note_is_about(note, row: str) -> bool:
    """Whether a source note is about that row of a group's facts. The group's own name
    is matched exactly, so a note on its workstream's name is not taken for it."""
    fact = note.fact.lower()
    if row == "name":
        return fact in FACT_ROWS["name"]
    return any(word in fact for word in FACT_ROWS[row])


def fact_markers(notes) -> dict[str, list[FactMarker]]:
    """For each row of a group's facts, markers of the source notes about it."""
    found: dict[str, list[FactMarker]] = {row: [] for row in FACT_ROWS}
    for note in notes:
        for row in FACT_ROWS:
            if note_is_about(note, row):
                found[row].append(FactMarker(note, MARKERS[NoteKind(note.kind)]))
    return found


def status_is_inferred(notes) -> bool:
    return any(n.kind == NoteKind.INFERRED and "status" in n.fact.lower() for n in notes)
