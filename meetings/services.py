"""The writes of meetings, each logged in the change log by the service that makes it, in
its transaction: a series' schedule changed from a date on (past meetings stay as they
were), the programme office's corrections of what the directory inferred of its dates,
and single meetings cancelled, moved or added (one-off meetings).

A save that changes nothing writes nothing: no row, no entry (``Versioned.save``).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changelog.services import record_change, subject_of
from core import clock

from .enums import RULE_FIELDS, TIME_FIELDS, Frequency, MeetingChangeKind
from .models import Cancellation, MeetingSeries, Move, OneOffMeeting
from .recurrence import series_dates, series_first_date
from .validators import series_validate_first_date

SCHEDULE_FIELDS = (*RULE_FIELDS, *TIME_FIELDS)
KNOWN_FROM_LATER_REFUSED = (
    "Meetings are listed from a date no later than today: {day} is in the future, and a "
    "later date would hide meetings already held, which a schedule change never does. If "
    "the record of the past is wrong, an administrator can correct it."
)
CORRECTION_ONLY_SUPERUSER = "Only an administrator may correct the record of the past."


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
        _log_schedule_change(
            stored,
            summary=f"{_name(stored)} schedule changed from {effective_from:%-d %B %Y}",
            before=before,
            after=current.schedule_in_words,
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


def series_confirm_first_date(
    *, series: MeetingSeries, first_date, by, at, correction_reason: str = ""
) -> MeetingSeries:
    """The programme office confirms the date of the series' first meeting: a correction
    of the record, logged in the same transaction.

    The series counts its dates from ``first_date`` (its anchor, every N weeks) and lists
    none before it (its known-from date, now set by the programme office). Its dates no
    longer rest on an inference: from then on its meetings are confirmed, past ones too,
    since they were only ever tentative. ``series`` may carry other edits of the same form;
    the save is version-checked. The first date is its known-from date too, so a date later
    than today is refused as there (``known_from_errors``).
    """
    series_validate_first_date(series=series, day=first_date, field="confirm_first_date")
    errors = known_from_errors(
        known_from=first_date,
        today=timezone.localdate(at),
        by=by,
        correction_reason=correction_reason,
        field="confirm_first_date",
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = MeetingSeries.objects.select_related("group").get(pk=series.pk)
        before = (
            f"Tentative: {stored.dates_inferred}"
            if stored.dates_inferred
            else f"{stored.schedule_in_words}; {stored.known_from_text}"
        )
        if series.frequency == Frequency.EVERY_N_WEEKS:
            series.anchor_date = first_date
        series.known_from = first_date
        series.known_from_set_on = timezone.localdate(at)
        series.dates_inferred = ""
        series.dates_confirmed_on = timezone.localdate(at)
        series.save()
        _log_schedule_change(
            stored,
            summary=_correction_summary(
                f"{_name(stored)} first meeting date confirmed as {first_date:%-d %B %Y}",
                correction_reason,
            ),
            before=before,
            after=f"Confirmed by the programme office: {series.schedule_in_words}, "
            f"from {first_date:%A %-d %B %Y}.",
            by=by,
            at=at,
        )
        return series


def _log_schedule_change(stored: MeetingSeries, *, summary, before, after, by, at) -> None:
    """The change-log entry of a change to a series' dates: its feed event's SEQUENCE rises."""
    record_change(
        kind=MeetingChangeKind.SCHEDULE_CHANGED,
        group=stored.group,
        summary=summary,
        before=before,
        after=after,
        url=stored.group.get_absolute_url(),
        subject=subject_of(stored),
        reschedules=True,
        by=by,
        at=at,
    )


def _correction_summary(what: str, correction_reason: str) -> str:
    """The change log's summary of a correction of a series' dates; an administrator's
    correction that hides meetings already held leads with it, as a status correction."""
    if correction_reason:
        return f"Correction of the record: {what} ({correction_reason})"
    return f"{what} (a correction of the record)"


def known_from_errors(
    *, known_from, today, by, correction_reason="", field="known_from"
) -> dict[str, str]:
    """Why a series' meetings may not be listed from ``known_from``, by form field: a date
    later than today would hide meetings already held; only a superuser sets one, as a
    correction of the record with a reason."""
    if correction_reason and not (by is not None and by.is_superuser):
        return {field: CORRECTION_ONLY_SUPERUSER}  # on the date: the box is not offered
    if known_from > today and not correction_reason:
        return {field: KNOWN_FROM_LATER_REFUSED.format(day=f"{known_from:%-d %B %Y}")}
    return {}


def series_set_known_from(
    *, series: MeetingSeries, known_from, by, at, correction_reason: str = ""
) -> MeetingSeries:
    """The programme office sets the date from which the series' meetings are listed (no
    longer the directory's inference): a correction of the record, logged. A date later
    than today would hide meetings already held: refused (``ValidationError``) but for a
    superuser's correction with a ``correction_reason``, which the change log shows."""
    errors = known_from_errors(
        known_from=known_from,
        today=timezone.localdate(at),
        by=by,
        correction_reason=correction_reason,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stored = MeetingSeries.objects.select_related("group").get(pk=series.pk)
        series.known_from = known_from
        series.known_from_set_on = timezone.localdate(at)
        series.save()
        listed = f"{_name(stored)} meetings listed from {known_from:%-d %B %Y}"
        _log_schedule_change(
            stored,
            summary=_correction_summary(listed, correction_reason),
            before=stored.known_from_text or "No known-from date.",
            after=series.known_from_text,
            by=by,
            at=at,
        )
        return series


def series_add(*, series: MeetingSeries, by) -> MeetingSeries:
    """Add a series (an administrator's): a known-from date given with it is the programme
    office's, set today, not an inference."""
    if series.known_from:
        series.known_from_set_on = clock.today()
    series.updated_by = by
    series.save()
    return series


@transaction.atomic
def series_delete(*, series: MeetingSeries, by) -> None:
    """Remove a series (an administrator's) with its cancellations and moves: its feed
    event goes, and the change log says so."""
    _log_schedule_change(
        series,
        summary=f"{_name(series)} schedule removed",
        before=series.schedule_in_words,
        after="",
        by=by,
        at=None,
    )
    series.delete()


# Single meetings: a cancellation adds an EXDATE to its series' event, a move an override of
# one of its occurrences, a one-off meeting an event of its own.


def _day(day) -> str:
    return f"{day:%A %-d %B %Y}"


def _when(start, end) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{_day(start)}, {start:%H:%M} to {end:%H:%M}"


def _log_meeting(*, group, by, **entry) -> None:
    record_change(group=group, url=group.get_absolute_url(), by=by, **entry)


@transaction.atomic
def cancellation_save(*, cancellation: Cancellation, by) -> Cancellation:
    """Cancel one meeting of a series, or change a cancellation's date or note; logged.
    Saving it unchanged writes nothing."""
    stored = cancellation.stored()
    if stored is not None and not cancellation.changed_fields(stored):
        return cancellation
    cancellation.updated_by = by
    cancellation.save()
    series = cancellation.series
    day, note = cancellation.date, cancellation.note
    if stored is None:
        _log_meeting(
            group=series.group,
            by=by,
            kind=MeetingChangeKind.MEETING_CANCELLED,
            summary=f"{_name(series)} meeting of {_day(day)} cancelled",
            before=f"{_day(day)}: {series.schedule_in_words}",
            after=note or "Cancelled",
            subject=subject_of(series),
            reschedules=True,
        )
    elif (stored.date, stored.note) != (day, note):
        _log_meeting(
            group=series.group,
            by=by,
            kind=MeetingChangeKind.MEETING_CANCELLED,
            summary=f"{_name(series)} cancellation changed: {_day(day)}",
            before=f"{_day(stored.date)}: {stored.note or 'Cancelled'}",
            after=f"{_day(day)}: {note or 'Cancelled'}",
            subject=subject_of(series),
            reschedules=stored.date != day,
        )
    return cancellation


@transaction.atomic
def cancellation_delete(*, cancellation: Cancellation, by) -> None:
    """Withdraw a cancellation: the meeting is on again; logged."""
    series = cancellation.series
    _log_meeting(
        group=series.group,
        by=by,
        kind=MeetingChangeKind.CANCELLATION_WITHDRAWN,
        summary=f"{_name(series)} meeting of {_day(cancellation.date)} is on again",
        before="Cancelled",
        after=f"{_day(cancellation.date)}: {series.schedule_in_words}",
        subject=subject_of(series),
        reschedules=True,
    )
    cancellation.delete()


MOVE_FIELDS = ("original_date", "start", "end", "note")


@transaction.atomic
def move_save(*, move: Move, by) -> Move:
    """Move one meeting of a series, or change a moved meeting; logged. Saving it
    unchanged writes nothing."""
    stored = move.stored()
    if stored is not None and not move.changed_fields(stored):
        return move
    move.updated_by = by
    move.save()
    series = move.series
    if stored is None:
        _log_meeting(
            group=series.group,
            by=by,
            kind=MeetingChangeKind.MEETING_MOVED,
            summary=f"{_name(series)} meeting of {_day(move.original_date)} moved "
            f"to {_day(timezone.localtime(move.start))}",
            before=f"{_day(move.original_date)}: {series.schedule_in_words}",
            after=_when(move.start, move.end),
            subject=subject_of(move),
        )
    elif any(getattr(stored, f) != getattr(move, f) for f in MOVE_FIELDS):
        _log_meeting(
            group=series.group,
            by=by,
            kind=MeetingChangeKind.MOVE_CHANGED,
            summary=f"{_name(series)} moved meeting of {_day(move.original_date)} changed",
            before=_when(stored.start, stored.end),
            after=_when(move.start, move.end),
            subject=subject_of(move),
            reschedules=(stored.start, stored.end) != (move.start, move.end),
        )
    return move


@transaction.atomic
def move_delete(*, move: Move, by) -> None:
    """Withdraw a move: the meeting is back at its usual time; logged."""
    series = move.series
    _log_meeting(
        group=series.group,
        by=by,
        kind=MeetingChangeKind.MOVE_WITHDRAWN,
        summary=f"{_name(series)} meeting of {_day(move.original_date)} is back at its usual time",
        before=_when(move.start, move.end),
        after=f"{_day(move.original_date)}: {series.schedule_in_words}",
        subject=subject_of(series),
        reschedules=True,
    )
    move.delete()


ONE_OFF_FIELDS = ("title", "start", "end", "note", "group_id")


@transaction.atomic
def one_off_save(*, meeting: OneOffMeeting, by) -> OneOffMeeting:
    """Add a one-off meeting, or change one; logged. Saving it unchanged writes nothing."""
    stored = meeting.stored()
    if stored is not None and not meeting.changed_fields(stored):
        return meeting
    meeting.updated_by = by
    meeting.save()
    if stored is None:
        _log_meeting(
            group=meeting.group,
            by=by,
            kind=MeetingChangeKind.ONE_OFF_ADDED,
            summary=f"{meeting.display_title}: one-off meeting on "
            f"{_day(timezone.localtime(meeting.start))}",
            after=_when(meeting.start, meeting.end),
            subject=subject_of(meeting),
        )
    elif any(getattr(stored, f) != getattr(meeting, f) for f in ONE_OFF_FIELDS):
        _log_meeting(
            group=meeting.group,
            by=by,
            kind=MeetingChangeKind.ONE_OFF_CHANGED,
            summary=f"{meeting.display_title}: one-off meeting changed",
            before=_when(stored.start, stored.end),
            after=_when(meeting.start, meeting.end),
            subject=subject_of(meeting),
            reschedules=(stored.start, stored.end) != (meeting.start, meeting.end),
        )
    return meeting


@transaction.atomic
def one_off_delete(*, meeting: OneOffMeeting, by) -> None:
    """Remove a one-off meeting; logged (its feed event goes)."""
    _log_meeting(
        group=meeting.group,
        by=by,
        kind=MeetingChangeKind.ONE_OFF_REMOVED,
        summary=f"{meeting.display_title}: one-off meeting of "
        f"{_day(timezone.localtime(meeting.start))} removed",
        before=_when(meeting.start, meeting.end),
        subject=subject_of(meeting),
        reschedules=True,
    )
    meeting.delete()
