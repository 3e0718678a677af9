"""When a group meets regularly, from its status history: pure date arithmetic."""

from collections.abc import Iterable
from datetime import date, timedelta

from .enums import MEETS_REGULARLY

Period = tuple[date | None, date | None]  # first and last UK date, inclusive; None: open
_SINCE_EVER = object()


def meeting_periods(
    first_status: str,
    changes: Iterable[tuple[date, str]],
    statuses: frozenset = MEETS_REGULARLY,
) -> list[Period]:
    """The spans of dates on which the group's status was one of ``statuses`` (by default,
    those under which it meets regularly).

    ``first_status`` held before any change; ``changes`` are (effective date, new status)
    in the order they take effect. A change stops or starts meetings from its own date, so
    a group set to ad hoc today keeps every meeting before today.
    """
    periods: list[Period] = []
    since = _SINCE_EVER if first_status in statuses else None
    for day, status in changes:
        meets = status in statuses
        if since is not None and not meets:
            start = None if since is _SINCE_EVER else since
            if start is None or start < day:
                periods.append((start, day - timedelta(days=1)))
            since = None
        elif since is None and meets:
            since = day
    if since is not None:
        periods.append((None if since is _SINCE_EVER else since, None))
    return periods


def in_periods(day: date, periods: list[Period]) -> bool:
    return any(
        (start is None or start <= day) and (end is None or day <= end) for start, end in periods
    )
