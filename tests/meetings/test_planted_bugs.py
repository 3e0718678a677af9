"""Tests named after the one-line bug each one catches, in expansion and in feeds.

The pure tests build series, moves and one-off meetings as plain objects carrying what
``occurrences_between`` reads. Times that would come from the database are given in UTC,
as the database gives them; a UK date is read from them only after conversion.
"""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from meetings.enums import Frequency
from meetings.ical import build_calendar
from meetings.models import MeetingSeries, Move, OneOffMeeting
from meetings.occurrences import next_occurrences, occurrences_between
from meetings.selectors import series_queryset

LONDON = ZoneInfo("Europe/London")
UPDATED_AT = datetime(2026, 11, 26, 9, tzinfo=UTC)


def _related(*items):
    """Stands in for a prefetched related manager: ``.all()`` and nothing else."""
    return SimpleNamespace(all=lambda: list(items))


def _meta(label):
    """What ``changelog.services.subject_of`` reads of a model: its label."""
    return SimpleNamespace(label=label)


def _group(short_name="TG"):
    """A group whose status has let it meet regularly since ever."""
    return SimpleNamespace(
        _meta=_meta("groups.GovernanceGroup"),
        short_name=short_name,
        display_name=f"Test group ({short_name})",
        slug=short_name.lower(),
        meeting_periods=lambda: [(None, None)],
    )


def _series(group, *, ordinal=2, weekday=1, moves=(), start_time=time(10), end_time=time(12)):
    """The 2nd Tuesday of each month (unless told otherwise), 10:00 to 12:00 UK time."""
    return SimpleNamespace(
        _meta=_meta("meetings.MeetingSeries"),
        group=group,
        frequency=Frequency.MONTHLY,
        ordinal=ordinal,
        weekday=weekday,
        interval_weeks=None,
        anchor_date=None,
        valid_from=date(2027, 1, 1),
        valid_until=None,
        start_time=start_time,
        end_time=end_time,
        title="",
        slug="meeting",
        held_slot=False,
        known_from=None,
        is_tentative=False,
        dates_inferred="",
        slot_note="",
        attendance_not_stated=False,
        display_title=f"{group.short_name} meeting",
        cancellations=_related(),
        moves=_related(*moves),
    )


def _moved(original, start_utc, minutes=60, note=""):
    return SimpleNamespace(
        _meta=_meta("meetings.Move"),
        original_date=original,
        start=start_utc,
        end=start_utc + timedelta(minutes=minutes),
        note=note,
    )


# Thursday 1 July 2027, 00:30 BST, is 23:30 UTC on Wednesday 30 June.
JUST_AFTER_UK_MIDNIGHT = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)


def test_moved_meeting_is_found_on_its_uk_date_not_its_utc_date():
    move = _moved(date(2027, 7, 13), JUST_AFTER_UK_MIDNIGHT)
    series = [_series(_group(), moves=[move])]

    (found,) = occurrences_between(date(2027, 7, 1), date(2027, 7, 1), series=series)
    assert found.start == JUST_AFTER_UK_MIDNIGHT
    assert found.local_start == datetime(2027, 7, 1, 0, 30, tzinfo=LONDON)
    assert found.moved_from == date(2027, 7, 13)
    assert occurrences_between(date(2027, 6, 30), date(2027, 6, 30), series=series) == []
    # Month by month: the move is July's; June keeps only its own 2nd Tuesday, the 8th.
    june = occurrences_between(date(2027, 6, 1), date(2027, 6, 30), series=series)
    july = occurrences_between(date(2027, 7, 1), date(2027, 7, 31), series=series)
    assert [o.local_start for o in june] == [datetime(2027, 6, 8, 10, tzinfo=LONDON)]
    assert [(o.local_start.date(), o.moved_from) for o in july] == [
        (date(2027, 7, 1), date(2027, 7, 13))
    ]


def test_one_off_meeting_is_found_on_its_uk_date_not_its_utc_date():
    group = _group("DAG")
    meeting = SimpleNamespace(
        group=group,
        display_title="DAG extraordinary meeting",
        start=JUST_AFTER_UK_MIDNIGHT,
        end=JUST_AFTER_UK_MIDNIGHT + timedelta(hours=1),
        note="",
    )

    (found,) = occurrences_between(
        date(2027, 7, 1), date(2027, 7, 1), series=[], one_offs=[meeting]
    )
    assert (found.one_off, found.local_start.date()) == (True, date(2027, 7, 1))
    assert (
        occurrences_between(date(2027, 6, 30), date(2027, 6, 30), series=[], one_offs=[meeting])
        == []
    )


