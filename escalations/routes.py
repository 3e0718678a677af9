"""Escalation and query routes, computed from the stored hierarchy and mailboxes.

The rules are the source's:
- formal (about a decision made through programme governance): "to the next level of
  Programme governance or to the IPA". Both are offered as the source's rule; the levels
  above the next one, up to PSG, follow only as the directory's suggestion
  (``RouteStep.suggested``). A group that makes no decisions starts at the nearest
  decision-making group above it (worked example 2: SITWG to SITAG); what follows is the
  directory's suggestion. Where the source gives no decision-making group above, PSG and
  the IPA are offered as suggestions. A decision of Ofgem is outside this process: "this
  process is separate to Ofgem decision-making escalation criteria".
- informal: the lowest level of governance in the workstream.
- query: the workstream's mailbox, or the PPC team where there is none; a ``topic`` sends
  it to the specialist mailbox the source's Contact Us list gives for it.

Every parent link the source does not state (an inference on the field "parent") is said
on the step that rests on it (``RouteStep.inferred``), in the words of the group's
provenance, as on every other surface; so is a workstream mailbox the source does not name.
"""

import itertools
from dataclasses import dataclass, field
from functools import cached_property, partial
from urllib.parse import quote, urlencode

from django.db import connection
from django.db.models import Max, Prefetch, Q
from django.db.models.expressions import RawSQL

from core.text import join_and
from groups.enums import PMO_MAILBOX, PPC_MAILBOX, Kind, Status
from groups.hierarchy import walk_up
from groups.models import STEERING_LEVEL, GovernanceGroup, Mailbox, Workstream
from groups.provenance import FactField

from .enums import RouteKind

PMO = PMO_MAILBOX
PPC = PPC_MAILBOX
IPA = "ipa"
# The specialist mailboxes whose purpose the source's Contact Us list states, with the
# topics it gives them in a few plain words (a query ``topic`` is one of these slugs).
TOPICS = {
    "sims-ems": "Simulators and emulators, the DIP Simulator demo, Sims & Ems Show & Tell",
    "sro": "Strategy, governance or the programme as a whole",
    "comms": "The MHHS website, The Clock, the Design Newsletter or media relations",
    "pmo": "Programme meetings or planning, including dPMO",
}
# The source's own note, word for word (guidance section "ofgem-note").
OFGEM_NOTE = "this process is separate to Ofgem decision-making escalation criteria"
SOURCE_RULE = (
    "The source's rule: a formal escalation goes \"to the next level of Programme governance "
    'or to the IPA".'
)
SUGGESTION = "The directory's suggestion, not the source's rule:"


@dataclass(frozen=True)
class RouteStep:
    target: str
    label: str
    contacts: tuple[str, ...]
    detail: str
    group: GovernanceGroup | None = field(default=None, compare=False)
    # True where the step is the directory's suggestion rather than the source's rule.
    suggested: bool = False
    # What the step rests on that the source does not state, in plain words.
    inferred: tuple[str, ...] = ()

    @cached_property  # a page asks more than once; each asking is a ``reverse``
    def url(self):
        return self.group.get_absolute_url() if self.group else None


