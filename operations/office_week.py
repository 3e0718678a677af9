"""The programme office's week: what the admin home opens on.

From today to the Sunday after next (UK dates): each meeting with its papers' state against
its group's deadlines (where the programme office set any), the decisions still draft,
the overdue documents, the actions due, the representatives' terms ending, and the last
notification run. Pure reads, in a fixed number of queries whatever the data's size; each
line carries the admin address that fixes it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from follow.models import SendRun
from meetings.occurrences import Occurrence
from meetings.selectors import occurrences_in
from records.deadlines import Deadline, deadlines, policy_for
from records.enums import ActionStatus, DocumentKind
from records.models import Action, DeadlinePolicy, Decision, MeetingRecord
from records.selectors import Overdue, by_kind, overdue_documents
from representation.models import Membership

OVERDUE_DAYS = 91  # as the admin's "Overdue documents": meetings this far back
OVERDUE_SHOWN = 10  # the most recently due listed here; every one on that page
SEND_RUN_STALE = timedelta(hours=1)


def week_end(today: date) -> date:
    """The Sunday after next: the end of next week (weeks run Monday to Sunday)."""
    return today + timedelta(days=6 - today.weekday() + 7)


def meeting_admin_url(group, day: date) -> str:
    """Where the programme office works on a meeting: its admin screen (records'), its
    record created on the first save."""
    return reverse("admin:meeting_screen", args=[group.slug, f"{day:%Y-%m-%d}"])


@dataclass
class WeekMeeting:
    occurrence: Occurrence
    record: MeetingRecord | None
    deadlines: list[Deadline]  # none where no policy judges the meeting
    published: list[str]  # the labels of its documents public now
    drafts: list  # its decisions not yet public
    admin_url: str
    today: date

    @property
    def day(self) -> date:
        return self.occurrence.local_start.date()

    @property
    def name(self) -> str:
        """ "PSG"; a titled series' or one-off meeting's own title, naming its group."""
        o = self.occurrence
        short = o.group.short_name
        if not o.shows_series_title:
            return short
        return o.title if short in o.title else f"{short}: {o.title}"

    @property
    def marks(self) -> list[str]:
        """What sets this meeting apart: cancelled, moved, tentative."""
        o = self.occurrence
        found = []
        if o.is_cancelled:
            found.append("Cancelled")
        if o.moved_from is not None:
            found.append(f"Moved from {o.moved_from:%-d %B}")
        if o.is_tentative:
            found.append("Tentative date")
        return found

    @property
    def papers(self) -> list[tuple[str, bool]]:
        """Its papers' state, one line each, against its deadlines where set: (text, late).
        A meeting no deadline judges has nothing late: "No deadline set"."""
        if self.occurrence.is_cancelled:
            return [("Cancelled: no papers due", False)]
        if self.deadlines:
            return [
                (f"{d.label}: {d.state(self.today)}", d.is_late(self.today)) for d in self.deadlines
            ]
        lines = [("No deadline set", False)]
        if self.published:
            lines.append((f"Published: {', '.join(k.lower() for k in self.published)}", False))
        return lines


@dataclass
class DraftDecision:
    decision: Decision
    admin_url: str

    @property
    def state(self) -> str:
        """ "Draft: not public", or when a decision set to publish later goes public."""
        if self.decision.published_at is None:
            return "Draft: not public"
        return f"Not public until {timezone.localtime(self.decision.published_at):%-d %B %Y %H:%M}"


@dataclass
class DueAction:
    action: Action
    admin_url: str
    overdue: bool


@dataclass
class EndingTerm:
    membership: Membership
    admin_url: str


@dataclass
class OverdueLine:
    item: Overdue
    admin_url: str


@dataclass
class LastSendRun:
    run: SendRun | None
    now: datetime

    @property
    def is_stale(self) -> bool:
        """Never run, or not started within the hour."""
        return self.run is None or self.run.started_at < self.now - SEND_RUN_STALE

    @property
    def summary(self) -> str:
        run = self.run
        if run is None:
            return "Never run: no notification email has been sent."
        text = (
            f"Last run started {timezone.localtime(run.started_at):%-d %B %Y %H:%M}: "
            f"{run.sent} sent, {run.failed} failed"
        )
        if run.finished_at is None:
            text += " (not finished)"
        if run.error:
            text += f". Error: {run.error}"
        return text


@dataclass
class OfficeWeek:
    today: date
    end: date
    meetings: list[WeekMeeting]
    drafts: list[DraftDecision]
    overdue: list[OverdueLine]  # every document overdue, meetings OVERDUE_DAYS back, oldest first
    overdue_url: str
    actions: list[DueAction]
    terms: list[EndingTerm]
    send_run: LastSendRun

    @property
    def overdue_shown(self) -> list:
        """The ``OVERDUE_SHOWN`` most recently due, newest first."""
        return self.overdue[::-1][:OVERDUE_SHOWN]


def _week_meetings(today: date, end: date, now) -> list[WeekMeeting]:
    """The window's meetings (a held slot's date nobody called is none), with their
    records, documents and deadlines: the expansion's queries and three more."""
    found = [o for o in occurrences_in(today, end) if not o.held_slot]
    group_ids = {o.group.pk for o in found}
    records = {
        (r.group_id, r.date): r
        for r in MeetingRecord.objects.filter(
            group_id__in=group_ids, date__gte=today, date__lte=end
        ).prefetch_related("documents", "decisions")
    }
    policies: dict[int, list] = {}
    for policy in DeadlinePolicy.objects.filter(group_id__in=group_ids):
        policies.setdefault(policy.group_id, []).append(policy)
    meetings = []
    for occurrence in found:
        group, day = occurrence.group, occurrence.local_start.date()
        record = records.get((group.pk, day))
        documents = by_kind(record.documents.all()) if record else []
        policy = policy_for(policies.get(group.pk, []), day)
        meetings.append(
            WeekMeeting(
                occurrence=occurrence,
                record=record,
                deadlines=[]
                if occurrence.is_cancelled
                else deadlines(day, policy, documents, now=now),
                published=[
                    k.label
                    for k in DocumentKind
                    if any(d.kind == k and d.is_public(now) for d in documents)
                ],
                drafts=[d for d in record.decisions.all() if not d.is_published(now)]
                if record
                else [],
                admin_url=meeting_admin_url(group, day),
                today=today,
            )
        )
    return meetings


