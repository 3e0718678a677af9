"""Reads of meeting records, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from groups.models import GovernanceGroup
from meetings.meeting_days import MeetingDay, group_occurrences, meeting_day, schedule_prefetch
from meetings.occurrences import NEXT_DAYS, Occurrence, first_meetings

from .deadlines import Deadline, deadlines, missing, policy_for, policy_note
from .enums import ActionStatus, DocumentKind
from .models import DECISION_REFERENCE, Action, Decision, Document, MeetingRecord, RemovedDecision

# How far the group's meetings list looks back and ahead (the seed gives no start dates:
# earlier meetings are those with a record; later ones are on the calendar).
HISTORY_DAYS = 365
AHEAD_DAYS = 92
NEXT_COUNT = 3  # the next meetings a group's page names


KIND_ORDER = {kind: index for index, kind in enumerate(DocumentKind)}


def by_kind(documents) -> list:
    """Documents in the order a meeting uses them: agenda, papers, headline report, ..."""
    return sorted(documents, key=lambda d: (KIND_ORDER[d.kind], d.publish_at, d.pk))


class NoMeeting(Exception):
    """The group has no meeting, and no record of one, on that date; ``nearest`` are its
    meetings just before and after it (within two months)."""

    def __init__(self, message, *, group, nearest):
        super().__init__(message)
        self.group = group
        self.nearest = nearest


NEAREST_DAYS = 62


def nearest_meetings(group, day: date) -> list[Occurrence]:
    """The group's last meeting before ``day`` and its first after, where there are any."""
    around = [
        o
        for o in group_occurrences(
            group, day - timedelta(days=NEAREST_DAYS), day + timedelta(days=NEAREST_DAYS)
        )
        if not o.held_slot and not o.is_cancelled
    ]
    before = [o for o in around if o.local_start.date() < day][-1:]
    after = [o for o in around if o.local_start.date() > day][:1]
    return before + after


def published_decisions(now):
    return Decision.objects.filter(published_at__isnull=False, published_at__lte=now)


def public_documents(now):
    """Documents the public may have now (``Document.is_public``)."""
    return Document.objects.filter(publish_at__lte=now)


def _record_prefetch(now):
    return (
        "documents",
        Prefetch("actions", queryset=Action.objects.order_by("sequence")),
        Prefetch(
            "decisions",
            queryset=published_decisions(now)
            .select_related("superseded_by", "recommended_by")
            .order_by("sequence"),
        ),
    )


def group_with_schedule(slug: str) -> GovernanceGroup:
    """A group with its schedule and deadline policies; ``GovernanceGroup.DoesNotExist``
    if none."""
    return (
        GovernanceGroup.objects.select_related("level", "workstream", "parent")
        .prefetch_related(*schedule_prefetch(), "deadline_policies")
        .get(slug=slug)
    )


def _policies(group) -> list:
    """The group's deadline policies (prefetched as ``deadline_policies``)."""
    return list(group.deadline_policies.all())


@dataclass
class MeetingPage:
    """Everything a meeting's page shows."""

    group: GovernanceGroup
    day: date
    meetings: MeetingDay
    record: MeetingRecord | None
    documents: list  # the public ones, by kind
    deadlines: list[Deadline]  # none where no policy judges the meeting
    deadline_note: str  # what the programme office has set, in words
    decisions: list
    actions: list
    now: datetime

    @property
    def occurrences(self) -> list[Occurrence]:
        return self.meetings.occurrences

    @property
    def main(self) -> Occurrence | None:
        """The meeting the page is about: the first one held that day, else the first."""
        live = [o for o in self.occurrences if not o.is_cancelled]
        return (live or self.occurrences or [None])[0]

    @property
    def is_cancelled(self) -> bool:
        return self.meetings.is_cancelled

    @property
    def heading(self) -> str:
        """ "PSG meeting", or the series' own title where it has one (a pre-meeting
        webinar)."""
        main = self.main
        if main is not None and main.series is not None and main.series.title:
            return main.series.title
        return f"{self.group.short_name} meeting"

    @property
    def title(self) -> str:
        return f"{self.heading}, {self.day:%A %-d %B %Y}"

    @property
    def has_ended(self) -> bool:
        if not self.occurrences:  # a record kept after its meeting left the schedule
            return self.day < timezone.localdate(self.now)
        return all(o.end <= self.now for o in self.occurrences)


