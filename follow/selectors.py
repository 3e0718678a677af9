"""What is owed to whom: the notices, digests and reminders due at a moment.

Pure reads, in a fixed number of queries whatever the number of subscriptions. A change
concerns a confirmed subscription when its group is one the subscription follows, or its
workstream is (by the entry's own keys, so a workstream covers groups added to it later),
its kind's topic is one the subscription chose, and it became visible after the
subscription was confirmed. Only visible entries are read
(``ChangeEntry.objects.visible``): a paper or decision published for later is in no email
before its time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup
from meetings.enums import OccurrenceStatus
from meetings.occurrences import Occurrence, occurrences_between
from meetings.selectors import one_off_queryset, series_queryset
from records.deadlines import add_working_days
from records.models import Document
from records.selectors import by_kind

from .enums import EmailKind, Frequency
from .models import Subscription
from .topics import topic_of

# Digests and reminders go at 07:00 UK time.
SEND_TIME = time(7, 0)
# A notice not sent within this long of its change (the sender down for days) is dropped.
NOTICE_CATCH_UP = timedelta(days=2)
# How far ahead reminders look: five working days before a meeting, over Christmas.
REMINDER_HORIZON = timedelta(days=21)


def uk_midnight(day: date) -> datetime:
    """The moment a UK date begins (00:00 GMT or BST, whichever holds that day)."""
    return datetime.combine(day, time(0), tzinfo=timezone.get_default_timezone())


def uk_moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class Owed:
    """One email owed to one subscription (a future ``Delivery`` row)."""

    subscription: Subscription
    kind: str
    key: str


@dataclass(frozen=True)
class Period:
    """A digest's period: the UK dates from ``first`` to ``last`` inclusive."""

    frequency: str
    first: date
    last: date

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.first:%Y-%m-%d}"

    @property
    def starts_at(self) -> datetime:
        return uk_midnight(self.first)

    @property
    def ends_at(self) -> datetime:
        """The moment after it (the next UK midnight): a DST day has 23 or 25 hours."""
        return uk_midnight(self.last + timedelta(days=1))

    @property
    def sends_at(self) -> datetime:
        return uk_moment(self.last + timedelta(days=1), SEND_TIME)

    @property
    def label(self) -> str:
        if self.frequency == Frequency.DAILY:
            return f"{self.first:%A %-d %B %Y}"
        return f"the week of Monday {self.first:%-d %B %Y}"


def closed_period(frequency: str, now: datetime) -> Period | None:
    """The latest digest period of ``frequency`` whose sending time (07:00 UK after it)
    has come by ``now``: at 07:00 on 2 December, the daily digest of 1 December; at 07:00
    on a Monday, the weekly digest of the week before. None for immediate."""
    local = timezone.localtime(now)
    today = local.date()
    if frequency == Frequency.DAILY:
        last = today - timedelta(days=1 if local.time() >= SEND_TIME else 2)
        return Period(frequency, last, last)
    if frequency == Frequency.WEEKLY:
        monday = today - timedelta(days=today.weekday())
        if local < uk_moment(monday, SEND_TIME):
            monday -= timedelta(days=7)
        first = monday - timedelta(days=7)
        return Period(frequency, first, first + timedelta(days=6))
    return None


def period_of(key: str) -> Period:
    """The period a digest's key (``daily:2026-12-01``, ``weekly:2026-11-23``) names."""
    frequency, first = key.split(":", 1)
    first = date.fromisoformat(first)
    days = 0 if frequency == Frequency.DAILY else 6
    return Period(frequency, first, first + timedelta(days=days))


def subscriptions():
    """Confirmed subscriptions with what they follow (three queries)."""
    return Subscription.objects.confirmed().prefetch_related("groups", "workstreams")


def concerns(subscription: Subscription, entry: ChangeEntry) -> bool:
    """Whether ``entry`` is one ``subscription`` hears about (its groups and workstreams
    prefetched)."""
    if subscription.confirmed_at is None or entry.visible_at < subscription.confirmed_at:
        return False
    topic = topic_of(entry.kind)
    if topic is None or topic.value not in subscription.topics:
        return False
    follows_group = entry.group_slug and entry.group_slug in {
        g.slug for g in subscription.groups.all()
    }
    follows_workstream = entry.workstream_slug and entry.workstream_slug in {
        w.slug for w in subscription.workstreams.all()
    }
    return bool(follows_group or follows_workstream)


def visible_entries(now: datetime, *, start: datetime, end: datetime | None = None):
    """Entries visible at ``now`` that became visible from ``start`` (up to ``end``), in
    the order they became visible."""
    entries = ChangeEntry.objects.visible(now).filter(visible_at__gte=start)
    if end is not None:
        entries = entries.filter(visible_at__lt=end)
    return entries.order_by("visible_at", "pk")


def entries_for(subscription: Subscription, period: Period, now: datetime) -> list[ChangeEntry]:
    """What a digest of ``period`` tells ``subscription``."""
    entries = visible_entries(now, start=period.starts_at, end=period.ends_at)
    return [entry for entry in entries if concerns(subscription, entry)]


