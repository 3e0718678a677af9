"""Series expansion against an oracle, over any dates from 2000 to 2100.

The oracle walks the calendar one day at a time and keeps the days that fit the rule as
the seed words it: the n-th given weekday of the month is that weekday in the month's n-th
run of seven days (1st to 7th, 8th to 14th, ...), the last is that weekday with no other
after it in the month; every N weeks is the anchor and each day a whole number of N weeks
after it. Neither uses dateutil, which ``meetings.recurrence`` expands the series' RRULE
with. Each is cut to the series' validity, its known-from date and the asked window, both
ends inclusive.
"""

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from meetings.enums import Frequency
from meetings.models import MeetingSeries
from meetings.recurrence import SERIES_EPOCH, is_rule_date, series_dates

ORDINALS = (1, 2, 3, 4, 5, -1)
FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)


def _clamp(day: date) -> date:
    return min(max(day, FIRST), LAST)


def monthly(ordinal, weekday, valid_from=None, valid_until=None, known_from=None):
    return MeetingSeries(
        frequency=Frequency.MONTHLY,
        ordinal=ordinal,
        weekday=weekday,
        valid_from=valid_from,
        valid_until=valid_until,
        known_from=known_from,
    )


def every_n_weeks(interval, anchor, valid_from=None, valid_until=None, known_from=None):
    return MeetingSeries(
        frequency=Frequency.EVERY_N_WEEKS,
        interval_weeks=interval,
        anchor_date=anchor,
        valid_from=valid_from,
        valid_until=valid_until,
        known_from=known_from,
    )


def days(low: date, high: date):
    day = low
    while day <= high:
        yield day
        day += timedelta(days=1)


def is_nth_weekday(day: date, weekday: int, ordinal: int) -> bool:
    """The oracle's monthly rule, from the day alone."""
    if day.weekday() != weekday:
        return False
    if ordinal == -1:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == ordinal


def is_every_n_weeks(day: date, interval: int, anchor: date) -> bool:
    """The oracle's rule every N weeks, from the day alone."""
    return day >= anchor and (day - anchor).days % (7 * interval) == 0


def _bounds(start, end, valid_from, valid_until, known_from, first):
    """The window cut to the series' validity and known-from date; ``first`` stands in for
    no valid_from."""
    low = max(start, valid_from or first, known_from or FIRST)
    high = min(end, valid_until) if valid_until else end
    return low, high


def oracle_monthly(ordinal, weekday, start, end, valid_from, valid_until, known_from=None):
    low, high = _bounds(start, end, valid_from, valid_until, known_from, SERIES_EPOCH)
    return [d for d in days(low, high) if is_nth_weekday(d, weekday, ordinal)]


def oracle_weekly(interval, anchor, start, end, valid_from, valid_until, known_from=None):
    low, high = _bounds(start, end, valid_from, valid_until, known_from, anchor)
    return [d for d in days(low, high) if is_every_n_weeks(d, interval, anchor)]


def test_the_oracle_reads_a_printed_calendar():
    """The oracle itself, against dates read off a calendar for December 2026 and
    January 2027 (December starts on a Tuesday, January on a Friday)."""
    december = (date(2026, 12, 1), date(2026, 12, 31), None, None)
    assert oracle_monthly(1, 2, *december) == [date(2026, 12, 2)]
    assert oracle_monthly(4, 3, *december) == [date(2026, 12, 24)]
    assert oracle_monthly(5, 3, *december) == [date(2026, 12, 31)]
    assert oracle_monthly(-1, 3, *december) == [date(2026, 12, 31)]
    assert oracle_monthly(-1, 4, *december) == [date(2026, 12, 25)]
    assert oracle_monthly(5, 4, *december) == []
    assert oracle_weekly(2, date(2026, 1, 2), *december) == [date(2026, 12, 4), date(2026, 12, 18)]
    assert oracle_weekly(3, date(2027, 1, 1), *december) == []
    january = (date(2027, 1, 1), date(2027, 1, 31), None, None)
    assert oracle_monthly(1, 4, *january) == [date(2027, 1, 1)]
    assert oracle_monthly(1, 3, *january) == [date(2027, 1, 7)]
    assert oracle_monthly(5, 4, *january) == [date(2027, 1, 29)]


