from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from changelog.models import ChangeEntry
from core import clock
from core.forms import query_without_page

from .filters import ChangeFilterSet, ChangeSinceFilterSet
from .provenance import FactField
from .selectors import (
    fallback_mailbox,
    mailboxes_with_workstreams,
    programme_wide_notes,
    source_notes_for_report,
    workstreams_with_groups,
    workstreams_without_mailbox,
)


@require_safe
def workstream_list(request):
    return render(
        request, "groups/workstream_list.html", {"workstreams": workstreams_with_groups()}
    )


@require_safe
def contact(request):
    return render(
        request,
        "groups/contact.html",
        {
            "mailboxes": mailboxes_with_workstreams(),
            "without_mailbox": workstreams_without_mailbox(),
            "mailbox_notes": programme_wide_notes(FactField.MAILBOX),
            "fallback_mailbox": fallback_mailbox(),
        },
    )


@require_safe
def data_quality(request):
    return render(request, "groups/data_quality.html", {"notes": source_notes_for_report()})


CHANGES_PER_PAGE = 50
API_CHANGES_LIMIT = 500


def _changes_filterset(request, filterset_class):
    """The log as public now: an entry published for later is left out until then."""
    return filterset_class(request.GET, queryset=ChangeEntry.objects.visible(clock.now()))


@require_safe
def changes(request):
    filterset = _changes_filterset(request, ChangeFilterSet)
    if not filterset.is_valid():
        return render(request, "groups/changes.html", {"filter": filterset}, status=400)
    page = Paginator(filterset.qs, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/changes.html",
        {"filter": filterset, "page": page, "query": query_without_page(request.GET)},
    )


def change_as_json(entry, *, absolute_url) -> dict:
    return {
        "id": entry.pk,
        # "at" is when the change became public, the time the log and since= follow.
        "at": entry.visible_at.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "visible_at": entry.visible_at.isoformat(),
        "kind": entry.kind,
        "group": entry.group_slug or None,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
        "url": absolute_url(entry.url),
    }


@require_safe
def changes_json(request):
    filterset = _changes_filterset(request, ChangeSinceFilterSet)
    if not filterset.is_valid():
        return JsonResponse(
            {
                "error": "Give since as an ISO 8601 time (2026-11-26T09:00:00+00:00), "
                "group and workstream as slugs from /api/groups/, category as governance, "
                "meetings or records, and from_date and to_date as dates (2026-11-26).",
                "errors": filterset.errors.get_json_data(),
            },
            status=400,
        )
    entries = filterset.qs.order_by("visible_at", "pk")[:API_CHANGES_LIMIT]
    found = [change_as_json(e, absolute_url=request.build_absolute_uri) for e in entries]
    return JsonResponse({"count": len(found), "changes": found})
