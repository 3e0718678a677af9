"""Middleware of the whole site: the client's address behind proxies, and a 503 (never a
500) when the database cannot serve."""

from concurrency.exceptions import RecordModifiedError
from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse

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
