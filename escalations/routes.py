"""Escalation and query routes, computed from the stored hierarchy and mailboxes.

The rules are the seed's: a formal escalation climbs each level of governance above the
group that made the decision, up to PSG, then goes to the IPA; an informal one goes to
the lowest level of governance in the workstream; a query goes to the workstream's
mailbox, or to the PPC team when there is none.
"""

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote, urlencode

from groups.enums import PMO_MAILBOX, PPC_MAILBOX, Kind, Status
from groups.hierarchy import walk_up
from groups.models import STEERING_LEVEL, GovernanceGroup, Mailbox, Workstream

from .enums import RouteKind

PMO = PMO_MAILBOX
PPC = PPC_MAILBOX
IPA = "ipa"


@dataclass(frozen=True)
class RouteStep:
    target: str
    label: str
    contacts: tuple[str, ...]
    detail: str
    group: GovernanceGroup | None = field(default=None, compare=False)
    mailbox: Mailbox | None = field(default=None, compare=False)

    @property
    def url(self):
        return self.group.get_absolute_url() if self.group else None


@dataclass(frozen=True)
class RouteData:
    """Everything a route needs, loaded once: every group and every mailbox."""

    groups: dict[int, GovernanceGroup]
    mailboxes: dict[str, Mailbox]
    workstreams: dict[str, Workstream] = field(default_factory=dict)

    @classmethod
    def load(cls):
        groups = GovernanceGroup.objects.select_related(
            "level", "workstream__mailbox"
        ).prefetch_related("replaced_by")
        return cls(
            groups={g.pk: g for g in groups},
            mailboxes={m.slug: m for m in Mailbox.objects.all()},
            workstreams={w.slug: w for w in Workstream.objects.select_related("mailbox")},
        )

    def replacements(self, group):
        """The groups that replaced ``group``, by name."""
        return sorted(group.replaced_by.all(), key=lambda g: g.name)

    def steering_group(self):
        """The steering group (PSG), or None where the data has none."""
        return next(
            (
                g
                for g in self.groups.values()
                if g.level_number == STEERING_LEVEL and g.status != Status.REPLACED
            ),
            None,
        )

    def workstream_groups(self, workstream_id):
        return [
            g
            for g in self.groups.values()
            if g.workstream_id == workstream_id
            and g.kind == Kind.GOVERNANCE
            and g.level_id is not None
            and g.status != Status.REPLACED
        ]


def _group_step(data: RouteData, group, why: str) -> RouteStep:
    pmo = data.mailboxes[PMO]
    contacts = [pmo.address]
    how = [f"Write to the {group.short_name} chair via the PMO mailbox"]
    if group.constituency_representatives:
        how.append(f"through your {group.short_name} constituency representative")
    mailbox = group.workstream.mailbox if group.workstream_id else None
    if mailbox and mailbox.slug != PMO:
        contacts.append(mailbox.address)
        how.append(f"copying the {group.workstream.name} workstream's mailbox")
    detail = f"{why} {', '.join(how[:-1]) + ' and ' + how[-1] if len(how) > 1 else how[0]}."
    return RouteStep(
        target=group.slug,
        label=group.display_name,
        contacts=tuple(contacts),
        detail=detail,
        group=group,
    )


def _mailbox_step(mailbox: Mailbox, why: str) -> RouteStep:
    return RouteStep(
        target=mailbox.slug,
        label=f"{mailbox.name} mailbox",
        contacts=(mailbox.address,),
        detail=f"{why} The source document says this mailbox is {mailbox.purpose.rstrip('.')}.",
        mailbox=mailbox,
    )


def _ppc_step(data: RouteData, why: str) -> RouteStep:
    ppc = data.mailboxes[PPC]
    return RouteStep(
        target=ppc.slug,
        label=ppc.name,
        contacts=(ppc.address,),
        detail=f"{why} If you do not know where to direct a query, the PPC team can help.",
        mailbox=ppc,
    )


