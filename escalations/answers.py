"""The route finder's answer: the route for the question asked, ready to act on."""

from dataclasses import dataclass

from meetings.selectors import next_meeting_by_group

from .enums import RouteKind
from .forms import WHAT_TO_DO
from .routes import (
    UNKNOWN_WORKSTREAM,
    RouteData,
    RouteStep,
    deciders,
    escalation_route,
    route_notes,
    step_mailto,
    workstream_route,
)


@dataclass(frozen=True)
class AnswerStep:
    step: RouteStep
    mailto: str | None
    next_meeting: object  # the step's group's next meeting, if it is a group


@dataclass(frozen=True)
class Answer:
    heading: str
    intro: str
    notes: list[str]
    steps: list[AnswerStep]
    group: object
    workstream: object
    kind: str
    decision: object = None


def route_answer(
    data: RouteData, *, kind, group=None, workstream_slug=None, decision=None, now
) -> Answer:
    """The steps for ``kind`` about ``group`` (or, without one, a workstream's slug or
    ``unknown``), each with a ready email and when its group next meets. For a
    ``decision`` (the formal kind), the route from the group that made it, the decision's
    reference in each email's subject."""
    kind = RouteKind(kind)
    workstream = None
    if decision is not None:
        group = data.groups[decision.group_id]
        steps = escalation_route(data=data, group=group, kind=kind)
        about, notes = f"{decision.reference} ({decision.title})", route_notes(data, group, kind)
        intro = (
            f"Decision {decision.reference} was made by {group.short_name} on "
            f"{decision.date:%-d %B %Y}. A challenge goes to the next level of governance "
            "above, one step at a time:"
        )
    elif group is not None:
        steps = escalation_route(data=data, group=group, kind=kind)
        about, notes = f"{group.short_name}", route_notes(data, group, kind)
        intro = ""
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
    nexts = next_meeting_by_group(now=now)
    return Answer(
        heading=f"{WHAT_TO_DO[kind]}: {about}",
        intro=intro,
        notes=notes,
        steps=[
            AnswerStep(
                step=step,
                mailto=step_mailto(step, kind=kind, about=about),
                next_meeting=nexts.get(step.group.pk) if step.group else None,
            )
            for step in steps
        ],
        group=group,
        workstream=workstream,
        kind=kind,
        decision=decision,
    )


def _workstream_intro(data, workstream, kind) -> str:
    if kind != RouteKind.FORMAL:
        return ""
    names = ", ".join(g.short_name for g in deciders(data, workstream))
    if not names:
        return ""
    return (
        f"In the {workstream.name} workstream, decisions are made by {names}. A challenge "
        "goes to the next level of governance above, one step at a time:"
    )