def meeting_page(slug: str, day: date, *, now) -> MeetingPage:
    """The page of ``slug``'s meeting on ``day``.

    Raises ``GovernanceGroup.DoesNotExist`` for an unknown group and ``NoMeeting`` when
    the group has neither a meeting nor a record on that date.
    """
    group = group_with_schedule(slug)
    meetings = meeting_day(group, day)
    record = (
        MeetingRecord.objects.filter(group=group, date=day)
        .prefetch_related(*_record_prefetch(now))
        .first()
    )
    if not meetings and record is None:
        raise NoMeeting(
            f"{group.short_name} has no meeting on {day:%-d %B %Y}.",
            group=group,
            nearest=nearest_meetings(group, day),
        )
    documents = by_kind(record.documents.all()) if record else []
    policies = _policies(group)
    return MeetingPage(
        group=group,
        day=day,
        meetings=meetings,
        record=record,
        documents=[d for d in documents if d.is_public(now)],
        deadlines=deadlines(day, policy_for(policies, day), documents, now=now)
        if meetings.occurrences and not meetings.is_cancelled
        else [],
        deadline_note=policy_note(policies, day),
        decisions=list(record.decisions.all()) if record else [],
        actions=list(record.actions.all()) if record else [],
        now=now,
    )


def public_document(slug: str, day: date, pk: int, *, now) -> Document:
    """A document as the public may have it: ``Document.DoesNotExist`` if it is not
    that meeting's, or not yet public."""
    return Document.objects.select_related("record__group").get(
        pk=pk, record__group__slug=slug, record__date=day, publish_at__lte=now
    )


@dataclass
class ListedMeeting:
    """A meeting in a group's list, with the state of its documents."""

    occurrence: Occurrence | None
    day: date
    url: str
    kinds: list[str] = field(default_factory=list)  # labels of its public documents
    # Labels of documents due and missing, under the programme office's deadline policy.
    late: list[str] = field(default_factory=list)
    decisions: int = 0
    actions: int = 0

    @property
    def document_state(self) -> str:
        if self.occurrence is not None and self.occurrence.is_cancelled:
            return "Cancelled"
        parts = []
        if self.kinds:
            parts.append(f"Published: {', '.join(k.lower() for k in self.kinds)}")
        if self.late:
            parts.append(f"Overdue: {', '.join(k.lower() for k in self.late)}")
        return ". ".join(parts) if parts else "No papers listed"


@dataclass
class GroupMeetings:
    upcoming: list[ListedMeeting]
    past: list[ListedMeeting]  # newest first
    deadline_note: str  # the publication deadlines the programme office has set, in words
    # The next few meetings not ended (a cancelled one and a held slot's date are none),
    # looked for up to ``NEXT_DAYS`` ahead, from the same expansion.
    next: list[Occurrence] = field(default_factory=list)


def group_meetings(
    group, *, now, ahead_days=AHEAD_DAYS, history_days=HISTORY_DAYS, next_count=NEXT_COUNT
):
    """``group``'s meetings (with ``schedule_prefetch()`` and ``deadline_policies``
    loaded) from ``history_days`` ago to ``ahead_days`` ahead, each with its documents'
    state; older meetings only where they have a record; and its next ``next_count``
    meetings. The group's schedule is expanded once for both. Two queries."""
    today = timezone.localdate(now)
    start, end = today - timedelta(days=history_days), today + timedelta(days=ahead_days)
    expanded = group_occurrences(group, start, max(end, today + timedelta(days=NEXT_DAYS)))
    occurrences = [o for o in expanded if not o.held_slot and o.local_start.date() <= end]
    records = {
        r.date: r
        for r in MeetingRecord.objects.filter(group=group, date__lte=end).prefetch_related(
            *_record_prefetch(now)
        )
    }
    policies = _policies(group)
    listed, seen = [], set()
    for occurrence in occurrences:
        day = occurrence.local_start.date()
        if day in seen:
            continue
        seen.add(day)
        record = records.get(day)
        listed.append(_listed(group, day, occurrence, record, policy_for(policies, day), now))
    for day, record in records.items():
        if day not in seen:
            listed.append(_listed(group, day, None, record, None, now))
    listed.sort(key=lambda m: m.day)
    upcoming = [m for m in listed if _ends(m, now) > now]
    past = [m for m in reversed(listed) if _ends(m, now) <= now]
    return GroupMeetings(
        upcoming=upcoming,
        past=past,
        deadline_note=policy_note(policies, today),
        next=first_meetings(expanded, now=now, count=next_count),
    )


