"""Whole public responses cached until the data changes."""

import hashlib

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags, parse_http_date_safe

from core import clock
from core.responses import database_unavailable

from .selectors import data_version_for

NOT_CACHED = ("/admin/", "/healthz", "/static/")
# What a 304 repeats of the full response (RFC 9110 15.4.5).
VALIDATORS = ("ETag", "Last-Modified", "Cache-Control")


class DataVersionPageCacheMiddleware:
    """Serve a public GET from the cache while the data version is unchanged.

    The key is the data version (one cheap query), the host, the full path and the current
    minute, so an edit shows on the next request and pages that depend on the time (today
    on the calendar, a group's next meetings) are at most a minute old. Only complete 200
    responses without cookies are kept, and only while their key can be asked for: until
    the minute in the key turns (after that no request computes the key again, so a longer
    timeout would only keep dead entries filling the cache). A cached response with an ETag
    answers conditional requests with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or request.path.startswith(NOT_CACHED):
            return self.get_response(request)
        try:
            version = data_version_for(request)
        except DatabaseError as exc:
            return database_unavailable(request, exc)
        now = timezone.localtime(clock.now())
        minute = now.strftime("%Y%m%d%H%M")
        # The key's lifetime: the seconds left in its minute, 1 to 60.
        seconds = 60 - now.second
        # An entry published for later changes no version when it becomes visible.
        raw = (
            f"{version.version}|{version.last_visible_at}|{request.get_host()}|"
            f"{request.get_full_path()}|{minute}"
        )
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            # A feed client revalidating: answer from the validators alone, without the body.
            validators = cache.get(key + ":validators")
            client_tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
            if validators is not None and validators["ETag"] in client_tags:
                return HttpResponseNotModified(headers=validators)
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if self._cacheable(response):
                cache.set(key, response, seconds)
            if response.status_code in (200, 304) and response.has_header("ETag"):
                validators = {h: response[h] for h in VALIDATORS if response.has_header(h)}
                cache.set(key + ":validators", validators, seconds)
            return response
        if response.has_header("ETag"):
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=last_modified, response=response
            )
        return response

    @staticmethod
    def _cacheable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )
