"""Serving feeds: the text/calendar response with conditional GET, and subscribe links."""

import hashlib
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from groups.selectors import data_version_for

from .ical import build_calendar
from .selectors import one_off_queryset, series_queryset


class CalendarResponse(HttpResponse):
    def __init__(self, content, *, filename, etag, last_modified, **kwargs):
        super().__init__(content, content_type="text/calendar; charset=utf-8", **kwargs)
        self["Content-Disposition"] = f'inline; filename="{filename}"'
        self["ETag"] = etag
        self["Last-Modified"] = http_date(last_modified.timestamp())
        self["Cache-Control"] = "public, max-age=900"


def feed_response(request, *, name, filename, scope):
    """Answer 304 when the client's copy is current; else build the feed of ``scope``
    (``group``, ``group_slugs`` or ``workstream``, as ``series_queryset`` takes them).

    The data version keys the ETag; the page cache keeps the built feed until it moves.
    """
    version = data_version_for(request)
    key = hashlib.sha256(
        f"{version.version}|{request.get_host()}|{request.get_full_path()}".encode()
    ).hexdigest()[:32]
    etag = f'"{key}"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(version.changed_at.timestamp())
    )
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    calendar = build_calendar(
        name=name,
        series=series_queryset(**scope),
        one_offs=one_off_queryset(**scope),
        stamp=version.changed_at,
        absolute_url=request.build_absolute_uri,
    )
    return CalendarResponse(
        calendar.to_ical(), filename=filename, etag=etag, last_modified=version.changed_at
    )


def subscribe_links(request, path: str) -> dict:
    """webcal:// subscribe, plain download, and add-to-Google-Calendar links for a feed."""
    absolute = request.build_absolute_uri(path)
    webcal = "webcal://" + absolute.split("://", 1)[1]
    return {
        "webcal": webcal,
        "download": path,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "https": absolute,
    }
