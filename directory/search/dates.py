"""The date or month a search names, for a group's meetings: "PSG March", "SITWG 3 March
2027", "DAG 2027-03-03", "CCAG 3/3/2027", "PSG next month".

A day or month without a year is the next one from today (this month counts: on 26
November "November" is November 2026, "March" is March 2027). A date that does not exist
("31 February") is a ``BadDate`` with a sentence saying why.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# Years a search may name: the calendar's expansion is bounded, and an error names the range.
MIN_YEAR, MAX_YEAR = 2000, 2099

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"

# The forms understood, tried in this order; each names the day, month and year it gives.
_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<month_name>{_MONTH})\b{_YEAR}"),
    re.compile(rf"\b(?P<month_name>{_MONTH})\s+{_DAY}\b(?!\s*[:.]\d){_YEAR}"),
    re.compile(rf"\b(?P<month_name>{_MONTH})\b{_YEAR}"),
]
_RELATIVE = re.compile(r"\b(?P<word>today|tomorrow|(?:this|next) (?:week|month))\b")


class BadDate(ValueError):
    """A search names a date that does not exist, or one outside the years searched."""


@dataclass(frozen=True)
class When:
    """The days a search asks about, inclusive, in words, and where the query says them."""

    start: date
    end: date
    label: str  # "in March 2027", "on Wednesday 3 March 2027", "this week"
    span: tuple[int, int]  # the characters of the (lower-cased) query that gave them


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month(year: int, month: int, span) -> When:
    first = date(year, month, 1)
    last = first.replace(day=_month_days(year, month))
    return When(first, last, f"in {first:%B %Y}", span)


def _day(day: date, span) -> When:
    return When(day, day, f"on {day:%A %-d %B %Y}", span)


def _relative(word: str, today: date, span) -> When:
    if word == "today":
        return _day(today, span)
    if word == "tomorrow":
        return _day(today + timedelta(days=1), span)
    if word.endswith("week"):
        monday = today - timedelta(days=today.weekday())
        if word.startswith("next"):
            monday += timedelta(days=7)
        return When(monday, monday + timedelta(days=6), word, span)
    month_first = today.replace(day=1)
    if word.startswith("next"):
        month_first = (month_first + timedelta(days=32)).replace(day=1)
    return _month(month_first.year, month_first.month, span)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadDate(
            f"Meetings can be searched from {MIN_YEAR} to {MAX_YEAR}; {year} is outside "
            "those years."
        )


def _no_such_day(day: int, month: int, year: int | None) -> BadDate:
    name = calendar.month_name[month]
    if year is None:
        most = 29 if month == 2 else _month_days(2001, month)
        return BadDate(f"There is no {day} {name}: {name} has at most {most} days.")
    return BadDate(
        f"There is no {day} {name} {year}: {name} {year} has {_month_days(year, month)} days."
    )


def _resolve(day: int | None, month: int, year: int | None, today: date, span) -> When:
    if not 1 <= month <= 12:
        raise BadDate(f"There is no month {month}: give a month from 1 to 12, or its name.")
    if year is not None:
        _check_year(year)
        if day is None:
            return _month(year, month, span)
        if not 1 <= day <= _month_days(year, month):
            raise _no_such_day(day, month, year)
        return _day(date(year, month, day), span)
    if day is None:  # this month, or the next one of that name
        year = today.year if month >= today.month else today.year + 1
        return _month(year, month, span)
    if not 1 <= day <= (29 if month == 2 else _month_days(2001, month)):
        raise _no_such_day(day, month, None)
    # The next such date from today; 29 February in the next leap year.
    for year in range(today.year, today.year + 9):
        if day <= _month_days(year, month) and date(year, month, day) >= today:
            return _day(date(year, month, day), span)
    raise _no_such_day(day, month, None)  # not reached: a leap year comes within 8 years


def parse_when(query: str, *, today: date) -> When | None:
    """The first date, month or relative time (today, tomorrow, this or next week or
    month) that ``query`` names, or None; ``BadDate`` for one that does not exist."""
    text = query.lower()
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("month_name") == "may" and not (groups.get("day") or groups.get("year")):
                continue  # "may" alone is the verb more often than the month
            return _resolve_match(groups, today, match.span())
    match = _RELATIVE.search(text)
    if match is not None:
        return _relative(match["word"], today, match.span())
    return None


def _resolve_match(groups: dict, today: date, span) -> When:
    name = groups.get("month_name")
    month = MONTHS[name] if name else int(groups["month"])
    day = int(groups["day"]) if groups.get("day") else None
    year = int(groups["year"]) if groups.get("year") else None
    return _resolve(day, month, year, today, span)
