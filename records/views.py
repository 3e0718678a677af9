import logging
from datetime import date
from io import StringIO

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import clock
from core.forms import query_without_page, with_query
from core.media import presigned_download_url
from core.spreadsheet import write_rows
from groups.models import GovernanceGroup
from meetings.enums import MAX_YEAR, MIN_YEAR

from .api import (
    DECISION_COLUMNS,
    action_as_json,
    decision_as_json,
    decision_row,
    meeting_event_ld,
)
from .filters import ActionFilterSet, DecisionFilterSet
from .models import Document
from .selectors import (
    NoMeeting,
    actions_queryset,
    decisions_queryset,
    group_meetings,
    group_with_schedule,
    meeting_page,
    public_document,
)

logger = logging.getLogger(__name__)

PAST_PER_PAGE = 12
DECISIONS_PER_PAGE = 25


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Http404(f"{text} is not a date: give one as yyyy-mm-dd.") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Http404(f"Meetings are listed from {MIN_YEAR} to {MAX_YEAR}.")
    return day


@require_safe
def meeting(request, slug, day):
    day = _day(day)
    now = clock.now()
    try:
        page = meeting_page(slug, day, now=now)
    except GovernanceGroup.DoesNotExist:
        raise Http404(f"No group has the slug {slug!r}.") from None
    except NoMeeting as exc:
        return render(
            request,
            "records/no_meeting.html",
            {"group": exc.group, "day": day, "nearest": exc.nearest},
            status=404,
        )
    return render(
        request,
        "records/meeting.html",
        {
            "page": page,
            "group": page.group,
            "today": clock.today(),
            "structured_data": meeting_event_ld(page, absolute_url=request.build_absolute_uri),
        },
    )


@require_safe
def group_meetings_page(request, slug):
    try:
        group = group_with_schedule(slug)
    except GovernanceGroup.DoesNotExist:
        raise Http404(f"No group has the slug {slug!r}.") from None
    meetings = group_meetings(group, now=clock.now())
    past = Paginator(meetings.past, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/group_meetings.html",
        {
            "group": group,
            "upcoming": meetings.upcoming,
            "past": past,
            "deadline_note": meetings.deadline_note,
            "today": clock.today(),
        },
    )


@require_safe
def document(request, slug, day, pk):
    try:
        found = public_document(slug, _day(day), pk, now=clock.now())
    except Document.DoesNotExist:
        raise Http404("No such document is published.") from None
    url = presigned_download_url(
        found.file, filename=found.original_name, content_type=found.content_type
    )
    if url is not None:  # object storage: the browser fetches it there, no worker waits
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"  # the URL expires within a minute
        return response
    try:
        stream = found.file.open("rb")
    except FileNotFoundError:
        raise Http404(
            "The document's file is missing: the programme office has been told."
        ) from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _decision_filter(request):
    return DecisionFilterSet(request.GET, queryset=decisions_queryset(now=clock.now()))


@require_safe
def decision_list(request):
    filterset = _decision_filter(request)
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else [], DECISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = query_without_page(request.GET)
    return render(
        request,
        "records/decision_list.html",
        {
            "filter": filterset,
            "valid": valid,
            "page_obj": page,
            "query": query,
            "json_url": with_query(reverse("records:api_decisions"), query),
            "csv_url": with_query(reverse("records:decisions_csv"), query),
        },
        status=200 if valid else 400,
    )


def _invalid(filterset):
    return JsonResponse(
        {"error": "Invalid filter.", "errors": filterset.errors.get_json_data()}, status=400
    )


@require_safe
def decisions_json(request):
    filterset = _decision_filter(request)
    if not filterset.is_valid():
        return _invalid(filterset)
    decisions = [decision_as_json(d, absolute_url=request.build_absolute_uri) for d in filterset.qs]
    return JsonResponse({"count": len(decisions), "decisions": decisions})


@require_safe
def decisions_csv(request):
    filterset = _decision_filter(request)
    if not filterset.is_valid():
        return HttpResponse(
            "Invalid filter: "
            + "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stream = StringIO()
    write_rows(
        stream,
        DECISION_COLUMNS,
        (decision_row(d, absolute_url=request.build_absolute_uri) for d in filterset.qs),
    )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mhhs-decisions.csv"'
    return response


@require_safe
def actions_json(request):
    filterset = ActionFilterSet(request.GET, queryset=actions_queryset())
    if not filterset.is_valid():
        return _invalid(filterset)
    actions = [action_as_json(a, absolute_url=request.build_absolute_uri) for a in filterset.qs]
    return JsonResponse({"count": len(actions), "actions": actions})
