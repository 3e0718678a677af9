"""Reads of meetings, each in a fixed number of queries."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from changelog.models import ChangeEntry
from groups.enums import PMO_MAILBOX, NoteKind
from groups.models import GovernanceGroup, Mailbox, Workstream
from groups.querysets import with_group_status_today
from groups.selectors import note_is_about

from .enums import Frequency, MeetingChangeKind
from .ical import FeedHistory
from .models import MeetingSeries, OneOffMeeting
from .occurrences import Occurrence, first_meetings, occurrences_between
from .recurrence import bank_holidays_between


def _scoped(queryset, *, group=None, group_slugs=None, workstream=None):
    """Narrow a queryset of things that belong to a group: one group, some, or a workstream."""
    if group is not None:
        queryset = queryset.filter(group=group)
    if group_slugs is not None:
        queryset = queryset.filter(group__slug__in=group_slugs)
    if workstream is not None:
        queryset = queryset.filter(group__workstream=workstream)
    return queryset


def series_queryset(**scope):
    """Regular series with what expansion and feeds touch: group (with the status that
    holds today, not the stored one), workstream, changes."""
    return _scoped(
        with_group_status_today(MeetingSeries.objects.regular())
        .select_related("group__workstream", "group__level")
        .prefetch_related("cancellations", "moves", "group__status_changes")
        .order_by("group__slug", "order", "pk"),
        **scope,
    )


def _entries_scoped(*, group=None, group_slugs=None, workstream=None):
    """The change log of one group, some, or a workstream's groups (entries name theirs
    by slug)."""
    entries = ChangeEntry.objects.all()
    if group is not None:
        entries = entries.filter(group_slug=group.slug)
    if group_slugs is not None:
        entries = entries.filter(group_slug__in=group_slugs)
    if workstream is not None:
        slugs = GovernanceGroup.objects.filter(workstream=workstream).values("slug")
        entries = entries.filter(group_slug__in=slugs)
    return entries


# The changes to a group's one-off meetings that add or remove an EXDATE of its held slot.
_CALLED = Q(kind__in=[MeetingChangeKind.ONE_OFF_ADDED, MeetingChangeKind.ONE_OFF_REMOVED]) | Q(
    kind=MeetingChangeKind.ONE_OFF_CHANGED, reschedules=True
)


def feed_history(**scope) -> FeedHistory:
    """The change log of a feed's groups, by subject: SEQUENCE and LAST-MODIFIED; and by
    group, the changes to its one-off meetings that change its held slot (one query)."""
    rows = (
        _entries_scoped(**scope)
        .order_by()
        .values("subject", "group_slug")
        .annotate(
            # Named apart from the fields their filters read.
            called_count=Count("pk", filter=_CALLED),
            called_at=Max("recorded_at", filter=_CALLED),
            rescheduled=Count("pk", filter=Q(reschedules=True)),
            last_at=Max("recorded_at"),
        )
    )
    reschedules, last_at, called = {}, {}, {}
    for row in rows:
        subject, group = row["subject"], row["group_slug"]
        reschedules[subject] = reschedules.get(subject, 0) + row["rescheduled"]
        last_at[subject] = max(filter(None, [last_at.get(subject), row["last_at"]]))
        if row["called_count"]:
            count, at = called.get(group, (0, None))
            called[group] = (count + row["called_count"], max(filter(None, [at, row["called_at"]])))
    return FeedHistory(reschedules=reschedules, last_at=last_at, called=called)


def feed_organizer() -> str | None:
    """The PMO mailbox's address, the feeds' ORGANIZER."""
    return Mailbox.objects.filter(slug=PMO_MAILBOX).values_list("address", flat=True).first()


def one_off_queryset(*, start=None, end=None, **scope):
    queryset = _scoped(
        OneOffMeeting.objects.select_related("group__workstream", "group__level"), **scope
    )
    if start is not None:
        queryset = queryset.filter(end__gte=start)
    if end is not None:
        queryset = queryset.filter(start__lt=end)
    return queryset


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())


def occurrences_in(start: date, end: date, *, workstream=None, include_cancelled=True):
    """Occurrences from ``start`` to ``end`` inclusive, for everyone or one workstream."""
    return occurrences_between(
        start,
        end,
        series=series_queryset(workstream=workstream),
        one_offs=one_off_queryset(
            workstream=workstream,
            start=_local_midnight(start),
            end=_local_midnight(end + timedelta(days=1)),
        ),
        include_cancelled=include_cancelled,
    )


def regular_series_prefetch():
    """Loads a group's regular series, with their changes, as ``group.regular_series``."""
    return Prefetch(
        "series",
        queryset=MeetingSeries.objects.regular().prefetch_related("cancellations", "moves"),
        to_attr="regular_series",
    )


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    bank_holiday: str | None
    is_past: bool = False
    occurrences: list = field(default_factory=list)
    # Meetings moved away from this day (each shown on its new day too), as occurrences.
    moved_away: list = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    occurrences: list[Occurrence]

    @property
    def first(self):
        return date(self.year, self.month, 1)

    @property
    def previous(self):
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def notes(self) -> list[tuple[str, Occurrence]]:
        """Each series' note on its tentative dates this month, once: (anchor, an occurrence)."""
        found: dict[str, Occurrence] = {}
        shown = (o for week in self.weeks for day in week for o in day.occurrences)
        for o in shown:
            if o.is_tentative and o.note and o.series is not None:
                found.setdefault(o.note_anchor, o)
        return list(found.items())


