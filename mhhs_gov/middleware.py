"""Answer 503 with a plain message when the database cannot be reached."""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return HttpResponse(
                "The directory's database is not answering. Please try again in a few minutes.",
                status=503,
                content_type="text/plain; charset=utf-8",
                headers={"Retry-After": "60"},
            )
        return None
