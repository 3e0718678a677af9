"""Responses for a database that cannot serve, logged on one line."""

import logging

from django.http import HttpResponse

logger = logging.getLogger("mhhs_gov.database")


def database_unavailable(request, exc) -> HttpResponse:
    """503 with a plain message; the log names the exception on one line, no traceback."""
    logger.error(
        "503 for %s %s: database unavailable: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).replace("\n", " "),
    )
    response = HttpResponse(
        "The directory's database is not answering. Please try again in a few minutes.",
        status=503,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": "60"},
    )
    response._has_been_logged = True  # Django's own line would say the same without the cause
    return response
