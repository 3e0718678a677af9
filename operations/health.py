"""Whether the directory can serve: its database answers with its own data, and (the deep
check) its document storage answers too."""

import hmac
from contextlib import nullcontext
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from core import clock
from follow.models import SendRun

# The apps whose tables the pages read. Each of their models' tables is read once (a
# one-row ``exists()``), so a table the pages need that cannot be read is found whichever
# it is; an app added here is checked with all its models.
CHECKED_APPS = (
    "groups",
    "meetings",
    "records",
    "escalations",
    "changelog",
    "representation",
    "operations",
)


def checked_models(app_label: str) -> list:
    """The models of an app the health check reads; none if the app is not installed."""
    if not apps.is_installed(app_label):
        return []
    return list(apps.get_app_config(app_label).get_models())


def database_failures() -> dict[str, DatabaseError]:
    """Each app whose tables could not all be read, with the first error it raised. A bare
    ``SELECT 1`` would touch no table: a corrupt page, a missing table or a missing file
    shows only when a real table is read."""
    failures = {}
    # Inside a transaction (a test's, or a caller's), each read gets a savepoint: on
    # PostgreSQL one failed read would otherwise abort the transaction and fail every read
    # after it, naming apps that are fine.
    guard = transaction.atomic if connection.in_atomic_block else nullcontext
    for label in CHECKED_APPS:
        for model in checked_models(label):
            try:
                with guard():
                    model._default_manager.exists()
            except DatabaseError as exc:
                failures[label] = exc
                break
    return failures


def storage_status() -> tuple[bool, str]:
    """Whether the document storage answers, and what it said: one listing of its top
    folder (a directory read on local files, one request to an object store). Local storage
    whose folder is not there yet is fine: the first upload makes it."""
    try:
        default_storage.listdir("")
    except FileNotFoundError:
        return True, "ok (no documents stored yet)"
    except Exception as exc:  # noqa: BLE001 - any failure of the store is the answer
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"


# The sender runs every five minutes (cron); a last run older than this is a warning.
SEND_RUN_STALE = timedelta(hours=1)


def notification_run_age() -> str:
    """When the email sender (``manage.py send_notifications`` or the worker's task) last
    ran and what it did; a warning when that was over an hour ago."""
    try:
        last = SendRun.objects.order_by("-started_at", "-pk").first()
    except DatabaseError as exc:
        return f"error: the send runs could not be read ({type(exc).__name__})"
    if last is None:
        return "not applicable (no notification runs yet)"
    age = clock.now() - last.started_at
    minutes = max(int(age.total_seconds() // 60), 0)
    said = (
        f"last send run {minutes} minute{pluralize(minutes)} ago, "
        f"{timezone.localtime(last.started_at):%A %-d %B %Y, %H:%M}: "
        f"{last.sent} sent, {last.failed} failed"
    )
    if last.error:
        said += f", broke off with {last.error}"
    if age > SEND_RUN_STALE:
        return f"warning: no send run for over an hour ({said})"
    return f"ok ({said})"


def token_matches(authorization: str | None) -> bool:
    """Whether an Authorization header carries the health token (none is set: never)."""
    token = settings.HEALTH_TOKEN
    if not token or not authorization:
        return False
    return hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode())
