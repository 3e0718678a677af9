"""Writing the change log: one entry per change a participant would want to know of.

Each change is written by the service that makes it, in its transaction.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db.models import Max, Q

from core import clock

from . import kinds
from .models import ChangeEntry

# Entries become visible at least this far apart, so that a feed's Last-Modified (whole
# seconds) moves on with every change, even two in the same second; entries given the
# same later moment become visible together.
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


def subject_of(obj) -> str:
    """The change-log subject of a thing: the feed event (or record) its entries belong to.

    The one place subjects are spelled; stored entries keep these strings, so they never
    change: a group's status "status:<group>", a series "series:<group>/<series>", a moved
    meeting "move:<group>/<series>/<original date>", a one-off meeting "one-off:<pk>", a
    meeting's record "record:<group>/<date>", a decision "decision:<reference>", a
    constituency, seat or membership "constituency:<pk>", "seat:<pk>", "membership:<pk>".
    """
    label = obj._meta.label
    if label == "groups.GovernanceGroup":
        return f"status:{obj.slug}"
    if label == "meetings.MeetingSeries":
        return f"series:{obj.group.slug}/{obj.slug}"
    if label == "meetings.Move":
        return f"move:{obj.series.group.slug}/{obj.series.slug}/{obj.original_date:%Y-%m-%d}"
    if label == "meetings.OneOffMeeting":
        return f"one-off:{obj.pk}"
    if label == "records.MeetingRecord":
        return f"record:{obj.group.slug}/{obj.date:%Y-%m-%d}"
    if label == "records.Decision":
        return f"decision:{obj.reference}"
    if label == "representation.Constituency":
        return f"constituency:{obj.pk}"
    if label == "representation.Seat":
        return f"seat:{obj.pk}"
    if label == "representation.Membership":
        return f"membership:{obj.pk}"
    raise ValueError(f"A {label} has no change-log subject.")


def _spaced(visible_at):
    """A later ``visible_at`` moved on, if need be, to RESOLUTION after any other entry's
    visible time less than RESOLUTION from it (equal times stay together)."""
    while True:
        near = (
            ChangeEntry.objects.filter(
                visible_at__gt=visible_at - RESOLUTION, visible_at__lt=visible_at + RESOLUTION
            )
            .exclude(visible_at=visible_at)
            .aggregate(latest=Max("visible_at"))["latest"]
        )
        if near is None:
            return visible_at
        visible_at = near + RESOLUTION


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
    visible_at=None,
):
    """Add an entry to the change log, in the caller's transaction; None while paused.

    ``group`` is the group it concerns (anything with ``slug``, ``short_name`` and
    ``workstream``), kept by slug and name as they are now. ``at`` is when it is recorded
    (now by default). ``visible_at`` is when it becomes public, if later: a decision
    published for later enters the log, the feeds and ``since=`` then, never earlier. A
    time not after it is recorded means at once.

    Times are spaced so that every feed's Last-Modified (whole seconds) moves with each
    change and a poller following ``since=`` reads each entry once: an entry shown at once
    comes at least RESOLUTION after every entry already shown (so it may carry a time a
    moment ahead of the clock, as entries always could), and an entry not yet public that
    would have come within RESOLUTION of it moves to RESOLUTION after it.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"{kind!r} is not a registered change kind (changelog.kinds.register).")
    if _paused.get():
        return None
    now = at or clock.now()
    latest = ChangeEntry.objects.aggregate(
        recorded=Max("recorded_at"), shown=Max("visible_at", filter=Q(visible_at__lte=now))
    )
    recorded_at = max([now, *(t + RESOLUTION for t in latest.values() if t is not None)])
    if visible_at is None or visible_at <= recorded_at:
        visible_at = recorded_at
        ChangeEntry.objects.pending(now).filter(visible_at__lt=recorded_at + RESOLUTION).update(
            visible_at=recorded_at + RESOLUTION
        )
    else:
        visible_at = _spaced(visible_at)
    workstream = group.workstream if group is not None else None
    return ChangeEntry.objects.create(
        recorded_at=recorded_at,
        visible_at=visible_at,
        kind=kind,
        group_slug=group.slug if group is not None else "",
        group_name=group.short_name if group is not None else "",
        workstream_slug=workstream.slug if workstream is not None else "",
        workstream_name=workstream.name if workstream is not None else "",
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


def withdraw_pending(*, subject: str, kind: str, now) -> int:
    """Drop the entries of ``subject`` and ``kind`` not yet visible at ``now``: a
    publication for later that moved, changed or was called off. Nobody outside the admin
    has seen them, so this is the one deletion the log allows."""
    deleted, _ = ChangeEntry.objects.filter(subject=subject, kind=kind, visible_at__gt=now).delete()
    return deleted