IPA_STEP = RouteStep(
    target=IPA,
    label="IPA",
    contacts=(),
    detail=(
        "The final step of programme governance: if PSG does not resolve the concern, "
        "escalate to the IPA. The source document gives no address for the IPA, who attends PSG."
    ),
)


def _escalated_to(data: RouteData, pk):
    """Where a decision of group ``pk`` goes next: its parent, or the steering group when
    the source names no parent; None from the steering group or the sponsor."""
    node = data.groups[pk]
    if node.is_sponsor or node.level_number == STEERING_LEVEL:
        return None
    if node.parent_id is not None:
        return node.parent_id
    steering = data.steering_group()
    return steering.pk if steering else None


def _why_escalated(below, above) -> str:
    if below.parent_id == above.pk:
        return f"{above.short_name} is the next level of governance above {below.short_name}."
    return (
        f"The source document does not say which group {below.short_name} reports to, so a "
        f"decision goes to {above.short_name}, the steering group."
    )


def formal_route(data: RouteData, group) -> list[RouteStep]:
    if group.is_sponsor:
        return [
            RouteStep(
                target=IPA,
                label=IPA_STEP.label,
                contacts=(),
                detail=(
                    f"{group.short_name} is the programme's sponsor, above programme "
                    "governance; the IPA is the programme's final step. Ofgem's own "
                    "decision-making escalation criteria are separate to this process."
                ),
            )
        ]
    steps, below = [], group
    for pk in walk_up(group.pk, partial(_escalated_to, data)).chain:
        above = data.groups[pk]
        if above.is_sponsor:  # the sponsor is above governance: the IPA comes next
            break
        steps.append(_group_step(data, above, _why_escalated(below, above)))
        below = above
    return [*steps, IPA_STEP]


def informal_route(data: RouteData, group) -> list[RouteStep]:
    if group.workstream_id is None:
        return [_ppc_step(data, f"The source document gives {group.short_name} no workstream.")]
    return workstream_informal_route(data, group.workstream)


def workstream_informal_route(data: RouteData, workstream) -> list[RouteStep]:
    """The lowest level of governance in ``workstream``: where a concern is raised."""
    candidates = data.workstream_groups(workstream.pk)
    if not candidates:
        return [
            _ppc_step(
                data,
                f"The source document names no governance group in the {workstream.name} "
                "workstream.",
            )
        ]
    lowest = max(g.level_number for g in candidates)
    targets = sorted((g for g in candidates if g.level_number == lowest), key=lambda g: g.name)
    if len(targets) == 1:
        why = (
            f"{targets[0].short_name} is the lowest level of governance in the "
            f"{workstream.name} workstream."
        )
        return [_group_step(data, targets[0], why)]
    names = ", ".join(t.short_name for t in targets)
    return [
        _group_step(
            data,
            target,
            f"The {workstream.name} workstream's lowest level of governance is level {lowest}: "
            f"{names}. Raise it with the one whose remit covers it.",
        )
        for target in targets
    ]


def query_route(data: RouteData, group) -> list[RouteStep]:
    workstream = group.workstream if group.workstream_id else None
    if workstream is None:
        return [
            _ppc_step(data, f"The source document gives {group.short_name} no workstream mailbox.")
        ]
    return workstream_query_route(data, workstream)


def workstream_query_route(data: RouteData, workstream) -> list[RouteStep]:
    if workstream.mailbox is None:
        return [
            _ppc_step(
                data, f"The source document gives the {workstream.name} workstream no mailbox."
            )
        ]
    return [
        _mailbox_step(workstream.mailbox, f"The {workstream.name} workstream owns this mailbox.")
    ]


def deciders(data: RouteData, workstream) -> list[GovernanceGroup]:
    """The groups that make the workstream's decisions: its decision-making governance
    groups at the lowest level that has any."""
    making = [g for g in data.workstream_groups(workstream.pk) if g.decision_making]
    if not making:
        return []
    lowest = max(g.level_number for g in making)
    return sorted((g for g in making if g.level_number == lowest), key=lambda g: g.name)