def test_bank_holiday_of_a_moved_meeting_is_read_on_its_uk_date():
    # Monday 30 August 2027 is the late summer bank holiday; 00:30 BST that day is
    # 23:30 UTC on Sunday the 29th, which is no holiday.
    move = _moved(date(2027, 8, 10), datetime(2027, 8, 29, 23, 30, tzinfo=UTC))
    series = [_series(_group(), moves=[move])]

    (found,) = occurrences_between(date(2027, 8, 30), date(2027, 8, 30), series=series)
    assert found.bank_holiday == "Late Summer Bank Holiday"


def test_occurrences_are_sorted_by_start_across_series_moves_and_one_offs():
    # B's 2nd Tuesday of March (the 9th) moves to 09:00 on the 2nd; A meets on 1st
    # Wednesdays (the 3rd) and B's one-off is on the 1st: the move must come between.
    a = _series(_group("A"), ordinal=1, weekday=2)
    b_group = _group("B")
    move = _moved(date(2027, 3, 9), datetime(2027, 3, 2, 9, tzinfo=UTC))
    b = _series(b_group, moves=[move])
    one_off = SimpleNamespace(
        group=b_group,
        display_title="B workshop",
        start=datetime(2027, 3, 1, 15, tzinfo=UTC),
        end=datetime(2027, 3, 1, 16, tzinfo=UTC),
        note="",
    )

    found = occurrences_between(
        date(2027, 3, 1), date(2027, 3, 31), series=[a, b], one_offs=[one_off]
    )
    assert [(o.group.short_name, o.local_start.day) for o in found] == [
        ("B", 1),
        ("B", 2),
        ("A", 3),
    ]


def test_next_meetings_include_the_one_in_progress_until_it_ends():
    series = [_series(_group(), ordinal=1, weekday=2)]  # 1st Wednesdays, 10:00 to 12:00

    def starts(now):
        found = next_occurrences(series=series, now=now, count=2)
        return [o.local_start.date() for o in found]

    assert starts(datetime(2027, 1, 6, 11, 59, tzinfo=LONDON)) == [
        date(2027, 1, 6),
        date(2027, 2, 3),
    ]
    assert starts(datetime(2027, 1, 6, 12, tzinfo=LONDON)) == [date(2027, 2, 3), date(2027, 3, 3)]


# Feeds, built from the seed's PSG series (1st Wednesday, 10:00 to 12:00 UK time).


def _psg_feed(**changes) -> tuple[Calendar, str]:
    psg = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    for field, value in changes.items():
        setattr(psg, field, value)
    psg.save()
    calendar = build_calendar(
        name="PSG",
        series=series_queryset(group_slugs=["psg"]),
        one_offs=OneOffMeeting.objects.filter(group__slug="psg").select_related("group"),
        absolute_url=lambda path: f"http://testserver{path}",
    )
    text = calendar.to_ical().decode()
    return Calendar.from_ical(text), text


PSG_UID = "psg-meeting@mhhs-governance-directory"


def _master(calendar, uid=PSG_UID):
    (master,) = [
        e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid and "RECURRENCE-ID" not in e
    ]
    return master


def _expanded_starts(calendar, start=date(2026, 12, 1), end=date(2028, 1, 1)):
    """Starts of PSG's meetings (not its webinars) in UK time, expanded by another library."""
    window = [datetime.combine(day, time(), tzinfo=LONDON) for day in (start, end)]
    events = recurring_ical_events.of(calendar).between(*window)
    return sorted(e["DTSTART"].dt.astimezone(LONDON) for e in events if e["UID"] == PSG_UID)