@dataclass(frozen=True)
class RouteData:
    """What routes need, loaded once: groups by pk (every group, or only those the routes
    asked about walk through), their workstreams by slug, and every mailbox."""

    groups: dict[int, GovernanceGroup]
    mailboxes: dict[str, Mailbox]
    workstreams: dict[str, Workstream] = field(default_factory=dict)

    @classmethod
    def load(cls):
        """Every group and workstream (the guidance page's worked examples)."""
        return cls._of(GovernanceGroup.objects.all(), Q())

    @classmethod
    def around(cls, *, kind, groups=(), workstream_slug=None):
        """Only what the ``kind`` of route about ``groups`` (or, without them, about the
        workstream ``workstream_slug``) reads, in the same queries whatever the number of
        groups: those groups; for a concern, the lowest governance groups of their
        workstream; for a challenge in a workstream, its lowest groups that make decisions;
        the steering group; and every group above any of these, each with its workstream."""
        kind = RouteKind(kind)
        pks = [g.pk for g in groups]
        if pks:
            in_workstream = Q(workstream__in={g.workstream_id for g in groups})
        else:
            in_workstream = Q(workstream__slug=workstream_slug)
        live = GovernanceGroup.objects.filter(
            in_workstream, kind=Kind.GOVERNANCE, level__isnull=False
        ).exclude(status_today=Status.REPLACED)
        steering = GovernanceGroup.objects.filter(level__number=STEERING_LEVEL).exclude(
            status_today=Status.REPLACED
        )
        wanted = Q(pk__in=pks) | Q(pk__in=steering.values("pk")[:1])  # as ``steering``
        if kind == RouteKind.INFORMAL:
            wanted |= _lowest(live)
        elif kind == RouteKind.FORMAL and not pks:
            wanted |= _lowest(live.filter(decision_making=True))
        seeds = GovernanceGroup.objects.filter(wanted).order_by().values("pk")
        named = Q(slug=workstream_slug) if workstream_slug is not None else Q(pk__in=[])
        return cls._of(GovernanceGroup.objects.filter(pk__in=_with_ancestors(seeds)), named)

    @classmethod
    def _of(cls, groups, workstreams):
        """``groups`` loaded with what routes read, and their workstreams (and those
        ``workstreams`` selects; ``Q()``: every one)."""
        # The replacements as a plain list: a related manager built for each group would
        # annotate today's status anew, a cost that grows with the number of groups.
        groups = list(
            groups.select_related("level").prefetch_related(
                Prefetch("replaced_by", to_attr="replacements_loaded"), "source_notes"
            )
        )
        if workstreams:  # not every one: those of the groups too
            workstreams |= Q(pk__in={g.workstream_id for g in groups} - {None})
        workstreams = {
            w.pk: w
            for w in Workstream.objects.filter(workstreams)
            .select_related("mailbox")
            .prefetch_related("source_notes")
        }
        for group in groups:  # each workstream loaded once, with its notes
            if group.workstream_id is not None:
                group.workstream = workstreams[group.workstream_id]
        return cls(
            groups={g.pk: g for g in groups},
            mailboxes={m.slug: m for m in Mailbox.objects.all()},
            workstreams={w.slug: w for w in workstreams.values()},
        )

    def replacements(self, group):
        """The groups that replaced ``group``, by name."""
        return sorted(self.groups[group.pk].replacements_loaded, key=lambda g: g.name)

    @cached_property  # asked once for each decision-making group of a workstream's route
    def steering(self):
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


def form_choices() -> dict:
    """What the route finder's form offers (``RouteForm``'s arguments): every group as
    (slug, name, acronym, level number, level title) rows by level then name, a query read
    only when the select is drawn; every workstream; and every mailbox by slug."""
    # A choice shows a group's names and level, not its status: plain values, read without
    # today's status (``GovernanceGroup.objects`` adds it), only what the choice shows.
    return {
        "groups": GovernanceGroup._base_manager.values_list(
            "slug", "name", "acronym", "level__number", "level__title"
        ),
        "workstreams": Workstream.objects.all(),
        "mailboxes": {m.slug: m for m in Mailbox.objects.all()},
    }


def group_by_slug(slug: str) -> GovernanceGroup | None:
    """The group asked about by its slug (the route reads its facts through ``RouteData``),
    or None where there is none."""
    return GovernanceGroup._base_manager.filter(slug=slug).first()


def _lowest(groups) -> Q:
    """Those of ``groups`` (governance groups with a level) at the lowest level (the
    highest number) among those of their workstream; one query finds the levels."""
    lowest = groups.order_by().values("workstream").annotate(lowest=Max("level__number"))
    found = Q(pk__in=[])
    for row in lowest:
        found |= Q(workstream=row["workstream"], level__number=row["lowest"])
    return Q(pk__in=groups.filter(found).values("pk"))


