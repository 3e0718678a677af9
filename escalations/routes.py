"""Escalation and query routes, computed from the stored hierarchy and mailboxes.

The rules are the seed's: a formal escalation climbs each level of governance above the
group that made the decision, up to PSG, then goes to the IPA; an informal one goes to
the lowest level of governance in the workstream; a query goes to the workstream's
mailbox, or to the PPC team when there is none.
"""

from dataclasses import dataclass, field
from functools import partial

from groups.enums import PMO_MAILBOX, PPC_MAILBOX, Kind, Status
from groups.hierarchy import walk_up
from groups.models import STEERING_LEVEL, GovernanceGroup, Mailbox

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

    @classmethod
    def load(cls):
        groups = GovernanceGroup.objects.select_related("level", "workstream__mailbox")
        return cls(
            groups={g.pk: g for g in groups},
            mailboxes={m.slug: m for m in Mailbox.objects.all()},
        )

    def parent(self, group):
        return self.groups.get(group.parent_id)

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
    workstream = group.workstream.name
    candidates = data.workstream_groups(group.workstream_id)
    if not candidates:
        return [
            _ppc_step(
                data,
                f"The source document names no governance group in the {workstream} workstream.",
            )
        ]
    lowest = max(g.level_number for g in candidates)
    targets = sorted((g for g in candidates if g.level_number == lowest), key=lambda g: g.name)
    if len(targets) == 1:
        why = (
            f"{targets[0].short_name} is the lowest level of governance in the "
            f"{workstream} workstream."
        )
        return [_group_step(data, targets[0], why)]
    names = ", ".join(t.short_name for t in targets)
    return [
        _group_step(
            data,
            target,
            f"The {workstream} workstream's lowest level of governance is level {lowest}: "
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
    if workstream.mailbox is None:
        return [
            _ppc_step(
                data, f"The source document gives the {workstream.name} workstream no mailbox."
            )
        ]
    return [
        _mailbox_step(workstream.mailbox, f"The {workstream.name} workstream owns this mailbox.")
    ]


ROUTES = {
    RouteKind.FORMAL: formal_route,
    RouteKind.INFORMAL: informal_route,
    RouteKind.QUERY: query_route,
}


def escalation_route(*, data: RouteData, group, kind: str) -> list[RouteStep]:
    """The ordered steps for a ``kind`` of escalation or query about ``group``."""
    return ROUTES[RouteKind(kind)](data, data.groups[group.pk])
