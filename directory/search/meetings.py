"""Meetings in search: a query naming a group ("SITWG", "Programme Steering Group"), with a
date or month or without ("PSG March", "SITWG 3 March 2027", "when does SITWG meet"),
finds that group's meetings, read from the calendar's expansion as the month page reads
them (``meetings.selectors``): those on the day or in the month asked (cancelled and moved
ones saying so), else its next few.

Constant queries: one for the groups named; when there are any, one for their series
(with three for the series' changes and the groups' status history) and one for their
one-off meetings in the window.
"""

import operator
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from groups.models import GovernanceGroup
from meetings.occurrences import NEXT_DAYS, first_meetings, occurrences_between
from meetings.selectors import one_off_queryset, series_queryset

from .dates import When
from .excerpts import highlight_excerpt
from .query import NAMED_GROUP_BONUS, Result, query_words

MAX_GROUPS = 5  # groups named in one query whose meetings are listed
MAX_MEETINGS = 24  # meetings listed in one search
NEXT_COUNT = 3  # a group's next meetings, where no date is asked
# Meetings asked for by date rank first; a group's next meetings just below the group.
DATED_SCORE = 2 * NAMED_GROUP_BONUS
NEXT_SCORE = NAMED_GROUP_BONUS

# Words that ask about meetings rather than name a group ("when does SITWG meet").
MEETING_WORDS = frozenset(
    {"meet", "meets", "meeting", "meetings", "met", "next", "upcoming", "date", "dates"}
    | {"calendar", "schedule", "held"}
)


def naming_words(query: str, when: When | None) -> list[str]:
    """The query's words that may name a group: without the date and the meeting words."""
    text = query.lower()
    if when is not None:
        text = text[: when.span[0]] + " " + text[when.span[1] :]
    return [w for w in query_words(text) if w not in MEETING_WORDS]


def named_groups(words: list[str]) -> list[GovernanceGroup]:
    """The groups ``words`` name: all of them one group's acronym or name ("sitwg";
    "programme steering group"), or each word a group's acronym ("psg sitwg"). One query,
    none without words."""
    if not words:
        return []
    acronym_has = reduce(operator.or_, (Q(acronym__icontains=w) for w in words))
    name_has = reduce(operator.and_, (Q(name__icontains=w) for w in words))
    candidates = list(
        GovernanceGroup.objects.filter(acronym_has | name_has)
        .only("slug", "acronym", "name")
        .order_by("name", "pk")
    )
    wanted = set(words)
    whole = [
        g
        for g in candidates
        if wanted in ({*query_words(g.acronym)} if g.acronym else set(), {*query_words(g.name)})
    ]
    if whole:
        return whole[:MAX_GROUPS]
    by_acronym = {g.acronym.lower(): g for g in candidates if g.acronym}
    if all(w in by_acronym for w in words):
        return [by_acronym[w] for w in words][:MAX_GROUPS]
    return []


def _heading(occurrence) -> str:
    if occurrence.shows_series_title:
        return occurrence.title
    return f"{occurrence.group.short_name} meeting"


def _state(occurrence) -> str:
    if occurrence.is_cancelled:
        return "Cancelled" + (f": {occurrence.note}" if occurrence.note else ".")
    if occurrence.moved_from is not None:
        return f"Moved from {occurrence.moved_from:%A %-d %B %Y}."
    if occurrence.is_tentative:
        return "Tentative date" + (f": {occurrence.note}" if occurrence.note else ".")
    return ""


def _meeting_result(occurrence, *, today: date, words, score: float) -> Result:
    group = occurrence.group
    title = f"{_heading(occurrence)}, {occurrence.when(today)}"
    if occurrence.is_cancelled:
        title += " (cancelled)"
    elif occurrence.moved_from is not None:
        title += " (moved)"
    text = " ".join(
        part
        for part in (
            f"{group.display_name}.",
            f"{group.get_attendance_display()}.",
            _state(occurrence),
        )
        if part
    )
    return Result("Meeting", title, occurrence.page_url, highlight_excerpt(text, words), score)


def _moved_away(move, group, *, words, score: float) -> Result:
    """A meeting of the window moved out of it: where it went."""
    start, end = timezone.localtime(move.start), timezone.localtime(move.end)
    title = (
        f"{group.short_name} meeting of {move.original_date:%A %-d %B %Y}: moved to "
        f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"
    )
    text = f"{group.display_name}. {group.get_attendance_display()}. {move.note}".strip()
    return Result(
        "Meeting",
        title,
        group.get_meeting_url(start.date()),
        highlight_excerpt(text, words),
        score,
    )


def _no_meeting(group, label: str, words, score: float) -> Result:
    text = (
        f"{group.display_name} has no meeting {label} on the calendar. Its meetings page "
        "lists its recent and coming meetings with their papers."
    )
    return Result(
        "Meeting",
        f"{group.short_name}: no meeting {label}",
        group.get_meetings_url(),
        highlight_excerpt(text, words),
        score,
    )


def _calendar_pointer(when: When) -> Result:
    """A date without a group: the month page that lists every group's meetings then."""
    first = when.start
    return Result(
        "Meeting",
        f"Every group's meetings: the calendar for {first:%B %Y}",
        reverse("meetings:month", args=[first.year, f"{first.month:02d}"]),
        mark_safe(escape(f"Name a group with the date, such as “PSG {first:%B}”, for its own.")),
        0.0,
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def meeting_results(groups, when: When | None, words: list[str], *, now) -> list[Result]:
    """The meetings of ``groups`` (``named_groups``) that ``when`` asks for, else their next
    few; a date that names no group points to the month's calendar."""
    if not groups:
        return [_calendar_pointer(when)] if when is not None else []
    today = timezone.localdate(now)
    start, end = (when.start, when.end) if when else (today, today + timedelta(days=NEXT_DAYS))
    slugs = [g.slug for g in groups]
    series = list(series_queryset(group_slugs=slugs))
    found = occurrences_between(
        start,
        end,
        series=series,
        one_offs=one_off_queryset(
            group_slugs=slugs, start=_midnight(start), end=_midnight(end + timedelta(days=1))
        ),
        include_cancelled=True,
    )
    results = []
    for group in groups:
        own = [o for o in found if o.group.slug == group.slug and not o.held_slot]
        moved_away = []
        if when is None:
            own = first_meetings(own, now=now, count=NEXT_COUNT)
        else:  # a meeting of the day or month asked, moved to another
            moved_away = [
                move
                for item in series
                if item.group.slug == group.slug
                for move in item.moves.all()
                if start <= move.original_date <= end
                and not start <= timezone.localdate(move.start) <= end
            ]
        base = DATED_SCORE if when else NEXT_SCORE
        if not own and not moved_away:
            label = when.label if when else f"in the next {NEXT_DAYS} days"
            results.append(_no_meeting(group, label, words, base))
        for occurrence in own:
            score = base - len(results) / 1000  # in date order
            results.append(_meeting_result(occurrence, today=today, words=words, score=score))
        for move in sorted(moved_away, key=lambda m: m.original_date):
            score = base - len(results) / 1000
            results.append(_moved_away(move, group, words=words, score=score))
    return results[:MAX_MEETINGS]
