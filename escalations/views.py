from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import clock
from representation.models import Constituency

from .answers import route_answer
from .forms import RouteForm
from .models import GuidanceSection, WorkedExample
from .routes import TOPICS, RouteData, escalation_route, form_choices


def _route_as_json(steps, *, constituency=None):
    """Route steps (``AnswerStep``) as JSON. With a constituency, each step on a group with
    constituency members gains ``representatives`` (the current members' names, empty
    where the seat is vacant or not recorded) and ``representation`` (what to do)."""
    found = []
    for item in steps:
        s = item.step
        step = {
            "target": s.target,
            "label": s.label,
            "contacts": list(s.contacts),
            "detail": s.detail,
            "suggested": s.suggested,
            "inferred": list(s.inferred),
        }
        if constituency is not None:
            reps = item.representatives
            step["representatives"] = reps.names if reps else None
            step["alternates"] = reps.alternates if reps else None
            step["representation"] = reps.sentence if reps else None
        found.append(step)
    return found


@require_safe
def guidance(request):
    data = RouteData.load()
    examples = [
        (example, escalation_route(data=data, group=example.group, kind=example.kind))
        for example in WorkedExample.objects.select_related("group")
    ]
    return render(
        request,
        "escalations/guidance.html",
        {
            "sections": {s.key.replace("-", "_"): s for s in GuidanceSection.objects.all()},
            "examples": examples,
            "topics": [
                (slug, label, data.mailboxes[slug])
                for slug, label in TOPICS.items()
                if slug in data.mailboxes
            ],
        },
    )


def _form(request):
    return RouteForm(
        request.GET or None,
        **form_choices(),
        constituencies=Constituency.objects.all(),
    )


def _answer(form):
    return route_answer(
        kind=form.cleaned_data["kind"],
        group=form.cleaned_data["group"],
        workstream_slug=form.cleaned_data["workstream"],
        decision=form.cleaned_data["decision"],
        topic=form.cleaned_data["topic"] or None,
        constituency=form.cleaned_data["constituency"],
        now=clock.now(),
    )


@require_safe
def route(request):
    form = _form(request)
    if not form.is_bound:
        return render(request, "escalations/route.html", {"form": form})
    if not form.is_valid():
        return render(request, "escalations/route.html", {"form": form}, status=400)
    return render(
        request,
        "escalations/route.html",
        {"form": form, "answer": _answer(form), "today": clock.today()},
    )


@require_safe
def route_json(request):
    form = _form(request)
    if not form.is_bound or not form.is_valid():
        return JsonResponse(
            {
                "error": "Give one group (a slug from /api/groups/) or one workstream (a slug "
                "from /workstreams/, or unknown), and one kind (formal, informal or query); "
                "or a decision reference (from /api/decisions/); or, for a query, a topic "
                f"({', '.join(TOPICS)}). Optionally, a constituency (a slug from "
                "/constituencies/) to name your representatives.",
                "errors": form.errors.get_json_data() if form.is_bound else {},
            },
            status=400,
        )
    answer = _answer(form)
    return JsonResponse(
        {
            "group": answer.group.slug if answer.group else None,
            "workstream": form.cleaned_data["workstream"] or None,
            "kind": answer.kind,
            "decision": answer.decision.reference if answer.decision else None,
            "topic": answer.topic,
            "constituency": answer.constituency.slug if answer.constituency else None,
            "notes": answer.notes,
            "steps": _route_as_json(answer.steps, constituency=answer.constituency),
        }
    )
