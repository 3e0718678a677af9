"""Serving feeds: the text/calendar response with conditional GET, and subscribe links."""

import hashlib
from datetime import date
from urllib.parse import quote, urlencode

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from core import clock

from .ical import build_calendar, calendar_last_modified
from .selectors import feed_history, feed_organizer, one_off_queryset, series_queryset

FEED_CACHE_CONTROL = "no-cache"  # revalidate every time: a 304 is cheap


class CalendarResponse(HttpResponse):
    def __init__(self, content, *, filename, etag, last_modified, **kwargs):
        super().__init__(content, content_type="text/calendar; charset=utf-8", **kwargs)
        self["Content-Disposition"] = f'inline; filename="{filename}"'
        self["ETag"] = etag
        self["Last-Modified"] = http_date(last_modified.timestamp())
        self["Cache-Control"] = FEED_CACHE_CONTROL


def feed_response(request, *, name, filename, scope):
    """The feed of ``scope`` (``group``, ``group_slugs`` or ``workstream``, as
    ``series_queryset`` takes them), or 304 when the client's copy is current.

    The ETag is a hash of the feed itself, and Last-Modified its latest change (an event's
    LAST-MODIFIED, or a removal in the change log), so an edit elsewhere leaves this
    feed's validators as they were, and they never go backwards.
    """
    history = feed_history(**scope)
    calendar = build_calendar(
        name=name,
        series=series_queryset(**scope),
        one_offs=one_off_queryset(**scope),
        absolute_url=request.build_absolute_uri,
        history=history,
        organizer=feed_organizer(),
        # Flag bank holidays to the end of next year: the feed changes once a year for it.
        holidays_until=date(clock.today().year + 1, 12, 31),
    )
    content = calendar.to_ical()
    last_modified = max([calendar_last_modified(calendar), *history.last_at.values()])
    response = CalendarResponse(
        content,
        filename=filename,
        etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        last_modified=last_modified,
    )
    # With the response given, a 304 keeps its ETag, Last-Modified and Cache-Control.
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(last_modified.timestamp()),
        response=response,
    )


def subscribe_links(request, path: str, name: str = "MHHS meetings") -> dict:
    """Everything the Subscribe panel offers for a feed: webcal:// (Outlook desktop, Apple
    Calendar, Thunderbird), the https address to copy, add links for Google Calendar,
    Outlook.com (personal Microsoft accounts) and Microsoft 365 (Outlook on the web with a
    work or school account), and the plain download."""
    absolute = request.build_absolute_uri(path)
    webcal = "webcal://" + absolute.split("://", 1)[1]
    outlook = urlencode({"url": absolute, "name": name})
    return {
        "name": name,
        "webcal": webcal,
        "download": path,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "outlook": f"https://outlook.live.com/calendar/0/addfromweb?{outlook}",
        "microsoft365": f"https://outlook.office.com/calendar/0/addfromweb?{outlook}",
        "https": absolute,
    }
