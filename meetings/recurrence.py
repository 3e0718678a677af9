"""A series' dates: the RRULE its feed event carries, expanded by dateutil. No database,
no clock.

The series' fields are the source of truth; ``rrule_text`` writes them as the one RRULE,
which the feed publishes (``MeetingSeries.rrule``) and ``series_rule`` parses, so the
calendar page, the JSON and the feed read the same rule. Cancellations, moves and held
slots are the callers'.
"""

from datetime import date, datetime, time
from functools import lru_cache

import holidays
from dateutil.rrule import rrulestr

from .enums import ICAL_DAYS, Frequency

# A series with neither a "valid from" nor a known-from date starts here. The seed gives
# each series a known-from date (1 April 2024, after its latest dated statement, "Q1 2024").
SERIES_EPOCH = date(2024, 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def rrule_text(series) -> str | None:
    """The series' rule as an iCalendar RRULE, from its fields: the text its feed event
    carries (``MeetingSeries.rrule``) and ``series_rule`` expands. None for an ad hoc
    series."""
    if series.frequency == Frequency.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={series.ordinal}{ICAL_DAYS[series.weekday]}"
    if series.frequency == Frequency.EVERY_N_WEEKS:
        day = ICAL_DAYS[series.anchor_date.weekday()]
        return f"FREQ=WEEKLY;INTERVAL={series.interval_weeks};BYDAY={day}"
    return None


def series_rule(series, counted_from: date):
    """The series' RRULE (``rrule_text``, as its feed writes it) with DTSTART on
    ``counted_from``, as a dateutil rule of local dates (at midnight; times are the
    caller's). Every N weeks, the weeks count from DTSTART: give the anchor."""
    return rrulestr(rrule_text(series), dtstart=_midnight(counted_from))


def _rule_dates(series, start: date, end: date) -> list[date]:
    """The dates of the series' rule from ``start`` to ``end`` inclusive, whatever its
    validity: every N weeks, counted from its anchor (none before it)."""
    if series.frequency == Frequency.AD_HOC or start > end:
        return []
    counted_from = series.anchor_date if series.frequency == Frequency.EVERY_N_WEEKS else start
    rule = series_rule(series, counted_from)
    return [m.date() for m in rule.between(_midnight(start), _midnight(end), inc=True)]


def is_rule_date(series, day: date) -> bool:
    """Whether ``day`` is a date of the series' rule, whatever its validity."""
    return bool(_rule_dates(series, day, day))


def series_first_date(series) -> date:
    """The first date a series may have: its own start, never before its known-from date."""
    own = series.valid_from or (
        series.anchor_date if series.frequency == Frequency.EVERY_N_WEEKS else SERIES_EPOCH
    )
    return max(own, series.known_from) if series.known_from else own


def series_dates(series, start: date, end: date) -> list[date]:
    """Every date of a series' rule from ``start`` to ``end`` inclusive (UK local dates),
    none before its first date (``series_first_date``) nor after its ``valid_until``."""
    start = max(start, series_first_date(series))
    if series.valid_until:
        end = min(end, series.valid_until)
    return _rule_dates(series, start, end)


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
