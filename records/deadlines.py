"""When a meeting's documents are due, in working days, and whether they were late.

Pure functions: they read neither clock nor database. Working days are Monday to Friday
except England and Wales bank holidays.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from meetings.recurrence import bank_holiday_name

from .enums import DocumentKind

# The defaults (the REC portal's practice): agenda and papers 5 working days before the
# meeting, the headline report 2 after, the minutes 5 after. Negative: before.
DEFAULT_DEADLINES = {
    DocumentKind.AGENDA: -5,
    DocumentKind.PAPERS: -5,
    DocumentKind.HEADLINE_REPORT: 2,
    DocumentKind.MINUTES: 5,
}
FIELDS = {
    DocumentKind.AGENDA: ("agenda_before", -1),
    DocumentKind.PAPERS: ("papers_before", -1),
    DocumentKind.HEADLINE_REPORT: ("headline_report_after", 1),
    DocumentKind.MINUTES: ("minutes_after", 1),
}


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday_name(day) is None


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (before it, for a negative count)."""
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def deadline_days(policy) -> dict:
    """Working days from the meeting for each kind of document the group publishes, from
    its ``PublicationDeadlines`` (None: the defaults). A blank field: not published."""
    if policy is None:
        return dict(DEFAULT_DEADLINES)
    days = {}
    for kind, (field, sign) in FIELDS.items():
        value = getattr(policy, field)
        if value is not None:
            days[kind] = sign * value
    return days


def due_dates(meeting_day: date, policy) -> dict:
    """{kind: the UK date by which it is due} for a meeting on ``meeting_day``."""
    return {
        kind: add_working_days(meeting_day, days) for kind, days in deadline_days(policy).items()
    }


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    published: datetime | None  # when the first document of the kind became public

    @property
    def label(self):
        return DocumentKind(self.kind).label

    def is_late(self, today: date) -> bool:
        if self.published is not None:
            return timezone.localdate(self.published) > self.due
        return today > self.due

    def is_missing(self, today: date) -> bool:
        """Due, and not published: the programme office's to-do."""
        return self.published is None and today > self.due

    def state(self, today: date) -> str:
        due = f"{self.due:%-d %B %Y}"
        if self.published is not None:
            published = f"{timezone.localdate(self.published):%-d %B %Y}"
            if self.is_late(today):
                return f"Published {published}: late (due {due})"
            return f"Published {published} (due {due})"
        if self.is_late(today):
            return f"Late: due {due}, not published here yet"
        return f"Due {due}"


def missing(meeting_day: date, policy, documents, *, now) -> list[Deadline]:
    """The meeting's documents that are due by today (UK) and not published."""
    today = timezone.localdate(now)
    return [d for d in deadlines(meeting_day, policy, documents, now=now) if d.is_missing(today)]


def deadlines(meeting_day: date, policy, documents, *, now) -> list[Deadline]:
    """Each kind's due date and first publication, from ``documents`` of the meeting; a
    document not yet public (its publish time ahead of ``now``) is not yet published."""
    first = {}
    for document in documents:
        if document.publish_at <= now:
            known = first.get(document.kind)
            if known is None or document.publish_at < known:
                first[document.kind] = document.publish_at
    return [
        Deadline(kind=kind, due=due, published=first.get(kind))
        for kind, due in due_dates(meeting_day, policy).items()
    ]
