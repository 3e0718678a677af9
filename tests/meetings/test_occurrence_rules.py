"""What the calendar lists for a span of days: each series' dates, less cancellations and
the days its group does not meet, with moved meetings at their new time and one-off meetings,
in the order of their start; and the next meetings a group page shows.

Series, changes and meetings are plain objects carrying what ``occurrences_between`` reads,
as the docstring allows: it is pure, reading neither clock nor database.
"""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from meetings.enums import Frequency
from meetings.occurrences import Occurrence, next_occurrences, occurrences_between
from meetings.selectors import month_calendar
from tests.conftest import LONDON

MARCH_1, MARCH_31 = date(2027, 3, 1), date(2027, 3, 31)


def _related(*items):
    return SimpleNamespace(all=lambda: list(items))


class FakeGroup(SimpleNamespace):
    def meeting_periods(self):
        return self.periods

    def slot_periods(self):
        return self.slots


def group(short_name, periods=((None, None),), slots=(), status_note=""):
    """A group that meets on ``periods``, and holds slots on ``slots`` (while ad hoc)."""
    return FakeGroup(
        slug=short_name.lower(),
        short_name=short_name,
        display_name=f"{short_name} group",
        periods=list(periods),
        slots=list(slots),
        status_note=status_note,
    )


def weekly(owner, title, *, anchor=MARCH_1, cancellations=(), moves=(), held_slot=False):
    """Every Monday from 1 March 2027 (or ``anchor``), 10:00 to 12:00 UK time."""
    return SimpleNamespace(
        group=owner,
        title=title,
        display_title=title or owner.display_name,
        frequency=Frequency.EVERY_N_WEEKS,
        interval_weeks=1,
        anchor_date=anchor,
        ordinal=None,
        weekday=None,
        valid_from=None,
        valid_until=None,
        start_time=time(10),
        end_time=time(12),
        held_slot=held_slot,
        known_from=None,
        is_tentative=False,
        dates_inferred="",
        slot_note="",
        attendance_not_stated=False,
        cancellations=_related(*cancellations),
        moves=_related(*moves),
    )


def last_monday(owner, title):
    """The last Monday of each month, 10:00 to 12:00 UK time."""
    return SimpleNamespace(
        group=owner,
        title=title,
        display_title=title,
        frequency=Frequency.MONTHLY,
        interval_weeks=None,
        anchor_date=None,
        ordinal=-1,
        weekday=0,
        valid_from=date(2027, 1, 1),
        valid_until=None,
        start_time=time(10),
        end_time=time(12),
        held_slot=False,
        known_from=None,
        is_tentative=False,
        dates_inferred="",
        slot_note="",
        attendance_not_stated=False,
        cancellations=_related(),
        moves=_related(),
    )


def at(day, hour, minute=0):
    return datetime(2027, 3, day, hour, minute, tzinfo=LONDON)


def cancellation(day, note=""):
    return SimpleNamespace(date=date(2027, 3, day), note=note)


def move(original_day, start, end, note=""):
    return SimpleNamespace(
        original_date=date(2027, 3, original_day), start=start, end=end, note=note
    )


def one_off(owner, title, start, end, note=""):
    return SimpleNamespace(group=owner, display_title=title, start=start, end=end, note=note)


M, C = group("M"), group("C")
M_MEETING = weekly(
    M,
    "",
    cancellations=[cancellation(8, "Room unavailable")],
    # 15 March's meeting is held on the 17th, 14:00 to 15:00 UTC.
    moves=[
        move(
            15,
            datetime(2027, 3, 17, 14, tzinfo=UTC),
            datetime(2027, 3, 17, 15, tzinfo=UTC),
            "Clash",
        )
    ],
)
M_FORUM = last_monday(M, "Forum")
C_WORKSHOP = one_off(C, "C workshop", at(22, 10), at(22, 11), "Bring data")


def march(*, include_cancelled=False):
    return occurrences_between(
        MARCH_1,
        MARCH_31,
        series=[M_MEETING, M_FORUM],
        one_offs=[C_WORKSHOP],
        include_cancelled=include_cancelled,
    )