@st.composite
def windows(draw):
    """A window of up to four years, with an optional validity near it (so that the
    cut falls inside the window as often as outside it)."""
    start = draw(st.dates(FIRST, LAST))
    end = _clamp(start + timedelta(days=draw(st.integers(0, 4 * 366))))
    valid_from = draw(
        st.none() | st.integers(-500, 1500).map(lambda d: _clamp(start + timedelta(days=d)))
    )
    valid_until = draw(
        st.none() | st.integers(-1500, 500).map(lambda d: _clamp(end + timedelta(days=d)))
    )
    if valid_from and valid_until and valid_until < valid_from:  # the model refuses these
        valid_from, valid_until = valid_until, valid_from
    return start, end, valid_from, valid_until


@settings(max_examples=300, deadline=None)
@given(
    ordinal=st.sampled_from(ORDINALS),
    weekday=st.integers(0, 6),
    window=windows(),
)
# Thursday 31 December 2026 is December's 5th Thursday: the 5th falls on the month's last day.
@example(ordinal=5, weekday=3, window=(date(2026, 12, 31), date(2026, 12, 31), None, None))
@example(ordinal=5, weekday=3, window=(date(2026, 12, 1), date(2027, 1, 31), None, None))
# A window that is one day, and a validity that starts and ends on a meeting day.
@example(ordinal=1, weekday=2, window=(date(2026, 12, 2), date(2026, 12, 2), None, None))
@example(
    ordinal=-1,
    weekday=6,
    window=(date(2030, 1, 1), date(2031, 1, 1), date(2030, 3, 31), date(2030, 10, 27)),
)
# Before the epoch a series with no valid_from has no meetings.
@example(ordinal=2, weekday=0, window=(date(2023, 6, 1), date(2024, 2, 29), None, None))
# The last Sunday of March and of October: the clocks change, the dates do not.
@example(ordinal=-1, weekday=6, window=(date(2027, 3, 1), date(2027, 10, 31), None, None))
def test_monthly_series_dates_match_the_oracle(ordinal, weekday, window):
    start, end, valid_from, valid_until = window
    series = monthly(ordinal, weekday, valid_from, valid_until)
    expected = oracle_monthly(ordinal, weekday, start, end, valid_from, valid_until)
    assert series_dates(series, start, end) == expected


@settings(max_examples=300, deadline=None)
@given(
    interval=st.integers(1, 8),
    anchor=st.dates(FIRST, LAST),
    window=windows(),
    near=st.booleans(),
    shift=st.integers(-3 * 366, 60),
)
# The window's first and last days are meeting days.
@example(
    interval=2,
    anchor=date(2026, 1, 2),
    window=(date(2026, 12, 4), date(2027, 1, 29), None, None),
    near=False,
    shift=0,
)
# valid_from before the anchor: nothing before the anchor.
@example(
    interval=3,
    anchor=date(2040, 5, 7),
    window=(date(2040, 1, 1), date(2040, 12, 31), date(2039, 1, 1), None),
    near=False,
    shift=0,
)
# valid_from between two meeting days, and a one-day window that is not a meeting day.
@example(
    interval=4,
    anchor=date(2001, 1, 1),
    window=(date(2001, 2, 1), date(2001, 6, 30), date(2001, 1, 30), date(2001, 5, 21)),
    near=False,
    shift=0,
)
@example(
    interval=1,
    anchor=date(2001, 1, 1),
    window=(date(2001, 1, 9), date(2001, 1, 9), None, None),
    near=False,
    shift=0,
)
# Across both clock changes of 2027 (28 March, 31 October) and a leap day.
@example(
    interval=2,
    anchor=date(2027, 3, 26),
    window=(date(2027, 1, 1), date(2028, 3, 31), None, None),
    near=False,
    shift=0,
)
def test_every_n_weeks_series_dates_match_the_oracle(interval, anchor, window, near, shift):
    start, end, valid_from, valid_until = window
    if near:  # an anchor shortly before (or just inside) the window, as real series have
        anchor = _clamp(start + timedelta(days=shift))
    series = every_n_weeks(interval, anchor, valid_from, valid_until)
    expected = oracle_weekly(interval, anchor, start, end, valid_from, valid_until)
    assert series_dates(series, start, end) == expected


