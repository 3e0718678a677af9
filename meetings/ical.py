"""iCalendar feeds: one VEVENT per series, overrides for moved meetings, one-offs alone.

Every DTSTART carries TZID=Europe/London, described by a rule-form VTIMEZONE (one
STANDARD and one DAYLIGHT observance with yearly RRULEs), the form Outlook reads and
Mozilla's ical.js expands correctly. Nothing here reads the clock: each event's DTSTAMP
and LAST-MODIFIED come from its own rows, so an unchanged feed is byte-identical.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from changelog.services import subject_of
from groups.provenance import with_sic

from .models import local_datetime
from .occurrences import called_days, join_notes
from .recurrence import (
    bank_holiday_name,
    bank_holidays_between,
    series_dates,
    series_first_date,
)

TZID = "Europe/London"
PRODID = "-//MHHS Governance Directory//Governance meetings//EN"
UID_DOMAIN = "mhhs-governance-directory"
ORGANIZER_NAME = "MHHS PMO"
REFRESH = timedelta(hours=4)
EMPTY_FEED_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL_CHARS.sub("", text or "")


def london_vtimezone() -> Timezone:
    """Europe/London in rule form: BST from the last Sunday of March, GMT from October's."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "BST")
    daylight.add("dtstart", datetime(1970, 3, 29, 1, 0, 0))  # noqa: DTZ001 (floating local)
    daylight.add("tzoffsetfrom", timedelta(hours=0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "GMT")
    standard.add("dtstart", datetime(1970, 10, 25, 2, 0, 0))  # noqa: DTZ001 (floating local)
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(hours=0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _describe(group, page_url: str, series=None) -> str:
    parts = [with_sic(group.purpose)] if group.purpose else []
    if series is not None and series.attendance_not_stated:
        parts.append(f"Attendance: not stated in the source for the {series.display_title}.")
    else:
        parts.append(f"Attendance: {group.get_attendance_display()}.")
        if group.attendees:
            parts.append(f"Attendees: {group.attendees}")
    parts.append(f"Agenda, papers and details: {page_url}")
    return _clean("\n\n".join(parts))


@dataclass(frozen=True)
class FeedHistory:
    """What the change log says of a feed's events, by change-log subject.

    ``reschedules`` counts the changes of an event's dates, times or status (its
    SEQUENCE); ``last_at`` is its latest change of any kind (its LAST-MODIFIED).
    ``called`` gives, by group slug, the count and latest time of the changes to the
    group's one-off meetings that add or remove a day of its held slot's EXDATEs (a one-off
    added or removed, or moved to other times). All only grow, since change-log entries
    are never removed.
    """

    reschedules: Mapping[str, int] = field(default_factory=dict)
    last_at: Mapping[str, datetime] = field(default_factory=dict)
    called: Mapping[str, tuple[int, datetime]] = field(default_factory=dict)

    def sequence(self, subjects) -> int:
        return sum(self.reschedules.get(s, 0) for s in subjects)

    def modified(self, subjects, *baseline: datetime) -> datetime:
        return max([*baseline, *(self.last_at[s] for s in subjects if s in self.last_at)])


def _event(
    group,
    *,
    uid,
    start,
    end,
    sequence,
    title,
    page_url,
    modified,
    note="",
    tentative=False,
    busy=False,
    series=None,
):
    """A VEVENT with what every event of a group carries; times in UK local time.

    A tentative event (STATUS:TENTATIVE) does not block time unless ``busy``: a held slot
    may not happen, while a meeting on an inferred date happens on that day or near it.
    """
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(end))
    event.add("sequence", sequence)
    event.add("summary", _clean(f"{group.acronym}: {title}" if group.acronym else title))
    event.add("dtstamp", _utc(modified))
    event.add("last-modified", _utc(modified))
    description = _describe(group, page_url, series)
    event.add("description", _clean(f"{note}\n\n{description}") if note else description)
    event.add("url", page_url)
    if group.workstream_id:
        event.add("categories", [group.workstream.name])
    if tentative:
        event.add("status", "TENTATIVE")
    event.add("transp", "TRANSPARENT" if tentative and not busy else "OPAQUE")
    return event


def _segments(item, periods):
    """The spans of a series' dates on which its group meets: one recurring event each.

    Each is (first date, last date or None); a span with no date of the rule is left out.
    """
    found = []
    first_of_series = series_first_date(item)
    for start, end in periods:
        start = max(filter(None, [start, first_of_series]))
        end = min(filter(None, [end, item.valid_until]), default=None)
        if end is not None and end < start:
            continue
        # A rule repeats within a year of its first date, which is not before its anchor.
        horizon = max(start, item.anchor_date or start) + timedelta(days=400)
        dates = series_dates(item, start, end or horizon)
        if dates:
            found.append((dates[0], end))
    return found


def _recur(event, item, first_day, last_day, *, excluded):
    """The series' RRULE on ``event``, ending with UNTIL on ``last_day`` if any, and an
    EXDATE for each of the ``excluded`` days within the span."""
    rule = vRecur.from_ical(item.rrule)
    if last_day is not None:
        rule["UNTIL"] = _utc(local_datetime(last_day, item.end_time))
    event.add("rrule", rule)
    for day in excluded:
        if first_day <= day and (last_day is None or day <= last_day):
            event.add("exdate", local_datetime(day, item.start_time))


def bank_holiday_note(name: str) -> str:
    return f"Bank holiday ({name}): check with the PMO that it goes ahead."


def _add_series(cal, item, *, history, absolute_url, organizer, holidays_until):
    group = item.group
    # One event stands for every meeting of the series: its link is the group's meetings,
    # each with its page; a meeting given its own override links to its own page.
    page_url = absolute_url(group.get_meetings_url())
    title = item.title or group.name
    subjects = (subject_of(item), subject_of(group))
    sequence = history.sequence(subjects)
    modified = history.modified(subjects, item.updated_at, group.updated_at)
    periods = group.meeting_periods()
    cancelled = sorted(c.date for c in item.cancellations.all())
    # Dates resting on an inference: tentative, saying why, until confirmed.
    inferred = {"tentative": True, "busy": True} if item.is_tentative else {}
    for index, (first_day, last_day) in enumerate(_segments(item, periods)):
        base = f"{group.slug}-{item.slug}"
        uid = f"{base}@{UID_DOMAIN}" if index == 0 else f"{base}-{first_day:%Y%m%d}@{UID_DOMAIN}"
        master = _event(
            group,
            uid=uid,
            start=local_datetime(first_day, item.start_time),
            end=local_datetime(first_day, item.end_time),
            sequence=sequence,
            title=title,
            page_url=page_url,
            modified=modified,
            note=item.dates_inferred,
            series=item,
            **inferred,
        )
        _organize(master, organizer)
        # A moved occurrence is not excluded: its RECURRENCE-ID override replaces it.
        _recur(master, item, first_day, last_day, excluded=cancelled)
        cal.add_component(master)
        moved = {m.original_date for m in item.moves.all()}
        if holidays_until is not None:
            until = min(filter(None, [last_day, holidays_until]))
            for day, name in bank_holidays_between(first_day, until).items():
                if day in moved or day in cancelled or not series_dates(item, day, day):
                    continue
                # The same meeting, flagged: it may not go ahead on a bank holiday.
                flagged = _event(
                    group,
                    uid=uid,
                    start=local_datetime(day, item.start_time),
                    end=local_datetime(day, item.end_time),
                    # The master's: flagging a date is no change of it.
                    sequence=sequence,
                    title=title,
                    page_url=absolute_url(group.get_meeting_url(day)),
                    modified=modified,
                    note=_notes(bank_holiday_note(name), item.dates_inferred),
                    series=item,
                    **inferred,
                )
                _organize(flagged, organizer)
                flagged.add("recurrence-id", local_datetime(day, item.start_time))
                cal.add_component(flagged)
        for move in item.moves.all():
            if move.original_date < first_day or (last_day and move.original_date > last_day):
                continue
            move_subjects = (subject_of(move),)
            override = _event(
                group,
                uid=uid,
                start=move.start,
                end=move.end,
                # Above the master's: an override outranks the rule it changes.
                sequence=sequence + 1 + history.sequence(move_subjects),
                title=title,
                page_url=absolute_url(group.get_meeting_url(timezone.localdate(move.start))),
                modified=history.modified(move_subjects, modified, move.updated_at),
                note=move.note,
                series=item,
            )
            _organize(override, organizer)
            override.add("recurrence-id", local_datetime(move.original_date, item.start_time))
            cal.add_component(override)


def _add_held_slot(cal, item, *, history, absolute_url, organizer, called):
    """A held slot's dates while its group is ad hoc: one tentative event per span. A day
    the slot is used by a one-off meeting, or cancelled, is excluded: a change to the
    group's one-off meetings changes those EXDATEs, so it raises SEQUENCE and LAST-MODIFIED
    too (a one-off on another day raises them as well: its entries do not say which day it
    left)."""
    group = item.group
    subjects = (subject_of(item), subject_of(group))
    called_count, called_at = history.called.get(group.slug, (0, None))
    cancelled = sorted(
        {c.date for c in item.cancellations.all()} | {d for g, d in called if g == group.slug}
    )
    note = join_notes(
        "A slot held for meetings called when needed: it goes ahead only if called.",
        group.status_note,
        item.slot_note,
    )
    for index, (first_day, last_day) in enumerate(_segments(item, group.slot_periods())):
        base = f"{group.slug}-{item.slug}-slot"
        uid = f"{base}@{UID_DOMAIN}" if index == 0 else f"{base}-{first_day:%Y%m%d}@{UID_DOMAIN}"
        event = _event(
            group,
            uid=uid,
            start=local_datetime(first_day, item.start_time),
            end=local_datetime(first_day, item.end_time),
            sequence=history.sequence(subjects) + called_count,
            title=item.title or group.name,
            page_url=absolute_url(group.get_absolute_url()),
            modified=history.modified(
                subjects, *filter(None, [item.updated_at, group.updated_at, called_at])
            ),
            note=note,
            tentative=True,
            series=item,
        )
        _organize(event, organizer)
        _recur(event, item, first_day, last_day, excluded=cancelled)
        cal.add_component(event)


def _organize(event, organizer):
    if organizer:
        event.add(
            "organizer", vCalAddress(f"mailto:{organizer}"), parameters={"CN": ORGANIZER_NAME}
        )


def build_calendar(
    *,
    name: str,
    series,
    one_offs,
    absolute_url,
    history=None,
    organizer=None,
    holidays_until=None,
) -> Calendar:
    """A feed for the given series and one-off meetings.

    ``series`` are the regular ones (``MeetingSeries.objects.regular()``), with
    ``group__workstream``, ``group__status_changes``, ``cancellations`` and ``moves``
    loaded: each becomes one recurring event per span of dates on which its group meets
    (a status change that stops meetings ends the event with UNTIL; one that starts them
    again begins another). ``history`` (``FeedHistory``) gives each event its SEQUENCE and
    LAST-MODIFIED; ``organizer`` is the PMO's address. ``absolute_url`` turns a path into
    the full address used in URL and DESCRIPTION. Meetings on an England and Wales bank
    holiday up to ``holidays_until`` get an override whose DESCRIPTION says to check
    with the PMO that they go ahead.
    """
    history = history or FeedHistory()
    one_offs = list(one_offs)
    called = called_days(one_offs)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", vText(name))
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT4H")
    cal.add_component(london_vtimezone())

    for item in series:
        _add_series(
            cal,
            item,
            history=history,
            absolute_url=absolute_url,
            organizer=organizer,
            holidays_until=holidays_until,
        )
        if item.held_slot:
            _add_held_slot(
                cal,
                item,
                history=history,
                absolute_url=absolute_url,
                organizer=organizer,
                called=called,
            )

    for meeting in one_offs:
        group = meeting.group
        subjects = (subject_of(meeting),)
        event = _event(
            group,
            uid=f"one-off-{meeting.pk}@{UID_DOMAIN}",
            start=meeting.start,
            end=meeting.end,
            sequence=history.sequence(subjects),
            title=meeting.title or group.name,
            page_url=absolute_url(group.get_meeting_url(timezone.localdate(meeting.start))),
            modified=history.modified(subjects, meeting.updated_at),
            note=_one_off_note(meeting),
        )
        _organize(event, organizer)
        cal.add_component(event)
    return cal


def _notes(*notes) -> str:
    return "\n\n".join(n for n in notes if n)


def _one_off_note(meeting) -> str:
    holiday = bank_holiday_name(timezone.localdate(meeting.start))
    notes = [bank_holiday_note(holiday)] if holiday else []
    return "\n\n".join([*notes, *([meeting.note] if meeting.note else [])])


def calendar_last_modified(cal: Calendar) -> datetime:
    """The newest LAST-MODIFIED of the feed's events; the epoch for an empty feed."""
    stamps = [event.decoded("last-modified") for event in cal.walk("VEVENT")]
    return max(stamps, default=EMPTY_FEED_MODIFIED)
