"""Writing the change log: one entry per change a participant would want to know of."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db.models import Max
from django.db.models.signals import post_delete, post_save, pre_save

from core import clock

from .models import ChangeEntry

# Entries are at least this far apart, so that a feed's Last-Modified (whole seconds)
# moves on with every change, even two in the same second.
RESOLUTION = timedelta(seconds=1)

_paused = ContextVar("changelog_paused", default=False)


@contextmanager
def paused():
    """Record nothing inside: loading the seed is not a change."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def record_change(
    *,
    kind,
    summary,
    url,
    group=None,
    before="",
    after="",
    subject="",
    reschedules=False,
    by=None,
    at=None,
):
    """Add an entry to the change log, in the caller's transaction; None while paused."""
    if _paused.get():
        return None
    at = at or clock.now()
    latest = ChangeEntry.objects.aggregate(latest=Max("at"))["latest"]
    if latest is not None and at < latest + RESOLUTION:
        at = latest + RESOLUTION
    return ChangeEntry.objects.create(
        at=at,
        kind=kind,
        group=group,
        summary=summary[:300],
        before=before,
        after=after,
        url=url,
        subject=subject,
        reschedules=reschedules,
        by=by if by is not None and by.pk else None,
    )


def redact_subject(subject: str, *, summary: str) -> int:
    """Keep the entries of ``subject`` in their place (time, link, feed id) with only
    ``summary`` left of what they said: a thing removed from the public record, whose
    title must not live on in the log and its feeds. The one edit an entry ever gets."""
    return ChangeEntry.objects.filter(subject=subject).update(
        summary=summary[:300], before="", after=""
    )


def connect_handlers(handlers) -> None:
    """Connect change-log handlers to their models' signals: for each (model, changed,
    added, removed), ``changed`` to ``pre_save`` (the stored row still holds the old
    values), ``added`` to ``post_save`` and ``removed``, if any, to ``post_delete``."""
    for model, changed, added, removed in handlers:
        uid = model._meta.label
        pre_save.connect(changed, sender=model, dispatch_uid=f"changelog-changed-{uid}")
        post_save.connect(added, sender=model, dispatch_uid=f"changelog-added-{uid}")
        if removed is not None:
            post_delete.connect(removed, sender=model, dispatch_uid=f"changelog-removed-{uid}")


def stored_row(instance):
    """The row as stored, before a save changes it (None for a new row)."""
    if instance.pk is None or instance._state.adding:
        return None
    return type(instance)._default_manager.filter(pk=instance.pk).first()