def office_week(*, now) -> OfficeWeek:
    """The programme office's week as of ``now``."""
    today = timezone.localdate(now)
    end = week_end(today)
    drafts = (
        Decision.objects.filter(Q(published_at__isnull=True) | Q(published_at__gt=now))
        .select_related("group")
        .order_by("date", "reference")
    )
    actions = (
        Action.objects.filter(status=ActionStatus.OPEN, due__lte=end)
        .select_related("record__group")
        .order_by("due", "reference")
    )
    terms = (
        Membership.objects.filter(end__gte=today, end__lte=end)
        .select_related("person", "seat__group", "seat__constituency")
        .order_by("end", "pk")
    )
    return OfficeWeek(
        today=today,
        end=end,
        meetings=_week_meetings(today, end, now),
        drafts=[
            DraftDecision(d, reverse("admin:records_decision_change", args=[d.pk])) for d in drafts
        ],
        overdue=[
            OverdueLine(o, meeting_admin_url(o.group, o.day))
            for o in overdue_documents(now=now, since=today - timedelta(days=OVERDUE_DAYS))
        ],
        overdue_url=reverse("admin:records_meetingrecord_overdue"),
        actions=[
            DueAction(
                a,
                reverse("admin:records_meetingrecord_change", args=[a.record_id]),
                overdue=a.due < today,
            )
            for a in actions
        ],
        terms=[
            EndingTerm(m, reverse("admin:representation_membership_change", args=[m.pk]))
            for m in terms
        ],
        send_run=LastSendRun(SendRun.objects.order_by("-started_at", "-pk").first(), now),
    )
