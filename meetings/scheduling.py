"""Changing a series' schedule from a date on, so that past meetings stay as they were."""

from datetime import timedelta

from django.db import transaction

from groups.changelog import record_change
from groups.enums import ChangeKind

from .enums import RULE_FIELDS, TIME_FIELDS
from .models import Cancellation, MeetingSeries
from .recurrence import series_dates, series_first_date

SCHEDULE_FIELDS = (*RULE_FIELDS, *TIME_FIELDS)


def schedule_changed(stored: MeetingSeries, series: MeetingSeries) -> bool:
    return any(getattr(stored, f) != getattr(series, f) for f in SCHEDULE_FIELDS)


def series_reschedule(*, series: MeetingSeries, effective_from, by, at) -> MeetingSeries:
    """Save ``series``, whose rule or times were changed in memory, from ``effective_from``.

    Meetings before that date keep their dates and times: where the series has any, its
    stored row keeps the old rule and ends the day before (its feed event gains an UNTIL),
    and a new series with the new rule starts on that date (a new feed event). Where it has
    none, the series changes in place, starting on that date. Cancellations and moves from
    that date that still fall on a date of the new rule go with it. The save is
    version-checked and logged in one transaction. Returns the series in force from
    ``effective_from``.
    """
    with transaction.atomic():
        stored = MeetingSeries.objects.select_related("group").get(pk=series.pk)
        if not schedule_changed(stored, series):
            series.save()
            return series
        before = stored.schedule_in_words
        day_before = effective_from - timedelta(days=1)
        held_before = bool(series_dates(stored, series_first_date(stored), day_before))
        if held_before:
            current = _split(stored, series, effective_from, day_before)
        else:
            series.valid_from = max(filter(None, [series.valid_from, effective_from]))
            series.save()
            current = series
        record_change(
            kind=ChangeKind.SCHEDULE_CHANGED,
            group=stored.group,
            summary=f"{_name(stored)} schedule changed from {effective_from:%-d %B %Y}",
            before=before,
            after=current.schedule_in_words,
            url=stored.group.get_absolute_url(),
            subject=stored.change_subject,
            reschedules=True,
            by=by,
            at=at,
        )
        return current


def _name(series):
    group = series.group
    return f"{group.short_name} {series.title}" if series.title else group.short_name


def _split(stored, series, effective_from, day_before):
    """End the stored rule the day before ``effective_from``; start the new one on it."""
    new = MeetingSeries(
        **{
            field.attname: getattr(series, field.attname)
            for field in MeetingSeries._meta.concrete_fields
            if field.attname not in ("id", "version", "updated_at")
        }
    )
    new.slug = f"{stored.slug}-from-{effective_from:%Y%m%d}"
    new.valid_from = effective_from
    new.valid_until = stored.valid_until
    ended = series  # the user's form: its version guards the row against a stale edit
    for field in SCHEDULE_FIELDS:
        setattr(ended, field, getattr(stored, field))
    ended.valid_until = day_before
    ended.save()
    new.save()
    for change in [*stored.cancellations.all(), *stored.moves.all()]:
        day = change.date if isinstance(change, Cancellation) else change.original_date
        if day >= effective_from and series_dates(new, day, day):
            change.series = new
            change.save()
    return new
