from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import RouteForm
from .models import GuidanceSection, WorkedExample
from .routes import RouteData, escalation_route


def _route_as_json(steps):
    return [
        {"target": s.target, "label": s.label, "contacts": list(s.contacts), "detail": s.detail}
        for s in steps
    ]


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
        },
    )


@require_safe
def route(request):
    data = RouteData.load()
    groups = data.groups.values()
    if not request.GET:
        return render(request, "escalations/route.html", {"form": RouteForm(groups=groups)})
    form = RouteForm(request.GET, groups=groups)
    if not form.is_valid():
        return render(request, "escalations/route.html", {"form": form}, status=400)
    group, kind = form.cleaned_data["group"], form.cleaned_data["kind"]
    steps = escalation_route(data=data, group=group, kind=kind)
    return render(
        request,
        "escalations/route.html",
        {"form": form, "group": group, "kind": kind, "steps": steps},
    )


@require_safe
def route_json(request):
    data = RouteData.load()
    form = RouteForm(request.GET, groups=data.groups.values())
    if not form.is_valid():
        return JsonResponse(
            {
                "error": "Give one group (a slug from /api/groups/) and one kind "
                "(formal, informal or query).",
                "errors": form.errors.get_json_data(),
            },
            status=400,
        )
    group, kind = form.cleaned_data["group"], form.cleaned_data["kind"]
    steps = escalation_route(data=data, group=group, kind=kind)
    return JsonResponse({"group": group.slug, "kind": kind, "steps": _route_as_json(steps)})
