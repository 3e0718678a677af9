"""Pure date arithmetic for meeting series: no database, no clock."""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .enums import Frequency

# A series with neither a "valid from" nor a known-from date starts here. The seed gives
# each series a known-from date (1 April 2024, after its latest dated statement, "Q1 2024").
SERIES_EPOCH = date(2024, 1, 1)


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date | None:
    """The n-th (1-5) or last (-1) given weekday of a month; None when there is no such day."""
    first_weekday, days_in_month = calendar.monthrange(year, month)
    if ordinal == -1:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    day = 1 + (weekday - first_weekday) % 7 + 7 * (ordinal - 1)
    return date(year, month, day) if day <= days_in_month else None


def _months(start: date, end: date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def series_first_date(series) -> date:
    """The first date a series may have: its own start, never before its known-from date."""
    own = series.valid_from or (
        series.anchor_date if series.frequency == Frequency.EVERY_N_WEEKS else SERIES_EPOCH
    )
    return max(own, series.known_from) if series.known_from else own


def series_dates(series, start: date, end: date) -> list[date]:
    """Every date of a series' rule from ``start`` to ``end`` inclusive (UK local dates)."""
    start = max(start, series_first_date(series))
    if series.valid_until:
        end = min(end, series.valid_until)
    if start > end:
        return []
    if series.frequency == Frequency.MONTHLY:
        found = (nth_weekday(y, m, series.weekday, series.ordinal) for y, m in _months(start, end))
        return [d for d in found if d is not None and start <= d <= end]
    if series.frequency == Frequency.EVERY_N_WEEKS:
        step = 7 * series.interval_weeks
        offset = (start - series.anchor_date).days
        first = series.anchor_date + timedelta(days=max(0, -(-offset // step)) * step)
        return [first + timedelta(days=step * i) for i in range((end - first).days // step + 1)]
    return []


@lru_cache(maxsize=256)
def _bank_holidays_for_year(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    """The England and Wales bank holiday on ``day``, by name, or None."""
    return _bank_holidays_for_year(day.year).get(day)


def bank_holidays_between(start: date, end: date) -> dict[date, str]:
    found = {}
    for year in range(start.year, end.year + 1):
        found.update(
            {d: name for d, name in _bank_holidays_for_year(year).items() if start <= d <= end}
        )
    return found