def owed_notices(subs, now: datetime) -> list[Owed]:
    """One notice per entry to each immediate subscription it concerns."""
    immediate = [s for s in subs if s.frequency == Frequency.IMMEDIATE]
    if not immediate:
        return []
    entries = list(visible_entries(now, start=now - NOTICE_CATCH_UP))
    return [
        Owed(subscription, EmailKind.NOTICE, f"notice:{entry.pk}")
        for entry in entries
        for subscription in immediate
        if concerns(subscription, entry)
    ]


def owed_digests(subs, now: datetime) -> list[Owed]:
    """A digest of the latest closed period to each daily or weekly subscription that a
    change in it concerns; none where nothing changed."""
    owed = []
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        chosen = [s for s in subs if s.frequency == frequency]
        if not chosen:
            continue
        period = closed_period(frequency, now)
        entries = list(visible_entries(now, start=period.starts_at, end=period.ends_at))
        owed += [
            Owed(subscription, EmailKind.DIGEST, period.key)
            for subscription in chosen
            if any(concerns(subscription, entry) for entry in entries)
        ]
    return owed


def followed_slugs(subscription: Subscription, groups_by_workstream: dict) -> set[str]:
    """The slugs of the groups a subscription follows now: its own and its workstreams'."""
    slugs = {g.slug for g in subscription.groups.all()}
    for workstream in subscription.workstreams.all():
        slugs |= groups_by_workstream.get(workstream.pk, set())
    return slugs


def reminder_day(meeting_day: date, working_days: int) -> date:
    """The day a reminder ``working_days`` before a meeting goes (England and Wales
    working days: weekends and bank holidays skipped)."""
    return add_working_days(meeting_day, -working_days)


def is_remindable(occurrence: Occurrence) -> bool:
    """A meeting that will take place on a confirmed date: not tentative, not cancelled,
    not a held slot."""
    return occurrence.status == OccurrenceStatus.CONFIRMED and occurrence.is_meeting


def meetings_ahead(slugs, now: datetime) -> list[Occurrence]:
    """The remindable meetings of the groups ``slugs`` from today to the horizon."""
    if not slugs:
        return []
    today = timezone.localdate(now)
    until = today + REMINDER_HORIZON
    found = occurrences_between(
        today,
        until,
        series=series_queryset(group_slugs=slugs),
        one_offs=one_off_queryset(
            group_slugs=slugs, start=uk_midnight(today), end=uk_midnight(until)
        ),
    )
    return [o for o in found if is_remindable(o) and o.start > now]


def owed_reminders(subs, now: datetime) -> list[Owed]:
    """A reminder of each followed group's meeting day to each subscription that asked
    for one, from 07:00 UK time ``reminder_days`` working days before it until it starts,
    to subscriptions confirmed by that moment."""
    wanting = [s for s in subs if s.reminder_days]
    if not wanting:
        return []
    groups_by_workstream: dict[int, set[str]] = {}
    for pk, slug in GovernanceGroup.objects.filter(workstream__isnull=False).values_list(
        "workstream_id", "slug"
    ):
        groups_by_workstream.setdefault(pk, set()).add(slug)
    followed = {s.pk: followed_slugs(s, groups_by_workstream) for s in wanting}
    occurrences = meetings_ahead(set().union(*followed.values()), now)
    owed = {}
    for subscription in wanting:
        for occurrence in occurrences:
            day = occurrence.local_start.date()
            due = uk_moment(reminder_day(day, subscription.reminder_days), SEND_TIME)
            # Owed from its moment, if the address had confirmed by then: one confirmed
            # on the meeting's eve is not reminded "2 working days before" after the fact.
            if (
                occurrence.group.slug in followed[subscription.pk]
                and subscription.confirmed_at <= due <= now
            ):
                key = f"reminder:{occurrence.group.slug}:{day:%Y-%m-%d}"
                owed[(subscription.pk, key)] = Owed(subscription, EmailKind.REMINDER, key)
    return list(owed.values())


def owed(now: datetime) -> list[Owed]:
    """Every notice, digest and reminder owed at ``now`` (sent or not)."""
    subs = list(subscriptions())
    return owed_notices(subs, now) + owed_digests(subs, now) + owed_reminders(subs, now)


@dataclass(frozen=True)
class MeetingReminder:
    """What a reminder of one group's meeting day says."""

    group: GovernanceGroup
    day: date
    occurrences: list[Occurrence]
    papers: list[Document]


def meeting_reminder(slug: str, day: date, now: datetime) -> MeetingReminder | None:
    """The group's remindable meetings on ``day`` not started by ``now``, with the papers
    public at ``now``; None when there are none left (cancelled, moved away or begun)."""
    group = GovernanceGroup.objects.filter(slug=slug).first()
    if group is None:
        return None
    occurrences = [
        o
        for o in occurrences_between(
            day,
            day,
            series=series_queryset(group=group),
            one_offs=one_off_queryset(
                group=group, start=uk_midnight(day), end=uk_midnight(day + timedelta(days=1))
            ),
        )
        if is_remindable(o) and o.start > now
    ]
    if not occurrences:
        return None
    papers = by_kind(
        Document.objects.filter(record__group=group, record__date=day, publish_at__lte=now)
    )
    return MeetingReminder(group=group, day=day, occurrences=occurrences, papers=papers)
