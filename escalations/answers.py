"""The route finder's answer: the route for the question asked, ready to act on."""

from dataclasses import dataclass
from typing import ClassVar

from django.utils import timezone

from meetings.selectors import next_meeting_by_group
from representation.selectors import seats_by_group, step_representatives

from .enums import RouteKind
from .forms import WHAT_TO_DO
from .routes import (
    IPA,
    PMO,
    TOPICS,
    UNKNOWN_WORKSTREAM,
    RouteData,
    RouteStep,
    deciders,
    escalation_route,
    route_notes,
    step_mailto,
    topic_route,
    workstream_route,
)

FORMAL_RULE = (
    'The source says a formal escalation goes "to the next level of Programme governance or '
    'to the IPA":'
)


@dataclass(frozen=True)
class AnswerStep:
    step: RouteStep
    mailto: str | None = None
    next_meeting: object = None  # the step's group's next meeting, if it is a group
    # Who represents the chosen constituency on the step's group (a StepRepresentatives).
    representatives: object = None


@dataclass(frozen=True)
class Steps:
    """A route's steps as ``includes/answer_steps.html`` shows them. Alone (a group's
    page, a worked example): no ready email, no next meeting; an ``Answer`` has both."""

    steps: list[AnswerStep]
    shows_meetings: ClassVar[bool] = False

    @classmethod
    def of(cls, route: list[RouteStep]) -> "Steps":
        return cls(steps=[AnswerStep(step=step) for step in route])

    @property
    def names_ipa(self) -> bool:
        """Whether a step is the IPA, whom the source names but neither expands nor gives an
        address for (``escalations/ipa_note.html`` says so)."""
        return any(item.step.target == IPA for item in self.steps)

    @property
    def suggests(self) -> bool:
        """Whether any step is the directory's suggestion rather than the source's rule."""
        return any(item.step.suggested for item in self.steps)


@dataclass(frozen=True)
class Answer(Steps):
    """The route finder's answer: the steps, each with a ready email and when its group
    next meets."""

    heading: str
    intro: str
    notes: list[str]
    group: object
    workstream: object
    kind: str
    decision: object = None
    topic: str | None = None
    constituency: object = None
    shows_meetings: ClassVar[bool] = True

    @property
    def escalates(self) -> bool:
        """Whether this is an escalation (formal or informal), for which the source says what
        to include (``escalations/what_to_include.html``); a query is not."""
        return self.kind != RouteKind.QUERY

    @property
    def takes_constituency(self) -> bool:
        """Whether a constituency changes the answer: some step is a group with
        constituency members."""
        return any(
            item.step.group is not None and item.step.group.constituency_representatives
            for item in self.steps
        )


def route_answer(
    *,
    kind,
    group=None,
    workstream_slug=None,
    decision=None,
    topic=None,
    constituency=None,
    now,
) -> Answer:
    """The steps for ``kind`` about ``group`` (or, without one, a workstream's slug or
    ``unknown``), each with a ready email and when its group next meets. For a
    ``decision`` (the formal kind), the route from the group that made it, the decision's
    reference in each email's subject. A query on a ``topic`` (a slug of ``TOPICS``) goes
    to the specialist mailbox for it, whatever group or workstream is given. With a
    ``constituency``, each step on a group with constituency members names its
    representatives for it (or says the seat is vacant). Reads only the groups the route
    walks through (``RouteData.around``), not every group."""
    kind = RouteKind(kind)
    asked = decision.group if decision is not None else group
    if topic and kind == RouteKind.QUERY:
        asked = None  # the topic's mailbox, whatever the group
    data = RouteData.around(
        kind=kind, groups=[asked] if asked is not None else [], workstream_slug=workstream_slug
    )
    workstream = None
    if topic and kind == RouteKind.QUERY:
        steps, notes = topic_route(data, topic), []
        about, intro = TOPICS[topic], ""
        group = None
    elif decision is not None:
        group = data.groups[decision.group_id]
        steps = escalation_route(data=data, group=group, kind=kind)
        about, notes = f"{decision.reference} ({decision.title})", route_notes(data, group, kind)
        intro = (
            f"Decision {decision.reference} was made by {group.short_name} on "
            f"{decision.date:%-d %B %Y}." + (f" {FORMAL_RULE}" if steps else "")
        )
    elif group is not None:
        group = data.groups[group.pk]
        steps = escalation_route(data=data, group=group, kind=kind)
        about, notes = f"{group.short_name}", route_notes(data, group, kind)
        intro = FORMAL_RULE if kind == RouteKind.FORMAL and steps else ""
    else:
        steps = workstream_route(data=data, workstream_slug=workstream_slug, kind=kind)
        notes = []
        if workstream_slug == UNKNOWN_WORKSTREAM:
            about = "workstream not known"
            intro = "Without knowing the workstream, start with the PPC team."
        else:
            workstream = data.workstreams[workstream_slug]
            about = f"{workstream.name} workstream"
            intro = _workstream_intro(data, workstream, kind)
    # Only the steps' groups' next meetings: the answer shows no other group's.
    nexts = next_meeting_by_group(now=now, group_slugs={s.group.slug for s in steps if s.group})
    seats = seats_by_group(constituency, timezone.localdate(now))
    pmo = data.mailboxes[PMO].address if PMO in data.mailboxes else ""
    return Answer(
        heading=f"{WHAT_TO_DO[kind]}: {about}",
        intro=intro,
        notes=notes,
        steps=[_answer_step(step, kind, about, nexts, constituency, seats, pmo) for step in steps],
        group=group,
        workstream=workstream,
        kind=kind,
        decision=decision,
        topic=topic if kind == RouteKind.QUERY else None,
        constituency=constituency,
    )


def _answer_step(step, kind, about, nexts, constituency, seats, pmo) -> AnswerStep:
    """A step with its ready email (for the attention of the constituency's
    representatives on its group, where there are some) and its group's next meeting."""
    representatives = step_representatives(
        step.group, constituency=constituency, seats=seats, pmo_address=pmo
    )
    attention = representatives.attention if representatives else ""
    return AnswerStep(
        step=step,
        mailto=step_mailto(step, kind=kind, about=about, attention=attention),
        next_meeting=nexts.get(step.group.pk) if step.group else None,
        representatives=representatives,
    )


def _workstream_intro(data, workstream, kind) -> str:
    if kind != RouteKind.FORMAL:
        return ""
    names = ", ".join(g.short_name for g in deciders(data, workstream))
    if not names:
        return ""
    return f"In the {workstream.name} workstream, decisions are made by {names}. {FORMAL_RULE}"
