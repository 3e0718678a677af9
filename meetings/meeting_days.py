"""One group's meetings on one UK date, read from its schedule: what a meeting record needs."""

from dataclasses import dataclass
from datetime import date

from .occurrences import Occurrence, occurrences_between
from .selectors import regular_series_prefetch


def schedule_prefetch():
    """What ``group_occurrences`` reads of a group: its regular series with their
    cancellations and moves, its one-off meetings and its status history."""
    return (regular_series_prefetch(), "one_off_meetings", "status_changes")


@dataclass(frozen=True)
class MeetingDay:
    """A group's meetings on one date, and those of its meetings moved away from it."""

    day: date
    occurrences: list[Occurrence]
    moved_away: list  # meetings.Move rows whose original date is ``day``

    def __bool__(self):
        return bool(self.occurrences or self.moved_away)

    @property
    def is_cancelled(self) -> bool:
        """Every meeting that day is cancelled (and there is at least one)."""
        return bool(self.occurrences) and all(o.is_cancelled for o in self.occurrences)


def _loaded(group):
    """The group with ``schedule_prefetch()`` loaded (read again if it was not)."""
    if hasattr(group, "regular_series"):
        return group
    return type(group).objects.prefetch_related(*schedule_prefetch()).get(pk=group.pk)


def group_occurrences(group, start: date, end: date) -> list[Occurrence]:
    """``group``'s occurrences from ``start`` to ``end`` inclusive, cancelled ones included."""
    group = _loaded(group)
    return occurrences_between(
        start,
        end,
        series=group.regular_series,
        one_offs=group.one_off_meetings.all(),
        include_cancelled=True,
    )


def meeting_day(group, day: date) -> MeetingDay:
    """What ``group`` has on ``day``: its meetings (a held slot not called is not one)."""
    group = _loaded(group)
    occurrences = [o for o in group_occurrences(group, day, day) if not o.held_slot]
    moved_away = [
        m for item in group.regular_series for m in item.moves.all() if m.original_date == day
    ]
    return MeetingDay(day=day, occurrences=occurrences, moved_away=moved_away)


def meets_on(group, day: date) -> bool:
    """Whether ``group`` has a meeting (held, planned, on a tentative date, or cancelled)
    on ``day``: a held slot's date that nobody called is none."""
    return any(not o.held_slot for o in group_occurrences(group, day, day))
