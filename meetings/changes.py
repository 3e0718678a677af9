"""The change log's entries for single meetings: cancellations, moves and one-offs.

Connected to the models' save and delete signals (``MeetingsConfig.ready``), so a change
made any way is logged, inside the save's own transaction (``core.models.Versioned``
saves atomically, and deletes run in one). A change is read in ``pre_save``, while the
stored row still holds the old values; an addition in ``post_save``, once it has a key.
"""

from django.utils import timezone

from groups.changelog import connect_handlers, record_change, stored_row
from groups.enums import ChangeKind

from .models import Cancellation, Move, OneOffMeeting


def _day(day):
    return f"{day:%A %-d %B %Y}"


def _when(start, end):
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{_day(start)}, {start:%H:%M} to {end:%H:%M}"


def _series_name(series):
    group = series.group
    return f"{group.short_name} {series.title}" if series.title else group.short_name


def _log(obj, *, group, **entry):
    record_change(group=group, url=group.get_absolute_url(), by=obj.updated_by, **entry)


# Cancellations: each adds or removes an EXDATE of the series' event.


def cancellation_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        series = instance.series
        _log(
            instance,
            group=series.group,
            kind=ChangeKind.MEETING_CANCELLED,
            summary=f"{_series_name(series)} meeting of {_day(instance.date)} cancelled",
            before=f"{_day(instance.date)}: {series.schedule_in_words}",
            after=instance.note or "Cancelled",
            subject=series.change_subject,
            reschedules=True,
        )


def cancellation_changed(sender, instance, raw=False, **kwargs):
    stored = None if raw else stored_row(instance)
    if stored is None or (stored.date, stored.note) == (instance.date, instance.note):
        return
    series = instance.series
    _log(
        instance,
        group=series.group,
        kind=ChangeKind.MEETING_CANCELLED,
        summary=f"{_series_name(series)} cancellation changed: {_day(instance.date)}",
        before=f"{_day(stored.date)}: {stored.note or 'Cancelled'}",
        after=f"{_day(instance.date)}: {instance.note or 'Cancelled'}",
        subject=series.change_subject,
        reschedules=stored.date != instance.date,
    )


def cancellation_withdrawn(sender, instance, **kwargs):
    series = instance.series
    _log(
        instance,
        group=series.group,
        kind=ChangeKind.CANCELLATION_WITHDRAWN,
        summary=f"{_series_name(series)} meeting of {_day(instance.date)} is on again",
        before="Cancelled",
        after=f"{_day(instance.date)}: {series.schedule_in_words}",
        subject=series.change_subject,
        reschedules=True,
    )


# Moves: each is an override of one occurrence; withdrawing one changes the series' event.


def move_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        series = instance.series
        _log(
            instance,
            group=series.group,
            kind=ChangeKind.MEETING_MOVED,
            summary=f"{_series_name(series)} meeting of {_day(instance.original_date)} moved "
            f"to {_day(timezone.localtime(instance.start))}",
            before=f"{_day(instance.original_date)}: {series.schedule_in_words}",
            after=_when(instance.start, instance.end),
            subject=instance.change_subject,
        )


def move_changed(sender, instance, raw=False, **kwargs):
    stored = None if raw else stored_row(instance)
    fields = ("original_date", "start", "end", "note")
    if stored is None or all(getattr(stored, f) == getattr(instance, f) for f in fields):
        return
    series = instance.series
    _log(
        instance,
        group=series.group,
        kind=ChangeKind.MOVE_CHANGED,
        summary=f"{_series_name(series)} moved meeting of {_day(instance.original_date)} changed",
        before=_when(stored.start, stored.end),
        after=_when(instance.start, instance.end),
        subject=instance.change_subject,
        reschedules=(stored.start, stored.end) != (instance.start, instance.end),
    )


def move_withdrawn(sender, instance, **kwargs):
    series = instance.series
    _log(
        instance,
        group=series.group,
        kind=ChangeKind.MOVE_WITHDRAWN,
        summary=f"{_series_name(series)} meeting of {_day(instance.original_date)} is back "
        "at its usual time",
        before=_when(instance.start, instance.end),
        after=f"{_day(instance.original_date)}: {series.schedule_in_words}",
        subject=series.change_subject,
        reschedules=True,
    )


# One-off meetings: each is an event of its own.


def one_off_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _log(
            instance,
            group=instance.group,
            kind=ChangeKind.ONE_OFF_ADDED,
            summary=f"{instance.display_title}: one-off meeting on "
            f"{_day(timezone.localtime(instance.start))}",
            after=_when(instance.start, instance.end),
            subject=instance.change_subject,
        )


def one_off_changed(sender, instance, raw=False, **kwargs):
    stored = None if raw else stored_row(instance)
    fields = ("title", "start", "end", "note", "group_id")
    if stored is None or all(getattr(stored, f) == getattr(instance, f) for f in fields):
        return
    _log(
        instance,
        group=instance.group,
        kind=ChangeKind.ONE_OFF_CHANGED,
        summary=f"{instance.display_title}: one-off meeting changed",
        before=_when(stored.start, stored.end),
        after=_when(instance.start, instance.end),
        subject=instance.change_subject,
        reschedules=(stored.start, stored.end) != (instance.start, instance.end),
    )


def one_off_removed(sender, instance, **kwargs):
    _log(
        instance,
        group=instance.group,
        kind=ChangeKind.ONE_OFF_REMOVED,
        summary=f"{instance.display_title}: one-off meeting of "
        f"{_day(timezone.localtime(instance.start))} removed",
        before=_when(instance.start, instance.end),
        subject=instance.change_subject,
        reschedules=True,
    )


def connect():
    connect_handlers(
        [
            (Cancellation, cancellation_changed, cancellation_added, cancellation_withdrawn),
            (Move, move_changed, move_added, move_withdrawn),
            (OneOffMeeting, one_off_changed, one_off_added, one_off_removed),
        ]
    )
