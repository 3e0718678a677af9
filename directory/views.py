from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import clock
from core.forms import with_query
from core.spreadsheet import write_rows
from escalations.answers import route_answer
from escalations.enums import RouteKind
from groups.api import group_as_json
from groups.filters import GroupFilterSet
from groups.models import GovernanceGroup
from groups.selectors import fallback_mailbox, status_key, workstreams_with_groups
from meetings.feeds import subscribe_links
from meetings.selectors import upcoming
from records.api import organization_ld
from records.models import Decision
from records.selectors import decision_by_reference, removed_decision
from representation.forms import ConstituencyChoiceForm
from representation.models import Constituency, seat_refusal
from representation.selectors import group_seats, pmo_mailbox

from .selectors import (
    group_for_page,
    group_page_context,
    groups_with_schedules,
    org_chart_with_next_meetings,
    with_next_meetings,
)


def _filterset(request):
    return GroupFilterSet(request.GET, queryset=groups_with_schedules(today=clock.today()))


UPCOMING = 6


@require_safe
def home(request):
    return render(
        request,
        "groups/home.html",
        {
            "chart": org_chart_with_next_meetings(now=clock.now()),
            "status_key": status_key(),
            "today": clock.today(),
        },
    )


@require_safe
def group_detail(request, slug):
    try:
        group = group_for_page(slug, today=clock.today())
    except GovernanceGroup.DoesNotExist:
        raise Http404(f"No group has the slug {slug!r}.") from None
    context = group_page_context(group, now=clock.now())
    query = context["query_route"]
    seats = group_seats(group, clock.today()) if seat_refusal(group) is None else None
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            **context,
            "today": clock.today(),
            "seated": seats is not None,
            "seats": seats,
            "pmo": pmo_mailbox() if seats else None,
            "structured_data": organization_ld(
                group,
                absolute_url=request.build_absolute_uri,
                email=query[0].contacts[0] if query and query[0].contacts else None,
            ),
            "feed": (
                subscribe_links(request, group.get_calendar_url(), f"MHHS {group.short_name}")
                if not context["no_feed_reason"]
                else None
            ),
        },
    )


@require_safe
def decision_detail(request, reference):
    """A decision, and how to challenge it: the formal route from the group that made it."""
    now = clock.now()
    try:
        decision = decision_by_reference(reference, now=now)
    except Decision.DoesNotExist:
        removed = removed_decision(reference)
        if removed is not None:
            context = {"removed": removed}
            return render(request, "records/decision_removed.html", context, status=410)
        raise Http404(
            f"There is no published decision {reference}: references look like PSG-2027-001."
        ) from None
    form = ConstituencyChoiceForm(request.GET or None, constituencies=Constituency.objects.all())
    challenge = route_answer(
        kind=RouteKind.FORMAL,
        decision=decision,
        constituency=form.cleaned_data["constituency"] if form.is_valid() else None,
        now=now,
    )
    return render(
        request,
        "records/decision_detail.html",
        {"decision": decision, "challenge": challenge, "form": form, "today": clock.today()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_safe
def workstream_detail(request, slug):
    workstream = get_object_or_404(workstreams_with_groups(), slug=slug)
    return render(
        request,
        "groups/workstream_detail.html",
        {
            "workstream": workstream,
            "upcoming": upcoming(now=clock.now(), count=UPCOMING, workstream=workstream),
            "today": clock.today(),
            "fallback_mailbox": None if workstream.mailbox_id else fallback_mailbox(),
            "feed": subscribe_links(
                request,
                reverse("meetings:workstream_ical", args=[slug]),
                f"MHHS {workstream.name} workstream",
            ),
        },
    )


@require_safe
def group_list(request):
    filterset = _filterset(request)
    valid = filterset.is_valid()
    rows = with_next_meetings(filterset.qs, now=clock.now()) if valid else []
    query = request.GET.urlencode()
    return render(
        request,
        "groups/group_list.html",
        {
            "filter": filterset,
            "rows": rows,
            "today": clock.today(),
            "valid": valid,
            "json_url": with_query(reverse("directory:api_groups"), query),
            "csv_url": with_query(reverse("directory:group_csv"), query),
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
    groups = [
        group_as_json(group, absolute_url=request.build_absolute_uri, next_meeting=next_meeting)
        for group, next_meeting in with_next_meetings(filterset.qs, now=clock.now())
    ]
    return JsonResponse({"count": len(groups), "groups": groups})


@require_safe
def group_detail_json(request, slug):
    found = with_next_meetings(
        groups_with_schedules(today=clock.today()).filter(slug=slug), now=clock.now()
    )
    if not found:
        return JsonResponse({"error": f"No group has the slug {slug!r}."}, status=404)
    ((group, next_meeting),) = found
    return JsonResponse(
        group_as_json(group, absolute_url=request.build_absolute_uri, next_meeting=next_meeting)
    )


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
    "inferred",
    "url",
]


def _csv_row(row: dict) -> list:
    """A group's JSON as a CSV row: lists (the inferred fields) joined by ";"."""
    return [";".join(v) if isinstance(v := row[c], list) else v for c in CSV_COLUMNS]


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
    write_rows(response, CSV_COLUMNS, (_csv_row(row) for row in rows))
    return response
