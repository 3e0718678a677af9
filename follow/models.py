"""Subscriptions to groups and workstreams by email, and the emails owed to them.

No account: a subscription is an address, what it follows, and an unguessable token that
is its only key (confirm, manage, unsubscribe). Ending a subscription deletes its row, so
the address and the token go with it. Each email owed to a subscription is one
``Delivery`` row, unique by its key, so however many times or on however many hosts
``send_notifications`` runs, each is sent once.
"""

import secrets

from django.db import models

from core.models import clock_now
from groups.models import GovernanceGroup, Workstream

from .enums import EmailKind, Frequency, Reminder, Topic


def new_token() -> str:
    """256 random bits, URL-safe: the subscription's only key."""
    return secrets.token_urlsafe(32)


def all_topics() -> list[str]:
    return [topic.value for topic in Topic]


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Subscription(models.Model):
    email = models.EmailField(max_length=254, db_index=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    groups = models.ManyToManyField(GovernanceGroup, blank=True, related_name="+")
    workstreams = models.ManyToManyField(
        Workstream,
        blank=True,
        related_name="+",
        help_text="A workstream covers its groups, including ones added later.",
    )
    topics = models.JSONField(default=all_topics, help_text="The Topic values to hear about.")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    reminder_days = models.PositiveSmallIntegerField(
        choices=Reminder.choices, default=Reminder.NONE
    )
    created_at = models.DateTimeField(default=clock_now, db_index=True)
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the address confirmed; changes visible from then on are sent.",
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Subscription {self.pk} ({self.get_frequency_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Delivery(models.Model):
    """One email owed to one subscription. ``key`` names what it is about, e.g.
    ``notice:<entry id>``, ``daily:2026-12-01``, ``weekly:2026-11-30``,
    ``reminder:<group slug>:<meeting date>`` or ``confirmation:<n>``; the pair is unique,
    so the row is the claim that it is sent once. A worker claims a row to send it by
    moving ``claimed_until`` forward in one conditional UPDATE."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=clock_now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="one_delivery_per_key")
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.kind} {self.key}"


class FollowRequest(models.Model):
    """One use of the /follow/ form, kept a day for its limits: by client address (10 an
    hour) and by email address (3 confirmation emails a day). Both are stored as keyed
    hashes (``follow.services.fingerprint``), never in clear."""

    client_hash = models.CharField(max_length=64, db_index=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=clock_now, db_index=True)

    def __str__(self):
        return f"Follow request at {self.at:%Y-%m-%d %H:%M}"


class SendRun(models.Model):
    """One run of ``send_notifications`` (or the worker's task): what the admin home and
    the deep health check show."""

    started_at = models.DateTimeField(default=clock_now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Send run {self.started_at:%Y-%m-%d %H:%M}: {self.sent} sent, {self.failed} failed"


class FollowedGroup(GovernanceGroup):
    """A group as the admin's "Followers per group" shows it to the programme office: how
    many confirmed subscriptions follow it, directly or through its workstream, and never
    who (``follow.admin``)."""

    class Meta:
        proxy = True
        verbose_name = "followers per group"
        verbose_name_plural = "followers per group"