def meeting(day, **kwargs):
    return Occurrence(M, M_MEETING, "M group", at(day, 10), at(day, 12), **kwargs)


def test_a_month_lists_each_meeting_once_in_order_with_its_changes():
    """Same start: by group (C before M), then by title. 29 March, Easter Monday, is after
    the clocks go forward (10:00 BST is 09:00 UTC); a moved meeting is listed at its new time."""
    moved = Occurrence(
        M,
        M_MEETING,
        "M group",
        datetime(2027, 3, 17, 14, tzinfo=UTC),
        datetime(2027, 3, 17, 15, tzinfo=UTC),
        moved_from=date(2027, 3, 15),
        note="Clash",
    )
    workshop = Occurrence(
        C, None, "C workshop", at(22, 10), at(22, 11), one_off=True, note="Bring data"
    )
    forum = Occurrence(M, M_FORUM, "Forum", at(29, 10), at(29, 12), bank_holiday="Easter Monday")
    assert march() == [
        meeting(1),
        moved,
        workshop,
        meeting(22),
        forum,
        meeting(29, bank_holiday="Easter Monday"),
    ]
    assert forum.local_start == datetime(2027, 3, 29, 10, tzinfo=LONDON)
    assert forum.start.astimezone(UTC) == datetime(2027, 3, 29, 9, tzinfo=UTC)


def test_cancelled_meetings_are_listed_only_when_asked_for_with_their_note():
    cancelled = meeting(8, status="cancelled", note="Room unavailable")
    assert cancelled not in march()
    found = march(include_cancelled=True)
    assert found[1] == cancelled
    assert [o.is_cancelled for o in found] == [False, True, False, False, False, False, False]
    assert len(found) == len(march()) + 1


def test_a_meeting_moved_across_the_edge_of_the_span_belongs_to_its_new_day():
    into = weekly(
        M,
        "",
        moves=[
            move(8, datetime(2027, 2, 26, 9, tzinfo=UTC), datetime(2027, 2, 26, 10, tzinfo=UTC))
        ],
    )
    out_of = weekly(
        M,
        "",
        moves=[move(29, datetime(2027, 4, 1, 9, tzinfo=UTC), datetime(2027, 4, 1, 10, tzinfo=UTC))],
    )
    feb = occurrences_between(date(2027, 2, 26), date(2027, 2, 26), series=[into])
    assert [(o.start, o.moved_from) for o in feb] == [
        (datetime(2027, 2, 26, 9, tzinfo=UTC), date(2027, 3, 8))
    ]
    assert [o.local_start.day for o in occurrences_between(MARCH_1, MARCH_31, series=[into])] == [
        1,
        15,
        22,
        29,
    ]
    assert [o.local_start.day for o in occurrences_between(MARCH_1, MARCH_31, series=[out_of])] == [
        1,
        8,
        15,
        22,
    ]


def test_one_off_meetings_are_listed_on_the_days_of_the_span_inclusive():
    first = one_off(C, "First", at(1, 9), at(1, 10))
    last = one_off(C, "Last", at(31, 16), at(31, 17))
    before = one_off(C, "Before", datetime(2027, 2, 28, 23, tzinfo=LONDON), at(1, 1))
    after = one_off(C, "After", datetime(2027, 4, 1, 0, 30, tzinfo=LONDON), at(31, 23))
    found = occurrences_between(MARCH_1, MARCH_31, series=[], one_offs=[last, after, first, before])
    assert [o.title for o in found] == ["First", "Last"]


def test_no_meetings_while_the_group_does_not_meet_and_none_moved_from_then():
    """The group stopped meeting from 9 March and met again from 22 March: 15 March's move
    goes with the meeting it moved, but 8 March's meeting and its cancellation stand."""
    paused = group("P", periods=[(None, date(2027, 3, 8)), (date(2027, 3, 22), None)])
    series = weekly(
        paused,
        "",
        moves=[
            move(15, at(16, 10), at(16, 12)),
            move(22, at(23, 10), at(23, 12)),
        ],
    )
    found = occurrences_between(MARCH_1, MARCH_31, series=[series])
    assert [(o.local_start.day, o.moved_from) for o in found] == [
        (1, None),
        (8, None),
        (23, date(2027, 3, 22)),
        (29, None),
    ]


