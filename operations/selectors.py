"""Reads of the site's operations: the data version."""

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from changelog.models import ChangeEntry
from core import clock

from .models import DataVersion

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def data_version_get() -> DataVersion:
    """The current data version, in one query; version 0 before anything is stored.

    Read on every public request, so it skips the ORM's query building: plain SQL on the
    primary key, the datetime converted as the ORM would. It carries ``last_visible_at``,
    when the newest change-log entry public now became visible: an entry recorded for later
    changes no version when its time comes, so the page cache keys on this too.
    """
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, changed_at, facts_loaded_at, (SELECT MAX(visible_at) FROM "
            f"{ChangeEntry._meta.db_table} WHERE visible_at <= %s) "
            f"FROM {DataVersion._meta.db_table} WHERE id = 1",
            [now],
        )
        row = cursor.fetchone()
    if row is None:
        data_version = DataVersion(version=0, changed_at=EPOCH)
        data_version.last_visible_at = None
        return data_version
    version, changed_at, facts_loaded_at, last_visible_at = row
    data_version = DataVersion(
        pk=1,
        version=version,
        changed_at=_aware(changed_at),
        facts_loaded_at=_aware(facts_loaded_at) if facts_loaded_at else None,
    )
    data_version.last_visible_at = _aware(last_visible_at) if last_visible_at else None
    return data_version


def _aware(value) -> datetime:
    """A datetime read by plain SQL, as the ORM would convert it."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def data_version_for(request) -> DataVersion:
    """The data version, read once per request however often it is asked for."""
    if not hasattr(request, "_data_version"):
        request._data_version = data_version_get()
    return request._data_version