def _with_ancestors(seeds) -> RawSQL:
    """The pks of the groups ``seeds`` (a query of pks) and of every group above them, for
    ``pk__in``: one recursive query, which stops where the parents loop."""
    sql, params = seeds.query.sql_with_params()
    table = connection.ops.quote_name(GovernanceGroup._meta.db_table)
    return RawSQL(
        f"WITH RECURSIVE chain(id) AS ({sql} UNION SELECT g.parent_id FROM {table} g "
        "JOIN chain ON g.id = chain.id WHERE g.parent_id IS NOT NULL) SELECT id FROM chain",
        params,
    )


def _group_step(
    data: RouteData, group, why: str, *, suggested: bool = False, inferred=()
) -> RouteStep:
    pmo = data.mailboxes[PMO]
    contacts = [pmo.address]
    how = [f"Write to the {group.short_name} chair via the PMO mailbox"]
    if group.constituency_representatives:
        how.append(f"through your {group.short_name} constituency representative")
    mailbox = group.workstream.mailbox if group.workstream_id else None
    if mailbox and mailbox.slug != PMO:
        contacts.append(mailbox.address)
        how.append(f"copying the {group.workstream.name} workstream's mailbox")
    detail = f"{why} {join_and(how)}."
    return RouteStep(
        target=group.slug,
        label=group.display_name,
        contacts=tuple(contacts),
        detail=detail,
        group=group,
        suggested=suggested,
        inferred=tuple(inferred),
    )


def _mailbox_step(mailbox: Mailbox, why: str, *, inferred=()) -> RouteStep:
    return RouteStep(
        target=mailbox.slug,
        label=f"{mailbox.name} mailbox",
        contacts=(mailbox.address,),
        detail=f"{why} The source document says this mailbox is {mailbox.purpose.rstrip('.')}.",
        inferred=tuple(inferred),
    )


def _ppc_step(data: RouteData, why: str, *, inferred=()) -> RouteStep:
    ppc = data.mailboxes[PPC]
    return RouteStep(
        target=ppc.slug,
        label=ppc.name,
        contacts=(ppc.address,),
        detail=f"{why} If you do not know where to direct a query, the PPC team can help.",
        inferred=tuple(inferred),
    )


def _inferred(*provenances) -> tuple[str, ...]:
    """The sentences of those of ``provenances`` that are inferences."""
    return tuple(p.sentence for p in provenances if p.inferred)


IPA_ADDRESS = "The source document gives no address for the IPA, who attends PSG."


def _ipa_step(why: str, *, suggested: bool) -> RouteStep:
    if suggested:
        detail = f"{SUGGESTION} {why} {IPA_ADDRESS}"
    else:
        detail = f"{SOURCE_RULE} {why} {IPA_ADDRESS}"
    return RouteStep(target=IPA, label="IPA", contacts=(), detail=detail, suggested=suggested)


def _parent_of(data: RouteData, pk):
    """The group ``pk`` reports to, as stored; None at the top or below the sponsor."""
    parent_id = data.groups[pk].parent_id
    if parent_id is None or data.groups[parent_id].is_sponsor:
        return None
    return parent_id


def _above(data: RouteData, group) -> list[GovernanceGroup]:
    """The groups above ``group`` in programme governance, nearest first (the sponsor,
    above governance, left out; the walk stops where the parents loop)."""
    return [data.groups[pk] for pk in walk_up(group.pk, partial(_parent_of, data)).chain]


def _assumptions(path) -> tuple[str, ...]:
    """The assumptions behind the links of ``path`` (groups, lowest first), in the words
    of each group's provenance."""
    found = (below.provenance(FactField.PARENT) for below, _above in itertools.pairwise(path))
    return tuple(p.sentence for p in found if p.inferred)


def _beyond_stated_governance(group) -> bool:
    """A group outside programme governance whose parent link the source does not state:
    the source gives it no decision-making group above."""
    outside = group.kind in (Kind.NON_GOVERNANCE, Kind.NON_GOVERNANCE_DELIVERY)
    return outside and group.provenance(FactField.PARENT).inferred


def nearest_decider(data: RouteData, group) -> tuple[GovernanceGroup | None, list]:
    """For a group that makes no decisions: the nearest decision-making group above it,
    and the path to it (``group`` first); (None, []) where the source gives none."""
    if _beyond_stated_governance(group):
        return None, []
    path = [group]
    for above in _above(data, group):
        path.append(above)
        if above.decision_making:
            return above, path
    return None, []


