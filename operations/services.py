"""Writes of the composition layer: the data version."""

from django.db.models import F
from django.db.models.functions import Greatest

from core import clock

from .models import DataVersion


def data_version_bump(*, now=None) -> None:
    """Move the data version on by one; its time never moves backwards."""
    now = now or clock.now()
    updated = DataVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=Greatest(F("changed_at"), now)
    )
    if not updated:
        DataVersion.objects.create(pk=1, version=1, changed_at=now)


def facts_loaded_record(*, now=None) -> None:
    """Record that the source document's facts were loaded now (the footer says when)."""
    now = now or clock.now()
    data_version_bump(now=now)
    DataVersion.objects.filter(pk=1).update(facts_loaded_at=now)
