"""Friendly error pages that never show a traceback."""

import sys

from django.db import DatabaseError, InterfaceError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from core.responses import database_unavailable


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # A database error raised outside a view (a session read by middleware, say) reaches
    # here: it is an outage, so 503 as everywhere else.
    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError | InterfaceError):
        return database_unavailable(request, exc)
    # No context processors: the database may be why we are here.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
