"""Series expansion against dateutil's rrule, over any dates from 2000 to 2100.

dateutil is an independent implementation of RFC 5545 rules: a monthly series is
FREQ=MONTHLY;BYDAY=<n><day> and a series every N weeks is FREQ=WEEKLY;INTERVAL=N from its
anchor. Both are cut to the series' validity and to the asked window, both ends inclusive.
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule
from hypothesis import example, given, settings
from hypothesis import strategies as st

from meetings.enums import Frequency
from meetings.recurrence import SERIES_EPOCH, nth_weekday, series_dates

DAYS = (MO, TU, WE, TH, FR, SA, SU)
ORDINALS = (1, 2, 3, 4, 5, -1)
FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)


def _clamp(day: date) -> date:
    return min(max(day, FIRST), LAST)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def monthly(ordinal, weekday, valid_from=None, valid_until=None, known_from=None):
    return SimpleNamespace(
        frequency=Frequency.MONTHLY,
        ordinal=ordinal,
        weekday=weekday,
        interval_weeks=None,
        anchor_date=None,
        valid_from=valid_from,
        valid_until=valid_until,
        known_from=known_from,
    )


def every_n_weeks(interval, anchor, valid_from=None, valid_until=None, known_from=None):
    return SimpleNamespace(
        frequency=Frequency.EVERY_N_WEEKS,
        ordinal=None,
        weekday=None,
        interval_weeks=interval,
        anchor_date=anchor,
        valid_from=valid_from,
        valid_until=valid_until,
        known_from=known_from,
    )


def _bounds(start, end, valid_from, valid_until, first):
    """The window cut to the series' validity; ``first`` stands in for no valid_from."""
    low = max(start, valid_from or first)
    high = min(end, valid_until) if valid_until else end
    return low, high


def expected_monthly(ordinal, weekday, start, end, valid_from, valid_until):
    low, high = _bounds(start, end, valid_from, valid_until, SERIES_EPOCH)
    if low > high:
        return []
    rule = rrule(
        MONTHLY, byweekday=DAYS[weekday](ordinal), dtstart=_midnight(low), until=_midnight(high)
    )
    return [moment.date() for moment in rule]


def expected_weekly(interval, anchor, start, end, valid_from, valid_until):
    low, high = _bounds(start, end, valid_from, valid_until, anchor)
    if low > high:
        return []
    rule = rrule(WEEKLY, interval=interval, dtstart=_midnight(anchor), until=_midnight(high))
    return [moment.date() for moment in rule if moment.date() >= low]


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
def test_monthly_series_dates_match_rrule(ordinal, weekday, window):
    start, end, valid_from, valid_until = window
    series = monthly(ordinal, weekday, valid_from, valid_until)
    expected = expected_monthly(ordinal, weekday, start, end, valid_from, valid_until)
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
def test_every_n_weeks_series_dates_match_rrule(interval, anchor, window, near, shift):
    start, end, valid_from, valid_until = window
    if near:  # an anchor shortly before (or just inside) the window, as real series have
        anchor = _clamp(start + timedelta(days=shift))
    series = every_n_weeks(interval, anchor, valid_from, valid_until)
    expected = expected_weekly(interval, anchor, start, end, valid_from, valid_until)
    assert series_dates(series, start, end) == expected


@settings(max_examples=50, deadline=None)
@given(window=windows())
def test_ad_hoc_series_have_no_dates(window):
    start, end, valid_from, valid_until = window
    series = SimpleNamespace(
        frequency=Frequency.AD_HOC,
        ordinal=None,
        weekday=None,
        interval_weeks=None,
        anchor_date=None,
        valid_from=valid_from,
        valid_until=valid_until,
        known_from=None,
    )
    assert series_dates(series, start, end) == []


def test_nth_weekday_matches_rrule_for_every_month_from_2000_to_2100():
    months = [(year, month) for year in range(2000, 2101) for month in range(1, 13)]
    checked, wrong = 0, []
    for weekday in range(7):
        for ordinal in ORDINALS:
            rule = rrule(
                MONTHLY,
                byweekday=DAYS[weekday](ordinal),
                dtstart=_midnight(FIRST),
                until=_midnight(LAST),
            )
            expected = {(d.year, d.month): d.date() for d in rule}
            for year, month in months:
                found = nth_weekday(year, month, weekday, ordinal)
                if found != expected.get((year, month)):
                    wrong.append((year, month, weekday, ordinal, found))
                checked += 1
    assert wrong == []
    assert checked == 101 * 12 * 7 * 6


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
    """A known-from date only removes the dates before it: the rule's other dates stay."""
    start, end, valid_from, valid_until = window
    for plain, bounded in (
        (
            monthly(ordinal, weekday, valid_from, valid_until),
            monthly(ordinal, weekday, valid_from, valid_until, known_from),
        ),
        (
            every_n_weeks(interval, anchor, valid_from, valid_until),
            every_n_weeks(interval, anchor, valid_from, valid_until, known_from),
        ),
    ):
        expected = [d for d in series_dates(plain, start, end) if d >= known_from]
        assert series_dates(bounded, start, end) == expected
