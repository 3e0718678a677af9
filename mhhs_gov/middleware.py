"""Middleware of the whole site: connections that failed are dropped, request bodies are
limited, the client's address behind proxies, and a 503 (never a 500) when the database
cannot serve."""

import re
from urllib.parse import urlsplit

from concurrency.exceptions import RecordModifiedError
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from core.net import client_address
from core.responses import database_unavailable


class ClientAddressMiddleware:
    """Behind ``DJANGO_PROXY_COUNT`` trusted proxies, REMOTE_ADDR becomes the client's own
    address (from X-Forwarded-For), for django-axes and the logs alike. With no proxy
    configured, forwarded headers are ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PROXY_COUNT:
            request.META["REMOTE_ADDR"] = client_address(request.META, settings.PROXY_COUNT)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Any database error in a view answers 503 with a plain message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RecordModifiedError):  # a stale save nothing else caught
            return HttpResponse(
                "Someone else changed this record after you opened it; nothing was saved. "
                "Open it again and redo your edit.",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        if isinstance(exception, DatabaseError | InterfaceError):
            return database_unavailable(request, exception)
        return None


class DropFailedConnectionsMiddleware:
    """After a request in which a database error was raised, close the connection.

    Django keeps connections between requests (CONN_MAX_AGE) and, after an error, keeps one
    its ``is_usable()`` check passes; on SQLite that check cannot see a corrupt or replaced
    file, so a worker went on failing for a minute after the file was restored. A closed
    connection is opened afresh by the next request: the site answers again on the first
    request after the database is back. Outermost in MIDDLEWARE, so it sees every error,
    whichever middleware or view turned it into a response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for connection in connections.all(initialized_only=True):
            if connection.errors_occurred and not connection.in_atomic_block:
                connection.close()
        return response


MB = 1024 * 1024
BODY_MAX_BYTES = 1 * MB
# The admin views that take file uploads (documents on a meeting record, up to 25 MB each,
# records.files): one save carries up to 30 MB, the reverse proxy's limit (README.md).
UPLOAD_MAX_BYTES = 30 * MB
UPLOAD_PATHS = (
    re.compile(r"^/admin/records/meetingrecord/(add|[0-9]+/change)/$"),
    # The meeting screen: a group's meeting on a date, with its papers (records.admin).
    re.compile(
        r"^/admin/records/meetingrecord/meetings/[-a-zA-Z0-9_]+/[0-9]{4}-[0-9]{2}-[0-9]{2}/$"
    ),
)


def body_limit(path: str) -> int:
    """The largest request body, in bytes, that ``path`` takes."""
    if any(pattern.match(path) for pattern in UPLOAD_PATHS):
        return UPLOAD_MAX_BYTES
    return BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    """A request whose Content-Length is over its path's limit is answered 413 at once,
    before anything reads its body (the CSRF check would parse it, and a multipart parser
    writes large file parts to a temporary file). A body without a Content-Length (chunked)
    is never read at all: Django reads only as many bytes as Content-Length says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django then reads no body either
        limit = body_limit(request.path)
        if length > limit:
            return too_large(request, length, limit)
        return self.get_response(request)


def too_large(request, length: int, limit: int) -> HttpResponse:
    """413 with a short explanation: JSON under /api/, otherwise a small page."""
    message = f"The request is {length / MB:.1f} MB; this address takes up to {limit // MB} MB."
    if limit == UPLOAD_MAX_BYTES:
        message += (
            " Documents are up to 25 MB each: add large documents one at a time, saving after each."
        )
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message}, status=413)
    context = {"message": message, "admin_back": admin_back(request)}
    html = loader.get_template("errors/413.html").render(context)
    return HttpResponse(html, status=413)


def admin_back(request) -> str | None:
    """For an admin page, where to go back to: the page the form was on (the Referer, when it
    is an admin page of this site), else the admin's index. None outside the admin."""
    if not request.path.startswith("/admin/"):
        return None
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and parts.path.startswith("/admin/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/admin/"