def _suggested_above(data: RouteData, top, path_end) -> list[RouteStep]:
    """The directory's suggestions above ``top``: each level up to the steering group."""
    steps, below = [], top
    for above in _above(data, top):
        if above.pk in path_end:  # the parents loop back
            break
        steps.append(
            _group_step(
                data,
                above,
                f"{SUGGESTION} should {below.short_name} not resolve it, {above.short_name} "
                f"is the next level of governance above {below.short_name}.",
                suggested=True,
                inferred=_assumptions([below, above]),
            )
        )
        below = above
    steering = data.steering
    unstated = below.parent_id is None and below.level_number != STEERING_LEVEL
    if steering is not None and unstated and steering.pk not in path_end:
        steps.append(
            _group_step(
                data,
                steering,
                f"{SUGGESTION} the source document does not say which group "
                f"{below.short_name} reports to; {steering.short_name} is the steering group.",
                suggested=True,
            )
        )
    return steps


def _challenge_a_decision(data: RouteData, group) -> list[RouteStep]:
    """A decision of ``group`` (which makes decisions): the next level above, or the IPA."""
    if group.level_number == STEERING_LEVEL:
        return [
            _ipa_step(
                f"{group.short_name} is the top of programme governance, so a decision of "
                f"{group.short_name} goes to the IPA.",
                suggested=False,
            )
        ]
    above = _above(data, group)
    if not above:  # none stated, or only the sponsor, above governance
        steps = _suggested_above(data, group, {group.pk})
        why = f"No group of programme governance is above {group.short_name}: escalate to the IPA."
        return [*steps, _ipa_step(why, suggested=False)]
    first = above[0]
    steps = [
        _group_step(
            data,
            first,
            f"{SOURCE_RULE} {first.short_name} is the next level of governance above "
            f"{group.short_name}.",
            inferred=_assumptions([group, first]),
        ),
        *_suggested_above(data, first, {g.pk for g in (group, first)}),
    ]
    why = (
        f"Escalate to the IPA instead of {first.short_name}, or should {first.short_name} not "
        "resolve it."
    )
    return [*steps, _ipa_step(why, suggested=False)]


def _about_a_group_that_makes_no_decisions(data: RouteData, group) -> list[RouteStep]:
    decider, path = nearest_decider(data, group)
    if decider is None:
        steering = data.steering
        steps = []
        if steering is not None:
            steps.append(
                _group_step(
                    data,
                    steering,
                    f"{SUGGESTION} the source document gives no decision-making group above "
                    f"{group.short_name}; {steering.short_name} is the steering group.",
                    suggested=True,
                )
            )
        return [*steps, _ipa_step("the IPA, should that not resolve it.", suggested=True)]
    first = _group_step(
        data,
        decider,
        f"{decider.short_name} is the nearest group above {group.short_name} that makes "
        f"decisions: a formal escalation about {group.short_name}'s work goes there.",
        inferred=_assumptions(path),
    )
    then = _suggested_above(data, decider, {g.pk for g in path})
    ipa_why = (
        "the IPA, should the groups above not resolve it."
        if then
        else f"the IPA, should {decider.short_name} not resolve it."
    )
    return [first, *then, _ipa_step(ipa_why, suggested=True)]


def formal_route(data: RouteData, group) -> list[RouteStep]:
    """A formal escalation of a decision of ``group``, or about its work where it makes
    none. Ofgem's decisions are outside this process: no steps (``route_notes`` says so)."""
    if group.is_sponsor:
        return []
    if group.decision_making:
        return _challenge_a_decision(data, group)
    return _about_a_group_that_makes_no_decisions(data, group)


def informal_route(data: RouteData, group) -> list[RouteStep]:
    if group.workstream_id is None:
        return [_ppc_step(data, f"The source document gives {group.short_name} no workstream.")]
    return workstream_informal_route(
        data, group.workstream, inferred=_inferred(group.provenance(FactField.WORKSTREAM))
    )