def month_calendar(year: int, month: int, *, today: date, workstream=None) -> Month:
    """A month grid, Monday to Sunday, with each day's meetings and bank holiday."""
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, end = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    found = occurrences_in(start, end, workstream=workstream)
    by_day: dict[date, list] = {}
    moved_away: dict[date, list] = {}
    for occurrence in found:
        by_day.setdefault(occurrence.local_start.date(), []).append(occurrence)
        if occurrence.moved_from is not None:
            moved_away.setdefault(occurrence.moved_from, []).append(occurrence)
    holidays = bank_holidays_between(start, end)
    weeks = [
        [
            Day(
                date=d,
                in_month=d.month == month,
                is_today=d == today,
                is_past=d < today,
                bank_holiday=holidays.get(d),
                occurrences=by_day.get(d, []),
                moved_away=moved_away.get(d, []),
            )
            for d in week
        ]
        for week in weeks_of_dates
    ]
    in_month = [o for o in found if o.local_start.month == month and o.local_start.year == year]
    return Month(year=year, month=month, weeks=weeks, occurrences=in_month)


WEEKS_OF_THE_MONTH = (1, 2, 3, 4)
FLAGGED_NOTE_KINDS = (NoteKind.DIFFERENCE, NoteKind.SINGLE_SOURCE, NoteKind.INFERRED)
WEEK_TABLE = "Monthly schedule by week of the month"


@dataclass
class PatternEntry:
    series: MeetingSeries
    flags: list  # the source notes on this series' schedule: sources differ, one, inferred
    name_flags: list  # where the week table writes the group's name otherwise


@dataclass
class PatternRow:
    workstream: object
    cells: list[list[PatternEntry]]
    name_flags: list  # where the week table names the row otherwise


def _about_series(note, series) -> bool:
    """Whether a note on the group's schedule is about this series: a note naming a titled
    series' kind ("webinar") is about that series only, any other about the untitled one."""
    titled = [s.title.split()[-1].lower() for s in series.group.series.all() if s.title]
    named = [word for word in titled if word in note.fact.lower()]
    if series.title:
        return series.title.split()[-1].lower() in named
    return not named


def _week_table_names(notes) -> list:
    """Notes where the week table's own words for a name differ from the overview's."""
    return [n for n in notes if n.kind == NoteKind.DIFFERENCE and WEEK_TABLE in n.other_source]


def week_pattern(*, today) -> list[PatternRow]:
    """The seed's "Monthly schedule by week of the month", rebuilt from the series.

    Rows are workstreams; columns are weeks 1 to 4, meaning the n-th such weekday of the
    month. Series of every status are shown, since the seed's table shows them all. Each
    entry carries its flags: the notes on its schedule, and where the week table names
    the group otherwise; each row, where the table names the workstream otherwise.
    """
    monthly = [
        PatternEntry(
            s,
            [
                n
                for n in s.group.source_notes.all()
                if n.kind in FLAGGED_NOTE_KINDS
                and note_is_about(n, "schedule")
                and _about_series(n, s)
            ],
            []
            if s.title
            else _week_table_names(
                n for n in s.group.source_notes.all() if note_is_about(n, "name")
            ),
        )
        for s in with_group_status_today(MeetingSeries.objects.current(today))
        .select_related("group__workstream")
        .prefetch_related("group__source_notes", "group__series")
        .order_by("weekday", "start_time")
        if s.frequency == Frequency.MONTHLY and s.ordinal in WEEKS_OF_THE_MONTH
    ]
    rows = []
    for workstream in Workstream.objects.all():
        entries = [e for e in monthly if e.series.group.workstream_id == workstream.pk]
        row_notes = {
            n.pk: n
            for e in entries
            for n in _week_table_names(e.series.group.source_notes.all())
            if note_is_about(n, "workstream")
        }
        rows.append(
            PatternRow(
                workstream=workstream,
                cells=[[e for e in entries if e.series.ordinal == w] for w in WEEKS_OF_THE_MONTH],
                name_flags=list(row_notes.values()),
            )
        )
    return rows


NEXT_MEETING_HORIZON = timedelta(days=400)  # every rule repeats within a year


def next_meeting_by_group(*, now, **scope) -> dict[int, Occurrence]:
    """Each group's next meeting (``Occurrence.is_meeting``) not ended by ``now``, by group pk.

    A constant number of queries for any number of groups (``scope`` as ``_scoped``).
    """
    today = timezone.localdate(now)
    found = occurrences_between(
        today,
        today + NEXT_MEETING_HORIZON,
        series=series_queryset(**scope),
        one_offs=one_off_queryset(start=now, **scope),
    )
    nexts: dict[int, Occurrence] = {}
    for occurrence in found:
        if occurrence.is_meeting and occurrence.end > now:
            nexts.setdefault(occurrence.group.pk, occurrence)
    return nexts


def groups_by_workstream(groups, chosen) -> list[tuple[str, list[tuple[object, bool]]]]:
    """Groups under their workstream's name, each with whether it is ticked."""
    found: dict[str, list] = {}
    for group in groups:
        name = group.workstream.name if group.workstream_id else "Other groups (no workstream)"
        found.setdefault(name, []).append((group, group.slug in chosen))
    return list(found.items())


def upcoming(*, now, count, **scope) -> list[Occurrence]:
    """The next ``count`` meetings of ``scope`` that have not ended by ``now``, with the
    cancelled ones among them (marked cancelled: a participant looks for the date)."""
    today = timezone.localdate(now)
    found = occurrences_between(
        today,
        today + NEXT_MEETING_HORIZON,
        series=series_queryset(**scope),
        one_offs=one_off_queryset(start=now, end=now + NEXT_MEETING_HORIZON, **scope),
        include_cancelled=True,
    )
    meetings = first_meetings(found, now=now, count=count)
    last = meetings[-1].start if len(meetings) == count else None
    return [
        o
        for o in found
        if (o.is_meeting or o.is_cancelled) and o.end > now and (last is None or o.start <= last)
    ]
