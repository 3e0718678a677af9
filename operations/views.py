"""The health checks: ``/healthz`` for a load balancer, ``/healthz/deep`` for staff and
monitors."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from core.responses import database_unavailable
from core.two_factor import is_staff_signed_in

from . import health


@require_safe
def healthz(request):
    """200 "ok" when every table the pages read answers; otherwise 503 naming the apps."""
    failures = health.database_failures()
    if not failures:
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response = database_unavailable(request, next(iter(failures.values())))
    response.content = (
        f"The directory's database is not answering: {', '.join(failures)} could not be read."
    )
    return response


@require_safe
def healthz_deep(request):
    """The database, the document storage and the notifications, one line each: for staff
    signed in, or a monitor sending ``Authorization: Bearer <DJANGO_HEALTH_TOKEN>``."""
    if not (
        is_staff_signed_in(request) or health.token_matches(request.headers.get("Authorization"))
    ):
        return HttpResponse(
            "Staff only: sign in to the admin, or send the health token.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    failures = health.database_failures()
    storage_ok, storage_said = health.storage_status()
    lines = [f"{label}: {type(exc).__name__}" for label, exc in failures.items()] or [
        "database: ok"
    ]
    lines += [f"storage: {storage_said}", f"notifications: {health.notification_run_age()}"]
    status = 200 if storage_ok and not failures else 503
    return HttpResponse(
        "\n".join(lines) + "\n", status=status, content_type="text/plain; charset=utf-8"
    )