@pytest.mark.parametrize(
    ("valid_until", "until_utc", "last_meeting"),
    [
        # A meeting day in summer: 12:00 BST is 11:00 UTC.
        (date(2027, 7, 7), datetime(2027, 7, 7, 11, tzinfo=UTC), date(2027, 7, 7)),
        # A meeting day in winter: 12:00 GMT is 12:00 UTC.
        (date(2027, 1, 6), datetime(2027, 1, 6, 12, tzinfo=UTC), date(2027, 1, 6)),
        # Not a meeting day: the last meeting is the one before.
        (date(2027, 7, 20), datetime(2027, 7, 20, 11, tzinfo=UTC), date(2027, 7, 7)),
    ],
)
def test_feed_until_is_a_utc_datetime_and_keeps_a_meeting_on_valid_until(
    seeded, valid_until, until_utc, last_meeting
):
    calendar, text = _psg_feed(valid_until=valid_until)
    master = _master(calendar)
    assert master["DTSTART"].params["TZID"] == "Europe/London"
    (until,) = master["RRULE"]["UNTIL"]
    # RFC 5545: with a DTSTART that has a TZID, UNTIL must be a date-time in UTC.
    assert isinstance(until, datetime)
    assert until.utcoffset() == timedelta(0)
    assert until == until_utc
    assert f"UNTIL={until_utc:%Y%m%dT%H%M%S}Z" in text.replace("\r\n ", "")

    starts = _expanded_starts(calendar)
    assert starts[-1] == datetime.combine(last_meeting, time(10), tzinfo=LONDON)
    assert all(s.date() <= valid_until for s in starts)
    expected = occurrences_between(
        date(2026, 12, 1), date(2027, 12, 31), series=series_queryset(group_slugs=["psg"])
    )
    assert starts == [o.local_start for o in expected if o.series.slug == "meeting"]


def test_feed_starts_on_the_first_meeting_day_on_or_after_valid_from(seeded):
    # 10 January 2027 is a Sunday: PSG's first meeting from then is Wednesday 3 February.
    calendar, _ = _psg_feed(valid_from=date(2027, 1, 10))
    assert _master(calendar)["DTSTART"].dt == datetime(2027, 2, 3, 10, tzinfo=LONDON)
    assert _expanded_starts(calendar)[:2] == [
        datetime(2027, 2, 3, 10, tzinfo=LONDON),
        datetime(2027, 3, 3, 10, tzinfo=LONDON),
    ]


def test_series_whose_validity_holds_no_meeting_day_is_left_out_of_the_feed(seeded):
    calendar, text = _psg_feed(valid_from=date(2027, 1, 10), valid_until=date(2027, 1, 31))
    assert "psg-meeting@" not in text
    assert _master(calendar, uid="psg-pre-meeting-webinar@mhhs-governance-directory")


def test_every_time_in_a_feed_event_carries_the_london_tzid(seeded):
    psg = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    Move.objects.create(
        series=psg,
        original_date=date(2027, 7, 7),
        start=datetime(2027, 7, 8, 9, tzinfo=LONDON),
        end=datetime(2027, 7, 8, 11, tzinfo=LONDON),
    )
    OneOffMeeting.objects.create(
        group=psg.group,
        title="PSG extraordinary meeting",
        start=datetime(2027, 8, 18, 14, tzinfo=LONDON),
        end=datetime(2027, 8, 18, 15, tzinfo=LONDON),
    )
    calendar, _ = _psg_feed()
    events = calendar.walk("VEVENT")
    assert any("RECURRENCE-ID" in e for e in events)
    assert any(str(e["UID"]).startswith("one-off-") for e in events)
    for event in events:
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in event:
                assert event[name].params.get("TZID") == "Europe/London", (event["UID"], name)
    override = next(e for e in events if "RECURRENCE-ID" in e)
    one_off = next(e for e in events if str(e["UID"]).startswith("one-off-"))
    assert override["DTSTART"].dt == datetime(2027, 7, 8, 9, tzinfo=LONDON)
    assert one_off["DTSTART"].dt == datetime(2027, 8, 18, 14, tzinfo=LONDON)


# Feeds for any rule: the feed, expanded by another library, gives the same meetings as
# occurrences_between. No database: series are plain objects; the RRULE text is the model's.


def _feed_series(rule, valid_from, valid_until, times):
    frequency, ordinal, weekday, interval, anchor = rule
    group = SimpleNamespace(
        _meta=_meta("groups.GovernanceGroup"),
        slug="tg",
        name="Test group",
        acronym="TG",
        short_name="TG",
        display_name="Test group (TG)",
        purpose="",
        attendees="",
        get_attendance_display=lambda: "Open",
        workstream_id=None,
        updated_at=UPDATED_AT,
        get_absolute_url=lambda: "/groups/tg/",
        get_meetings_url=lambda: "/groups/tg/meetings/",
        get_meeting_url=lambda day: f"/groups/tg/meetings/{day:%Y-%m-%d}/",
        meeting_periods=lambda: [(None, None)],
    )
    item = _series(group, ordinal=ordinal, weekday=weekday, start_time=times[0], end_time=times[1])
    vars(item).update(
        frequency=frequency,
        interval_weeks=interval,
        anchor_date=anchor,
        valid_from=valid_from,
        valid_until=valid_until,
        updated_at=UPDATED_AT,
        rrule=MeetingSeries(
            frequency=frequency,
            ordinal=ordinal,
            weekday=weekday,
            interval_weeks=interval,
            anchor_date=anchor,
        ).rrule,
    )
    return item