def test_next_meetings_include_one_in_progress_and_leave_out_cancelled_ones():
    def upcoming(now, count=3):
        return next_occurrences(
            series=[M_MEETING, M_FORUM], one_offs=[C_WORKSHOP], now=now, count=count
        )

    # The 8th is cancelled: next come the moved meeting, then the 22nd's two.
    assert [(o.local_start, o.title) for o in upcoming(at(1, 13))] == [
        (datetime(2027, 3, 17, 14, tzinfo=LONDON), "M group"),
        (at(22, 10), "C workshop"),
        (at(22, 10), "M group"),
    ]
    # At 11:00 on the 22nd, the workshop has just ended; M's meeting runs until 12:00.
    assert [(o.local_start, o.title) for o in upcoming(at(22, 11), count=2)] == [
        (at(22, 10), "M group"),
        (at(29, 10), "Forum"),
    ]


def test_a_series_title_is_shown_beside_the_group_only_when_it_says_more():
    series_titled = Occurrence(M, M_FORUM, "Forum", at(29, 10), at(29, 12))
    series_untitled = Occurrence(M, M_MEETING, "M group", at(29, 10), at(29, 12))
    one_off_titled = Occurrence(C, None, "C workshop", at(22, 10), at(22, 11), one_off=True)
    one_off_untitled = Occurrence(C, None, "C group", at(22, 10), at(22, 11), one_off=True)
    assert series_titled.shows_series_title is True
    assert series_untitled.shows_series_title is False
    assert one_off_titled.shows_series_title is True
    assert one_off_untitled.shows_series_title is False
    assert one_off_titled.local_end == at(22, 11)


def test_next_meetings_are_counted_from_the_given_time_not_the_machine_clock():
    series = weekly(M, "", anchor=date(2024, 3, 4))
    found = next_occurrences(series=[series], now=datetime(2024, 3, 5, 9, tzinfo=LONDON), count=2)
    assert [o.local_start for o in found] == [
        datetime(2024, 3, 11, 10, tzinfo=LONDON),
        datetime(2024, 3, 18, 10, tzinfo=LONDON),
    ]


def test_a_held_slot_is_tentative_while_its_group_is_ad_hoc():
    """The group meets until 14 March, then is ad hoc: its held slot's later dates are
    tentative (with the status note), except one cancelled; never a next meeting."""
    held = group(
        "H",
        periods=[(None, date(2027, 3, 14))],
        slots=[(date(2027, 3, 15), None)],
        status_note="Meets when called",
    )
    slot = weekly(held, "", held_slot=True, cancellations=[cancellation(22)])
    plain = weekly(held, "Plain")

    def tentative(day, **kwargs):
        return Occurrence(
            held,
            slot,
            "H group",
            at(day, 10),
            at(day, 12),
            status="tentative",
            note="Meets when called",
            held_slot=True,
            **kwargs,
        )

    def confirmed(day):
        return Occurrence(held, slot, "H group", at(day, 10), at(day, 12))

    assert occurrences_between(MARCH_1, MARCH_31, series=[slot], include_cancelled=True) == [
        confirmed(1),
        confirmed(8),
        tentative(15),
        tentative(29, bank_holiday="Easter Monday"),
    ]
    assert [o.local_start.day for o in occurrences_between(MARCH_1, MARCH_31, series=[plain])] == [
        1,
        8,
    ]
    assert next_occurrences(series=[slot], now=at(2, 9)) == [confirmed(8)]
    # A meeting called on the 15th uses the slot that day; another group's does not.
    called = one_off(held, "Called meeting", at(15, 10), at(15, 12))
    other = one_off(C, "C workshop", at(29, 10), at(29, 11))
    found = occurrences_between(MARCH_1, MARCH_31, series=[slot], one_offs=[called, other])
    assert [(o.local_start.day, o.title, o.status) for o in found] == [
        (1, "H group", "confirmed"),
        (8, "H group", "confirmed"),
        (15, "Called meeting", "confirmed"),
        (29, "C workshop", "confirmed"),
        (29, "H group", "tentative"),
    ]