def workstream_informal_route(data: RouteData, workstream, *, inferred=()) -> list[RouteStep]:
    """The lowest level of governance in ``workstream``: where a concern is raised.
    ``inferred``: what the choice of the workstream rests on, said on each step."""
    candidates = data.workstream_groups(workstream.pk)
    if not candidates:
        return [
            _ppc_step(
                data,
                f"The source document names no governance group in the {workstream.name} "
                "workstream.",
                inferred=inferred,
            )
        ]
    lowest = max(g.level_number for g in candidates)
    targets = sorted((g for g in candidates if g.level_number == lowest), key=lambda g: g.name)
    if len(targets) == 1:
        why = (
            f"{targets[0].short_name} is the lowest level of governance in the "
            f"{workstream.name} workstream."
        )
        return [_group_step(data, targets[0], why, inferred=inferred)]
    names = ", ".join(t.short_name for t in targets)
    return [
        _group_step(
            data,
            target,
            f"The {workstream.name} workstream's lowest level of governance is level {lowest}: "
            f"{names}. Raise it with the one whose remit covers it.",
            inferred=inferred,
        )
        for target in targets
    ]


def query_route(data: RouteData, group) -> list[RouteStep]:
    workstream = group.workstream if group.workstream_id else None
    if workstream is None:
        return [
            _ppc_step(data, f"The source document gives {group.short_name} no workstream mailbox.")
        ]
    return workstream_query_route(
        data, workstream, inferred=_inferred(group.provenance(FactField.WORKSTREAM))
    )


def workstream_query_route(data: RouteData, workstream, *, inferred=()) -> list[RouteStep]:
    """The workstream's mailbox, or the PPC team where it has none; each step says what it
    rests on that the source does not state (the group's workstream, ``inferred``, and
    which mailbox the workstream owns)."""
    inferred = (*inferred, *_inferred(workstream.provenance(FactField.MAILBOX)))
    if workstream.mailbox is None:
        return [
            _ppc_step(
                data,
                f"The Contact Us list gives the {workstream.name} workstream no mailbox.",
                inferred=inferred,
            )
        ]
    return [
        _mailbox_step(
            workstream.mailbox,
            f"The {workstream.name} workstream owns this mailbox.",
            inferred=inferred,
        )
    ]


def topic_route(data: RouteData, topic: str) -> list[RouteStep]:
    """A query on a ``topic`` (a slug of ``TOPICS``): the specialist mailbox for it."""
    return [
        _mailbox_step(
            data.mailboxes[topic],
            "The source's Contact Us list asks you to use the most suitable address.",
        )
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
    steps: dict[RouteStep, None] = {}  # in order, each once
    for decider in found:
        steps.update(dict.fromkeys(formal_route(data, decider)))
    return list(steps)


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


def step_mailto(step: RouteStep, *, kind: str, about: str, attention: str = "") -> str | None:
    """A mailto: link to the step's contacts, with a subject and a body to fill in;
    ``attention`` (e.g. "my PSG representatives for Large Supplier (Ann Archer)") names
    whom the email is for the attention of."""
    if not step.contacts:
        return None
    to, *copied = step.contacts
    subject = f"{SUBJECTS[RouteKind(kind)]} to {step.label}: {about}"
    if attention:
        subject += f", for the attention of {attention}"
    query = {"subject": subject}
    if copied:
        query["cc"] = ",".join(copied)
    if RouteKind(kind) != RouteKind.QUERY:
        query["body"] = (f"For the attention of {attention}.\n\n" if attention else "") + MAIL_BODY
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
    if RouteKind(kind) != RouteKind.FORMAL:
        return notes
    if group.is_sponsor:
        notes.append(
            f"This process does not cover a decision of {group.short_name}. The source "
            f'document says: "Note: {OFGEM_NOTE}".'
        )
    elif not group.decision_making:
        decider, _path = nearest_decider(data, group)
        if decider is None:
            notes.append(
                f"{group.short_name} does not make governance decisions, and the source "
                "document gives no decision-making group above it. The steps below are the "
                "directory's suggestion, not the source's rule."
            )
        else:
            notes.append(
                f"{group.short_name} does not make governance decisions. The route starts at "
                f"the nearest decision-making group above it: {decider.short_name}."
            )
    return notes
