from datetime import date

from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core import clock
from groups.models import GovernanceGroup, Workstream

from .enums import MAX_YEAR, MIN_YEAR, Weekday
from .feeds import feed_response, subscribe_links
from .forms import CalendarFilterForm, FeedGroupsForm, MyCalendarForm
from .selectors import groups_by_workstream, month_calendar, week_pattern

WEEKDAY_NAMES = [d.label for d in Weekday]


def _month_or_404(year: int, month: int) -> None:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise Http404("No calendar for that month: years run from 2000 to 2100, months 01 to 12.")


@require_safe
def this_month(request):
    today = clock.today()
    url = reverse("meetings:month", args=[today.year, f"{today.month:02d}"])
    if request.GET:
        url += "?" + request.GET.urlencode()
    return redirect(url)


@require_safe
def month(request, year, month):
    year, month = int(year), int(month)
    _month_or_404(year, month)
    form = CalendarFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "meetings/month.html",
            {"form": form, "first": date(year, month, 1)},
            status=400,
        )
    workstream = form.cleaned_data["workstream"]
    cal = month_calendar(year, month, today=clock.today(), workstream=workstream)
    feed = (
        reverse("meetings:workstream_ical", args=[workstream.slug])
        if workstream
        else reverse("meetings:ical")
    )
    query = f"?workstream={workstream.slug}" if workstream else ""
    return render(
        request,
        "meetings/month.html",
        {
            "form": form,
            "cal": cal,
            "first": cal.first,
            "workstream": workstream,
            "query": query,
            "show_previous": cal.previous.year >= MIN_YEAR,
            "show_next": cal.next.year <= MAX_YEAR,
            "feed": subscribe_links(request, feed),
            "weekday_names": WEEKDAY_NAMES,
            "today": clock.today(),
        },
    )


@require_safe
def month_json(request, year, month):
    year, month = int(year), int(month)
    _month_or_404(year, month)
    form = CalendarFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"error": "Invalid filter.", "errors": form.errors.get_json_data()}, status=400
        )
    cal = month_calendar(
        year, month, today=clock.today(), workstream=form.cleaned_data["workstream"]
    )
    return JsonResponse(
        {
            "year": year,
            "month": month,
            "occurrences": [
                {
                    "group": o.group.slug,
                    "title": o.title,
                    "start": o.local_start.isoformat(),
                    "end": o.local_end.isoformat(),
                    "status": o.status,
                    "bank_holiday": o.bank_holiday,
                    "note": o.note or None,
                }
                for o in cal.occurrences
            ],
        }
    )


@require_safe
def pattern(request):
    return render(
        request,
        "meetings/pattern.html",
        {"rows": week_pattern(today=clock.today()), "weeks": [1, 2, 3, 4]},
    )


@require_safe
def calendar_ics(request):
    form = FeedGroupsForm(request.GET)
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponse(
            f"Bad feed request: {errors}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    slugs = form.cleaned_data["groups"]
    name = (
        "MHHS governance meetings"
        if slugs is None
        else ("MHHS meetings: " + ", ".join(s.upper() for s in slugs))
    )
    return feed_response(
        request,
        name=name,
        filename="mhhs-governance.ics",
        scope={"group_slugs": slugs},
    )


@require_safe
def group_ics(request, slug):
    group = get_object_or_404(GovernanceGroup, slug=slug)
    return feed_response(
        request,
        name=f"MHHS {group.short_name} meetings",
        filename=f"mhhs-{slug}.ics",
        scope={"group": group},
    )


@require_safe
def workstream_ics(request, slug):
    workstream = get_object_or_404(Workstream, slug=slug)
    return feed_response(
        request,
        name=f"MHHS {workstream.name} workstream meetings",
        filename=f"mhhs-{slug}-workstream.ics",
        scope={"workstream": workstream},
    )


@require_safe
def my_calendar(request):
    groups = list(
        GovernanceGroup.objects.with_basics().order_by(
            F("workstream__order").asc(nulls_last=True),
            F("level__number").asc(nulls_last=True),
            "name",
        )
    )
    form = MyCalendarForm(request.GET or None, groups=groups)
    chosen = form.cleaned_data["groups"] if form.is_bound and form.is_valid() else []
    feed = None
    if chosen:
        path = f"{reverse('meetings:ical')}?groups={','.join(chosen)}"
        names = ", ".join(s.upper() for s in chosen)
        feed = subscribe_links(request, path, f"MHHS meetings: {names}")
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "form": form,
            "by_workstream": groups_by_workstream(groups, chosen),
            "chosen": chosen,
            "feed": feed,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