def workstream_formal_route(data: RouteData, workstream) -> list[RouteStep]:
    """A challenge to a decision in ``workstream``: above the group that makes them."""
    found = deciders(data, workstream)
    if not found:
        return [
            _ppc_step(
                data,
                f"The source document names no decision-making group in the {workstream.name} "
                "workstream: tell PPC which group made the decision.",
            )
        ]
    steps: list[RouteStep] = []
    for decider in found:
        for step in formal_route(data, decider):
            if step not in steps:
                steps.append(step)
    return steps


UNKNOWN_WORKSTREAM = "unknown"


def unknown_route(data: RouteData, kind) -> list[RouteStep]:
    """Where to go without knowing the workstream: the PPC team, who route it."""
    why = {
        RouteKind.FORMAL: "Tell the PPC team which group made the decision; they will pass it "
        "to the right level of governance.",
        RouteKind.INFORMAL: "Tell the PPC team what the concern is about; they will pass it to "
        "the right group.",
        RouteKind.QUERY: "The PPC team answer queries that have no obvious home.",
    }[RouteKind(kind)]
    return [_ppc_step(data, why)]


WORKSTREAM_ROUTES = {
    RouteKind.FORMAL: workstream_formal_route,
    RouteKind.INFORMAL: workstream_informal_route,
    RouteKind.QUERY: workstream_query_route,
}


def workstream_route(*, data: RouteData, workstream_slug: str, kind: str) -> list[RouteStep]:
    """The steps for a ``kind`` about a workstream (a slug, or ``unknown``), group unknown."""
    if workstream_slug == UNKNOWN_WORKSTREAM:
        return unknown_route(data, kind)
    return WORKSTREAM_ROUTES[RouteKind(kind)](data, data.workstreams[workstream_slug])


ROUTES = {
    RouteKind.FORMAL: formal_route,
    RouteKind.INFORMAL: informal_route,
    RouteKind.QUERY: query_route,
}


def escalation_route(*, data: RouteData, group, kind: str) -> list[RouteStep]:
    """The ordered steps for a ``kind`` of escalation or query about ``group``."""
    return ROUTES[RouteKind(kind)](data, data.groups[group.pk])


# The guidance asks for context, rationale and the impact if no action is taken.
MAIL_BODY = (
    "Context (what happened, where and when):\n\n\n"
    "Rationale (why you disagree or are concerned):\n\n\n"
    "Impact if no action is taken:\n\n"
)
SUBJECTS = {
    RouteKind.FORMAL: "Formal escalation",
    RouteKind.INFORMAL: "Concern",
    RouteKind.QUERY: "Query",
}


def step_mailto(step: RouteStep, *, kind: str, about: str) -> str | None:
    """A mailto: link to the step's contacts, with a subject and a body to fill in."""
    if not step.contacts:
        return None
    to, *copied = step.contacts
    query = {"subject": f"{SUBJECTS[RouteKind(kind)]} to {step.label}: {about}"}
    if copied:
        query["cc"] = ",".join(copied)
    if RouteKind(kind) != RouteKind.QUERY:
        query["body"] = MAIL_BODY
    return f"mailto:{to}?{urlencode(query, quote_via=quote)}"


def route_notes(data: RouteData, group, kind: str) -> list[str]:
    """What the participant should know before following a group's route."""
    notes = []
    if group.status == Status.REPLACED:
        names = ", ".join(g.short_name for g in data.replacements(group)) or "other groups"
        notes.append(
            f"{group.short_name} was replaced by {names}. {group.replacement_note} Choose the "
            "group that covers your topic now; the route below is where "
            f"{group.short_name} itself reported."
        )
    if RouteKind(kind) == RouteKind.FORMAL and not group.decision_making:
        notes.append(
            f"{group.short_name} does not make governance decisions. A decision about its work "
            "was made by a group above it: the route below starts with the group it reports "
            "to, and goes on up."
        )
    return notes
