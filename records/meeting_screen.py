"""The programme office's meetings of one group, as its admin lists them: each meeting's
occurrence (as the calendar expands it), what it may do to it (cancel, move) and its record."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from meetings.meeting_days import group_occurrences, schedule_prefetch
from meetings.occurrences import Occurrence

from .models import MeetingRecord

UPCOMING_MONTHS = 12
RECENT_MONTHS = 3


def group_with_schedule(queryset, slug):
    """The group of ``slug`` with what its occurrences are read from, or None."""
    return queryset.prefetch_related(*schedule_prefetch()).filter(slug=slug).first()


@dataclass(frozen=True)
class Meeting:
    """One meeting of a group on a UK date: its occurrence and, once saved, its record."""

    group: object
    occurrence: Occurrence
    record: MeetingRecord | None = None

    @property
    def day(self) -> date:
        return self.occurrence.local_start.date()

    @property
    def is_series_meeting(self) -> bool:
        """A meeting of a regular series (not a one-off): the kind that is cancelled or
        moved one at a time."""
        return self.occurrence.series is not None and not self.occurrence.held_slot

    def may_cancel(self, today) -> bool:
        """Not yet held, not cancelled, and at its series' own date (a moved meeting is
        moved back first: its move is withdrawn on the series' page)."""
        occurrence = self.occurrence
        return (
            self.is_series_meeting
            and not occurrence.is_cancelled
            and occurrence.moved_from is None
            and self.day >= today
        )

    def may_move(self, today) -> bool:
        """Not yet held and not cancelled: a meeting already moved is moved again."""
        return self.is_series_meeting and not self.occurrence.is_cancelled and self.day >= today

    @property
    def marks(self) -> list[str]:
        """What the list and the screen say of it besides its time."""
        occurrence = self.occurrence
        marks = []
        if occurrence.is_cancelled:
            marks.append("Cancelled")
        if occurrence.moved_from is not None:
            marks.append(f"Moved from {occurrence.moved_from:%A %-d %B %Y}")
        if occurrence.held_slot:
            marks.append("Held date, not called: no meeting unless called")
        elif occurrence.is_tentative:
            marks.append("Tentative date")
        if occurrence.one_off:
            marks.append("One-off meeting")
        return marks


def meetings_of(group, *, today: date) -> tuple[list[Meeting], list[Meeting]]:
    """``group``'s upcoming meetings (today and the next 12 months) and its recent ones (the
    last 3 months, latest first), each with its record. Two queries at most once the group
    is read with ``group_with_schedule``: its records of that span, with their counts."""
    start = today - relativedelta(months=RECENT_MONTHS)
    end = today + relativedelta(months=UPCOMING_MONTHS)
    records = {
        record.date: record
        for record in MeetingRecord.objects.filter(group=group, date__range=(start, end))
        .annotate(
            papers=Count("documents", distinct=True),
            draft_decisions=Count(
                "decisions", filter=Q(decisions__published_at__isnull=True), distinct=True
            ),
        )
        .order_by()
    }
    found = [
        Meeting(group, o, records.get(o.local_start.date()))
        for o in group_occurrences(group, start, end)
    ]
    upcoming = [m for m in found if m.day >= today]
    recent = [m for m in reversed(found) if m.day < today]
    return upcoming, recent


def meeting_on(group, day: date) -> Meeting | None:
    """``group``'s meeting on ``day`` (a held date not called is none), or None. Where two
    occurrences share the date (rare), the first that is not cancelled."""
    found = [o for o in group_occurrences(group, day, day) if not o.held_slot]
    if not found:
        return None
    found.sort(key=lambda o: o.is_cancelled)
    record = MeetingRecord.objects.filter(group=group, date=day).first()
    return Meeting(group, found[0], record)