@settings(max_examples=50, deadline=None)
@given(window=windows())
def test_ad_hoc_series_have_no_dates(window):
    start, end, valid_from, valid_until = window
    series = MeetingSeries(
        frequency=Frequency.AD_HOC, valid_from=valid_from, valid_until=valid_until
    )
    assert series_dates(series, start, end) == []


def test_every_monthly_rule_matches_the_oracle_from_2000_to_2100():
    """Each of the 42 monthly rules, over every day of the century: 1,212 months each."""
    expected = {(ordinal, weekday): [] for ordinal in ORDINALS for weekday in range(7)}
    for day in days(FIRST, LAST):  # one walk for all the rules
        for ordinal in ORDINALS:
            if is_nth_weekday(day, day.weekday(), ordinal):
                expected[ordinal, day.weekday()].append(day)
    wrong = {}
    for (ordinal, weekday), dates in expected.items():
        found = series_dates(monthly(ordinal, weekday, valid_from=FIRST), FIRST, LAST)
        if found != dates:
            wrong[ordinal, weekday] = sorted(set(found) ^ set(dates))[:3]
        # The 5th comes in some months only; every other rule once in each month.
        if ordinal == 5:
            assert 0 < len(dates) < 101 * 12
        else:
            assert len(dates) == 101 * 12
    assert wrong == {}


@settings(max_examples=200, deadline=None)
@given(
    ordinal=st.sampled_from(ORDINALS),
    weekday=st.integers(0, 6),
    day=st.dates(FIRST, LAST),
    interval=st.integers(1, 8),
    anchor=st.dates(FIRST, LAST),
    known_from=st.dates(FIRST, LAST),
)
def test_a_rule_date_whatever_the_validity(ordinal, weekday, day, interval, anchor, known_from):
    """``is_rule_date`` reads the rule alone: a known-from date or validity does not
    change it (a first date to confirm may come before them)."""
    bounded = monthly(ordinal, weekday, valid_from=LAST, valid_until=LAST, known_from=known_from)
    assert is_rule_date(bounded, day) == is_nth_weekday(day, weekday, ordinal)
    weekly = every_n_weeks(interval, anchor, valid_from=LAST, known_from=known_from)
    assert is_rule_date(weekly, day) == is_every_n_weeks(day, interval, anchor)


@settings(max_examples=200, deadline=None)
@given(
    ordinal=st.sampled_from(ORDINALS),
    weekday=st.integers(0, 6),
    interval=st.integers(1, 8),
    anchor=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    window=windows(),
    known_from=st.dates(FIRST, LAST),
)
# The seed's known-from date, 1 April 2024, against a window over Q1 2024.
@example(
    ordinal=3,
    weekday=2,
    interval=2,
    anchor=date(2024, 1, 5),
    window=(date(2024, 1, 1), date(2024, 6, 30), None, None),
    known_from=date(2024, 4, 1),
)
def test_no_date_before_the_known_from_date(ordinal, weekday, interval, anchor, window, known_from):
    """A known-from date only removes the dates before it: the rule's other dates stay, and
    every N weeks still count from the anchor."""
    start, end, valid_from, valid_until = window
    found = series_dates(monthly(ordinal, weekday, valid_from, valid_until, known_from), start, end)
    assert found == oracle_monthly(
        ordinal, weekday, start, end, valid_from, valid_until, known_from
    )
    found = series_dates(
        every_n_weeks(interval, anchor, valid_from, valid_until, known_from), start, end
    )
    assert found == oracle_weekly(interval, anchor, start, end, valid_from, valid_until, known_from)
