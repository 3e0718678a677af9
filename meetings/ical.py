"""iCalendar feeds: one VEVENT per series, overrides for moved meetings, one-offs alone.

Every DTSTART carries TZID=Europe/London, described by a rule-form VTIMEZONE (one
STANDARD and one DAYLIGHT observance with yearly RRULEs), the form Outlook reads and
Mozilla's ical.js expands correctly. Nothing here reads the clock: each event's DTSTAMP
and LAST-MODIFIED come from its own rows, so an unchanged feed is byte-identical.
"""

import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from .models import local_datetime
from .recurrence import series_dates, series_first_date

TZID = "Europe/London"
PRODID = "-//MHHS Governance Directory//Governance meetings//EN"
UID_DOMAIN = "mhhs-governance-directory"
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


def _describe(group, page_url: str) -> str:
    parts = [group.purpose] if group.purpose else []
    parts.append(f"Attendance: {group.get_attendance_display()}.")
    if group.attendees:
        parts.append(f"Attendees: {group.attendees}")
    parts.append(f"Details: {page_url}")
    return _clean("\n\n".join(parts))


def _event(group, *, uid, start, end, sequence, title, page_url, modified, note=""):
    """A VEVENT with what every event of a group carries; times in UK local time."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", timezone.localtime(start))
    event.add("dtend", timezone.localtime(end))
    event.add("sequence", sequence)
    event.add("summary", _clean(f"{group.acronym}: {title}" if group.acronym else title))
    event.add("dtstamp", _utc(modified))
    event.add("last-modified", _utc(modified))
    description = _describe(group, page_url)
    event.add("description", _clean(f"{note}\n\n{description}") if note else description)
    event.add("url", page_url)
    if group.workstream_id:
        event.add("categories", [group.workstream.name])
    event.add("transp", "OPAQUE")
    return event


def build_calendar(*, name: str, series, one_offs, absolute_url) -> Calendar:
    """A feed for the given series and one-off meetings.

    ``series`` are the regular ones (``MeetingSeries.objects.regular()``), with
    ``group__workstream``, ``cancellations`` and ``moves`` loaded: each becomes a recurring
    event. ``absolute_url`` turns a path into the full address used in URL and DESCRIPTION.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT4H")
    cal.add_component(london_vtimezone())

    for item in series:
        group = item.group
        first_day = next(iter(series_dates(item, series_first_date(item), _far(item))), None)
        if first_day is None:
            continue
        page_url = absolute_url(group.get_absolute_url())
        changes = [*item.cancellations.all(), *item.moves.all()]
        modified = max([item.updated_at, group.updated_at, *(c.updated_at for c in changes)])
        uid = f"{group.slug}-{item.slug}@{UID_DOMAIN}"

        common = {"title": item.title or group.name, "page_url": page_url}
        master = _event(
            group,
            uid=uid,
            start=local_datetime(first_day, item.start_time),
            end=local_datetime(first_day, item.end_time),
            sequence=0,
            modified=modified,
            **common,
        )
        rule = vRecur.from_ical(item.rrule)
        if item.valid_until:
            rule["UNTIL"] = _utc(local_datetime(item.valid_until, item.end_time))
        master.add("rrule", rule)
        # A moved occurrence is not excluded: its RECURRENCE-ID override replaces it.
        for day in sorted(c.date for c in item.cancellations.all()):
            master.add("exdate", local_datetime(day, item.start_time))
        cal.add_component(master)

        for move in item.moves.all():
            override = _event(
                group,
                uid=uid,
                start=move.start,
                end=move.end,
                sequence=1,
                modified=max(modified, move.updated_at),
                note=move.note,
                **common,
            )
            override.add("recurrence-id", local_datetime(move.original_date, item.start_time))
            cal.add_component(override)

    for meeting in one_offs:
        group = meeting.group
        cal.add_component(
            _event(
                group,
                uid=f"one-off-{meeting.pk}@{UID_DOMAIN}",
                start=meeting.start,
                end=meeting.end,
                sequence=0,
                title=meeting.title or group.name,
                page_url=absolute_url(group.get_absolute_url()),
                modified=max(meeting.updated_at, group.updated_at),
            )
        )
    return cal


def calendar_last_modified(cal: Calendar) -> datetime:
    """The newest LAST-MODIFIED of the feed's events; the epoch for an empty feed."""
    stamps = [event.decoded("last-modified") for event in cal.walk("VEVENT")]
    return max(stamps, default=EMPTY_FEED_MODIFIED)


def _far(item):
    """Far enough ahead to find a series' first date (its rule repeats within a year)."""
    return series_first_date(item) + timedelta(days=400)
