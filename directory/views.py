from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import clock
from groups.models import GovernanceGroup
from groups.selectors import workstreams_with_groups
from meetings.feeds import subscribe_links

from .health import database_check
from .selectors import group_for_page, group_page_context


@require_safe
def group_detail(request, slug):
    try:
        group = group_for_page(slug)
    except GovernanceGroup.DoesNotExist:
        raise Http404(f"No group has the slug {slug!r}.") from None
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            **group_page_context(group, now=clock.now()),
            "feed": subscribe_links(request, group.get_calendar_url()),
        },
    )


@require_safe
def healthz(request):
    database_check()  # a DatabaseError becomes a 503 (DatabaseUnavailableMiddleware)
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
def workstream_detail(request, slug):
    workstream = get_object_or_404(workstreams_with_groups(), slug=slug)
    return render(
        request,
        "groups/workstream_detail.html",
        {
            "workstream": workstream,
            "feed": subscribe_links(request, reverse("meetings:workstream_ical", args=[slug])),
        },
    )
