"""Occurrences of meetings: a pure expansion of series, changes and one-off meetings."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from groups.periods import in_periods

from .enums import OccurrenceStatus
from .models import local_datetime
from .recurrence import bank_holiday_name, series_dates


@dataclass(frozen=True)
class Occurrence:
    group: object
    series: object | None
    title: str
    start: datetime
    end: datetime
    status: str = OccurrenceStatus.CONFIRMED
    bank_holiday: str | None = None
    moved_from: date | None = None
    one_off: bool = False
    note: str = ""
    held_slot: bool = False  # a date of a held slot, not called: no meeting unless called

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def page_url(self):
        """The meeting's own page: its papers, decisions and actions (a held slot not
        called is no meeting: its group's page)."""
        if self.held_slot:
            return self.group.get_absolute_url()
        return self.group.get_meeting_url(self.local_start.date())

    @property
    def is_cancelled(self):
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def is_tentative(self):
        """A held slot's date, or a meeting whose date rests on an inference."""
        return self.status == OccurrenceStatus.TENTATIVE

    @property
    def is_meeting(self):
        """A meeting planned to take place (perhaps on a tentative date): not cancelled,
        and not a held slot's date that nobody has called."""
        return not self.is_cancelled and not self.held_slot

    @property
    def note_anchor(self):
        """The id of the calendar page's note on this occurrence's series."""
        return f"note-{self.group.slug}-{self.series.slug}" if self.series else ""

    def when(self, today) -> str:
        """ "Wednesday 2 December 2026, 10:00 to 12:00", with "today" or "tomorrow"."""
        start, end = self.local_start, self.local_end
        text = f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"
        relative = {today: "today", today + timedelta(days=1): "tomorrow"}.get(start.date())
        return f"{text} ({relative})" if relative else text

    @property
    def shows_series_title(self):
        """Whether the series' own title is worth showing beside the group's acronym."""
        return bool(self.series is not None and self.series.title) or (
            self.one_off and bool(self.title) and self.title != self.group.display_name
        )


def _occurrence(group, series, title, start, end, **kwargs):
    return Occurrence(
        group=group,
        series=series,
        title=title,
        start=start,
        end=end,
        bank_holiday=bank_holiday_name(timezone.localtime(start).date()),
        **kwargs,
    )


def join_notes(*notes) -> str:
    """The notes given, in order, as one text: each but the last ends as a sentence."""
    found = [n.strip() for n in notes if n and n.strip()]
    return " ".join(
        [*(n if n.endswith((".", "!", "?")) else f"{n}." for n in found[:-1]), *found[-1:]]
    )


def _slot_note(series) -> str:
    """What a held slot's dates say: the group's status note (the one holding today, as
    the series are read: ``groups.querysets.with_group_status_today``), then the source's
    words on the slot (where the source disagrees with itself)."""
    return join_notes(series.group.status_note, series.slot_note)


def _inferred(series) -> dict:
    """A series' dates that rest on an inference are tentative, saying why."""
    if series.is_tentative:
        return {"status": OccurrenceStatus.TENTATIVE, "note": series.dates_inferred}
    return {}


def called_days(one_offs) -> set:
    """(group slug, UK date) of each one-off meeting: a held slot that day has been used."""
    return {(m.group.slug, timezone.localdate(m.start)) for m in one_offs}


def occurrences_between(
    start: date, end: date, *, series, one_offs=(), include_cancelled: bool = False
) -> list[Occurrence]:
    """Every occurrence from ``start`` to ``end`` inclusive (UK local dates), sorted.

    ``series`` are the regular ones (``MeetingSeries.objects.regular()``), with ``group``
    and its ``status_changes``, ``cancellations`` and ``moves`` loaded: each gives its
    dates on which its group's status let it meet. One-off meetings are given as they are.
    A pure function: it reads neither clock nor database.
    """
    found = []
    one_offs = list(one_offs)
    called = called_days(one_offs)
    for item in series:
        group = item.group
        periods = group.meeting_periods()
        held = group.slot_periods() if item.held_slot else []
        cancelled = {c.date: c for c in item.cancellations.all()}
        moves = [m for m in item.moves.all() if in_periods(m.original_date, periods)]
        moved = {m.original_date for m in moves}
        for day in series_dates(item, start, end):
            if day in moved:
                continue
            if not in_periods(day, periods):
                if (
                    in_periods(day, held)
                    and day not in cancelled
                    and (group.slug, day) not in called
                ):
                    found.append(
                        _occurrence(
                            group,
                            item,
                            item.display_title,
                            local_datetime(day, item.start_time),
                            local_datetime(day, item.end_time),
                            status=OccurrenceStatus.TENTATIVE,
                            note=_slot_note(item),
                            held_slot=True,
                        )
                    )
                continue
            occurrence_start = local_datetime(day, item.start_time)
            occurrence_end = local_datetime(day, item.end_time)
            if day in cancelled:
                if include_cancelled:
                    found.append(
                        _occurrence(
                            group,
                            item,
                            item.display_title,
                            occurrence_start,
                            occurrence_end,
                            status=OccurrenceStatus.CANCELLED,
                            note=cancelled[day].note,
                        )
                    )
                continue
            found.append(
                _occurrence(
                    group,
                    item,
                    item.display_title,
                    occurrence_start,
                    occurrence_end,
                    **_inferred(item),
                )
            )
        for move in moves:
            if start <= timezone.localtime(move.start).date() <= end:
                found.append(
                    _occurrence(
                        group,
                        item,
                        item.display_title,
                        move.start,
                        move.end,
                        moved_from=move.original_date,
                        note=move.note,
                    )
                )
    for meeting in one_offs:
        if start <= timezone.localtime(meeting.start).date() <= end:
            found.append(
                _occurrence(
                    meeting.group,
                    None,
                    meeting.display_title,
                    meeting.start,
                    meeting.end,
                    one_off=True,
                    note=meeting.note,
                )
            )
    found.sort(key=lambda o: (o.start, o.group.short_name, o.title))
    return found


NEXT_DAYS = 400  # how far ahead the next meetings are looked for: every rule repeats within


def next_occurrences(*, series, one_offs=(), now: datetime, count: int = 3) -> list[Occurrence]:
    """The next ``count`` meetings (``Occurrence.is_meeting``) that have not ended by ``now``;
    a meeting on a tentative date says so."""
    today = timezone.localtime(now).date()
    upcoming = occurrences_between(
        today, today + timedelta(days=NEXT_DAYS), series=series, one_offs=one_offs
    )
    return first_meetings(upcoming, now=now, count=count)


def first_meetings(occurrences, *, now: datetime, count: int = 3) -> list[Occurrence]:
    """The first ``count`` of ``occurrences`` (sorted, as ``occurrences_between`` gives
    them, up to ``NEXT_DAYS`` ahead) that are meetings from today on not ended by ``now``."""
    today = timezone.localtime(now).date()
    return [
        o for o in occurrences if o.local_start.date() >= today and o.is_meeting and o.end > now
    ][:count]