def test_the_month_grid_marks_bank_holidays_on_its_first_and_last_days(seeded):
    """September 2027's grid opens on Monday 30 August; December 2022's closes on Sunday
    1 January 2023."""
    september = month_calendar(2027, 9, today=date(2027, 9, 1))
    assert (september.weeks[0][0].date, september.weeks[0][0].bank_holiday) == (
        date(2027, 8, 30),
        "Late Summer Bank Holiday",
    )
    december = month_calendar(2022, 12, today=date(2022, 12, 1))
    assert (december.weeks[-1][-1].date, december.weeks[-1][-1].bank_holiday) == (
        date(2023, 1, 1),
        "New Year's Day",
    )
    assert december.weeks[-1][-2].bank_holiday is None
    assert december.weeks[-1][0].bank_holiday == "Boxing Day"


def test_when_reads_the_uk_time_and_says_today_or_tomorrow():
    """A group page's "Next meeting": Easter Monday 2027, 10:00 BST."""
    forum = Occurrence(M, M_FORUM, "Forum", at(29, 10), at(29, 12))
    assert forum.when(date(2027, 3, 29)) == "Monday 29 March 2027, 10:00 to 12:00 (today)"
    assert forum.when(date(2027, 3, 28)) == "Monday 29 March 2027, 10:00 to 12:00 (tomorrow)"
    assert forum.when(date(2027, 3, 30)) == "Monday 29 March 2027, 10:00 to 12:00"
    assert forum.when(date(2027, 3, 27)) == "Monday 29 March 2027, 10:00 to 12:00"


def test_dates_resting_on_an_inference_are_tentative_with_the_reason_until_confirmed():
    """A series whose dates the directory inferred gives tentative meetings, each saying
    why: still meetings (a next meeting, a meeting page), not held slots; a cancelled one
    stays cancelled with its own note, a moved one is set by hand and so confirmed."""
    reason = "Not stated in the source: we assume the Mondays."
    guessed = weekly(C, "", cancellations=[cancellation(15, "Off")])
    guessed.is_tentative, guessed.dates_inferred = True, reason
    guessed.moves = _related(move(22, at(23, 10), at(23, 12), "Moved"))
    found = occurrences_between(MARCH_1, MARCH_31, series=[guessed], include_cancelled=True)
    assert [(o.local_start.day, o.status, o.note) for o in found] == [
        (1, "tentative", reason),
        (8, "tentative", reason),
        (15, "cancelled", "Off"),
        (23, "confirmed", "Moved"),
        (29, "tentative", reason),
    ]
    assert all(o.is_meeting and not o.held_slot for o in found if o.status == "tentative")
    assert [
        o.local_start.day for o in next_occurrences(series=[guessed], now=at(9, 9), count=2)
    ] == [
        23,
        29,
    ]
    guessed.is_tentative, guessed.dates_inferred = False, ""
    confirmed = occurrences_between(MARCH_1, MARCH_31, series=[guessed])
    assert {(o.status, o.note) for o in confirmed if not o.moved_from} == {("confirmed", "")}


def test_a_held_slot_says_what_the_source_says_of_it_after_the_status_note():
    held = group("H", periods=[], slots=[(None, None)], status_note="Meets when called")
    slot = weekly(held, "", held_slot=True)
    slot.slot_note = "The source disagrees with itself."
    found = occurrences_between(MARCH_1, MARCH_1 + timedelta(days=6), series=[slot])
    assert [(o.status, o.note, o.held_slot) for o in found] == [
        ("tentative", "Meets when called. The source disagrees with itself.", True)
    ]