def _ends(listed, now):
    if listed.occurrence is not None:
        return listed.occurrence.end
    return datetime.combine(
        listed.day + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_default_timezone()
    )


def _listed(group, day, occurrence, record, policy, now) -> ListedMeeting:
    documents = list(record.documents.all()) if record else []
    public = [d for d in documents if d.is_public(now)]
    kinds = [k.label for k in DocumentKind if any(d.kind == k for d in public)]
    late = []
    if policy is not None and occurrence is not None and not occurrence.is_cancelled:
        late = [d.label for d in missing(day, policy, documents, now=now)]
    return ListedMeeting(
        occurrence=occurrence,
        day=day,
        url=group.get_meeting_url(day),
        kinds=kinds,
        late=late,
        decisions=len(record.decisions.all()) if record else 0,
        actions=len(record.actions.all()) if record else 0,
    )


def open_actions(*, group=None):
    """Open actions, oldest due first, with their meeting and group."""
    queryset = Action.objects.filter(status=ActionStatus.OPEN).select_related("record__group")
    if group is not None:
        queryset = queryset.filter(record__group=group)
    return queryset.order_by("due", "record__date", "sequence")


def actions_queryset():
    return Action.objects.select_related("record__group").order_by("record__date", "sequence")


def decisions_queryset(*, now):
    """Published decisions with what the register shows."""
    return (
        published_decisions(now)
        .select_related("group__workstream", "record__group", "superseded_by", "recommended_by")
        .order_by("-date", "-year", "-sequence")
    )


def decision_by_reference(reference: str, *, now) -> Decision:
    """A published decision; ``Decision.DoesNotExist`` for a reference in the wrong form,
    an unknown one, or a draft."""
    if not DECISION_REFERENCE.match(reference or ""):
        raise Decision.DoesNotExist(f"{reference!r} is not a decision reference.")
    return (
        decisions_queryset(now=now)
        .prefetch_related(
            Prefetch("supersedes", queryset=published_decisions(now).order_by("reference"))
        )
        .get(reference=reference)
    )


def removed_decision(reference: str):
    """What is kept of a published decision a superuser removed from the register, or None
    (also for a reference in the wrong form, which no query sees)."""
    if not DECISION_REFERENCE.match(reference or ""):
        return None
    return RemovedDecision.objects.select_related("group").filter(reference=reference).first()


def recent_decisions(group, *, now, count=5):
    return list(decisions_queryset(now=now).filter(group=group)[:count])


@dataclass(frozen=True)
class Overdue:
    group: GovernanceGroup
    day: date
    occurrence: Occurrence
    deadline: Deadline
    record: MeetingRecord | None


def overdue_documents(*, now, since: date) -> list[Overdue]:
    """Every document due by today and not published, for meetings from ``since`` that a
    group's deadline policy judges: the programme office's to-do list, oldest due first.
    Groups without a policy have nothing due."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=31)  # papers are due before their meeting
    groups = [
        g
        for g in GovernanceGroup.objects.select_related("level").prefetch_related(
            *schedule_prefetch(), "deadline_policies"
        )
        if g.deadline_policies.all()
    ]
    records = {
        (r.group_id, r.date): r
        for r in MeetingRecord.objects.filter(date__gte=since, date__lte=horizon)
        .select_related("group")
        .prefetch_related("documents")
    }
    found = []
    for group in groups:
        policies = _policies(group)
        start = max(since, min(p.effective_from for p in policies))
        seen = set()
        for occurrence in group_occurrences(group, start, horizon):
            day = occurrence.local_start.date()
            policy = policy_for(policies, day)
            if occurrence.is_cancelled or occurrence.held_slot or day in seen or not policy:
                continue
            seen.add(day)
            record = records.get((group.pk, day))
            documents = list(record.documents.all()) if record else []
            for deadline in missing(day, policy, documents, now=now):
                found.append(Overdue(group, day, occurrence, deadline, record))
    found.sort(key=lambda o: (o.deadline.due, o.group.short_name, o.day))
    return found
