from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.spreadsheet import write_rows

from .api import group_as_json
from .filters import GroupFilterSet
from .models import GovernanceGroup
from .selectors import (
    mailboxes_with_workstreams,
    org_chart,
    source_notes_for_report,
    status_key,
    workstreams_with_groups,
)


def _filterset(request):
    return GroupFilterSet(request.GET, queryset=GovernanceGroup.objects.for_directory())


@require_safe
def home(request):
    return render(request, "groups/home.html", {"chart": org_chart(), "status_key": status_key()})


@require_safe
def group_list(request):
    filterset = _filterset(request)
    valid = filterset.is_valid()
    groups = list(filterset.qs) if valid else []
    query = request.GET.urlencode()
    return render(
        request,
        "groups/group_list.html",
        {
            "filter": filterset,
            "groups": groups,
            "valid": valid,
            "json_url": f"{reverse('groups:api_list')}?{query}"
            if query
            else reverse("groups:api_list"),
            "csv_url": f"{reverse('groups:csv')}?{query}" if query else reverse("groups:csv"),
        },
        status=200 if valid else 400,
    )


@require_safe
def group_list_json(request):
    filterset = _filterset(request)
    if not filterset.is_valid():
        return JsonResponse(
            {"error": "Invalid filter.", "errors": filterset.errors.get_json_data()}, status=400
        )
    groups = [group_as_json(g, absolute_url=request.build_absolute_uri) for g in filterset.qs]
    return JsonResponse({"count": len(groups), "groups": groups})


@require_safe
def group_detail_json(request, slug):
    group = GovernanceGroup.objects.for_directory().filter(slug=slug).first()
    if group is None:
        return JsonResponse({"error": f"No group has the slug {slug!r}."}, status=404)
    return JsonResponse(group_as_json(group, absolute_url=request.build_absolute_uri))


CSV_COLUMNS = [
    "slug",
    "acronym",
    "name",
    "level",
    "kind",
    "workstream",
    "parent",
    "status",
    "status_label",
    "attendance",
    "decision_making",
    "timeframe",
    "url",
]


@require_safe
def group_list_csv(request):
    filterset = _filterset(request)
    if not filterset.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        return HttpResponse(
            f"Invalid filter: {errors}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mhhs-governance-groups.csv"'
    rows = (group_as_json(g, absolute_url=request.build_absolute_uri) for g in filterset.qs)
    write_rows(response, CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in rows))
    return response


@require_safe
def workstream_list(request):
    return render(
        request, "groups/workstream_list.html", {"workstreams": workstreams_with_groups()}
    )


@require_safe
def contact(request):
    return render(request, "groups/contact.html", {"mailboxes": mailboxes_with_workstreams()})


@require_safe
def data_quality(request):
    return render(request, "groups/data_quality.html", {"notes": source_notes_for_report()})
