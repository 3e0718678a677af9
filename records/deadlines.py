"""When a meeting's documents are due, in working days, and whether they were late.

No group has publication deadlines until the programme office sets a ``DeadlinePolicy``
for it from a date, and a policy judges only meetings on or after that date. Pure
functions: they read neither clock nor database. Working days are Monday to Friday except
England and Wales bank holidays.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from meetings.recurrence import bank_holiday_name

from .enums import DocumentKind

# A policy's field for each kind, and its sign (negative: before the meeting).
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


def policy_for(policies, day: date):
    """The policy that judges a meeting on ``day``: the latest of ``policies`` (a group's)
    from that day or before; None where there is none."""
    in_force = [p for p in policies if p.effective_from <= day]
    return max(in_force, key=lambda p: p.effective_from, default=None)


def deadline_days(policy) -> dict:
    """Working days from the meeting for each kind of document the policy sets a deadline
    for (negative: before). No policy, or a blank field: no deadline."""
    if policy is None:
        return {}
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
    published: date | None  # the UK date the first document of the kind was first published
    back_filled: bool = False  # that document was added here after it was published elsewhere

    @property
    def label(self):
        return DocumentKind(self.kind).label

    def is_late(self, today: date) -> bool:
        """Published after its due date, or due and not published. A document added here
        after it was published elsewhere is never late: the directory did not see it."""
        if self.back_filled:
            return False
        if self.published is not None:
            return self.published > self.due
        return today > self.due

    def is_missing(self, today: date) -> bool:
        """Due, and not published: the programme office's to-do."""
        return self.published is None and today > self.due

    def state(self, today: date) -> str:
        due = f"{self.due:%-d %B %Y}"
        if self.published is not None:
            published = f"{self.published:%-d %B %Y}"
            if self.back_filled:
                return f"First published {published}, before it was added here (due {due})"
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
    """Each kind's due date under ``policy`` (none without one) and its first publication,
    from ``documents`` of the meeting: a document counts once it is public here (its
    publish time not ahead of ``now``), on the date it was first published."""
    first = {}
    for document in documents:
        if document.is_public(now):
            known = first.get(document.kind)
            if known is None or document.published_on < known.published_on:
                first[document.kind] = document
    found = []
    for kind, due in due_dates(meeting_day, policy).items():
        document = first.get(kind)
        found.append(
            Deadline(
                kind=kind,
                due=due,
                published=document.published_on if document else None,
                back_filled=document.is_back_filled if document else False,
            )
        )
    return found


def policy_note(policies, day: date) -> str:
    """What the programme office has set for a group's meetings on ``day``, in words."""
    policy = policy_for(policies, day)
    if policy is not None:
        return (
            f"Publication deadlines set by the programme office on {policy.set_on:%-d %B %Y}, "
            f"for meetings from {policy.effective_from:%-d %B %Y}: {describe(policy)}."
        )
    later = min(
        (p for p in policies if p.effective_from > day),
        key=lambda p: p.effective_from,
        default=None,
    )
    if later is not None:
        return (
            f"The programme office has set publication deadlines for this group from "
            f"{later.effective_from:%-d %B %Y} (on {later.set_on:%-d %B %Y}); none apply to "
            "its earlier meetings."
        )
    return "The programme office has set no publication deadlines for this group."


def describe(policy) -> str:
    """ "agenda 5 working days before the meeting, minutes 5 after", or "none"."""
    parts = []
    for kind, days in deadline_days(policy).items():
        side = "before" if days < 0 else "after"
        count = abs(days)
        unit = "working day" if count == 1 else "working days"
        parts.append(f"{DocumentKind(kind).label.lower()} {count} {unit} {side}")
    return ", ".join(parts) + " the meeting" if parts else "none"