def _feed_instants(calendar, start, end):
    window = [datetime.combine(day, time(), tzinfo=LONDON) for day in (start, end + timedelta(1))]
    events = recurring_ical_events.of(calendar).between(*window)
    return sorted((e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in events)


def _check_feed_against_occurrences(item, start, end, cancelled_index):
    days = [o.local_start.date() for o in occurrences_between(start, end, series=[item])]
    if days and cancelled_index is not None:
        day = days[cancelled_index % len(days)]
        item.cancellations = _related(SimpleNamespace(date=day, note="", updated_at=UPDATED_AT))
    expected = [
        (o.start.astimezone(UTC), o.end.astimezone(UTC))
        for o in occurrences_between(start, end, series=[item])
    ]
    calendar = build_calendar(name="Test", series=[item], one_offs=[], absolute_url=str)
    parsed = Calendar.from_ical(calendar.to_ical())
    assert _feed_instants(parsed, start, end) == expected


RULES = st.one_of(
    st.tuples(
        st.just(Frequency.MONTHLY),
        st.sampled_from((1, 2, 3, 4, 5, -1)),
        st.integers(0, 6),
        st.none(),
        st.none(),
    ),
    st.tuples(
        st.just(Frequency.EVERY_N_WEEKS),
        st.none(),
        st.none(),
        st.integers(1, 8),
        st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    ),
)
TIMES = st.sampled_from([(time(10), time(11, 30)), (time(18, 30), time(20))])


@settings(max_examples=150, deadline=None)
@given(
    rule=RULES,
    from_offset=st.none() | st.integers(-60, 400),
    length=st.integers(0, 800),
    window=st.tuples(st.integers(-90, 200), st.integers(0, 2 * 366)),
    cancelled_index=st.none() | st.integers(0, 30),
    times=TIMES,
)
# Every 8 weeks, valid from the day after a meeting and with no end: the first meeting is
# 55 days on, and the feed must look that far for it.
@example(
    rule=(Frequency.EVERY_N_WEEKS, None, None, 8, date(2027, 1, 1)),
    from_offset=1,
    length=800,
    window=(-10, 400),
    cancelled_index=None,
    times=(time(10), time(11, 30)),
)
# 5th Thursdays, valid from 1 December 2025 until Thursday 31 December 2026, the month's
# last day and its 5th Thursday: UNTIL is 20:00 GMT that day.
@example(
    rule=(Frequency.MONTHLY, 5, 3, None, None),
    from_offset=700,
    length=395,
    window=(0, 400),
    cancelled_index=None,
    times=(time(18, 30), time(20)),
)
def test_feed_expands_to_the_same_meetings_as_occurrences_for_any_rule_and_validity(
    rule, from_offset, length, window, cancelled_index, times
):
    """valid_from, if any, is ``from_offset`` days after the rule's anchor (or 2024-01-01 for
    a monthly rule); valid_until is ``length`` days after the first valid day, or none when
    ``length`` is 700 or more; ``window`` is (its start in days after that first day, its
    length in days). One of the window's meetings may be cancelled."""
    frequency, _, _, _, anchor = rule
    base = anchor if frequency == Frequency.EVERY_N_WEEKS else date(2024, 1, 1)
    valid_from = None if from_offset is None else base + timedelta(from_offset)
    first = valid_from or base
    valid_until = first + timedelta(length) if length < 700 else None
    start = first + timedelta(window[0])
    end = start + timedelta(window[1])
    item = _feed_series(rule, valid_from, valid_until, times)
    _check_feed_against_occurrences(item, start, end, cancelled_index)


def test_feed_keeps_a_series_valid_from_long_before_its_anchor():
    rule = (Frequency.EVERY_N_WEEKS, None, None, 2, date(2026, 1, 2))
    item = _feed_series(rule, date(2024, 1, 1), None, (time(13), time(14)))
    assert occurrences_between(date(2026, 1, 1), date(2026, 1, 31), series=[item])
    _check_feed_against_occurrences(item, date(2026, 1, 1), date(2026, 1, 31), None)
