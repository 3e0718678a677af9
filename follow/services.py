"""Subscribing, confirming, changing and ending subscriptions, and their limits.

No account: a subscription's token (256 random bits, ``follow.models.new_token``) is its only
key and signature. It is scoped to that one subscription and dies with it (ending a
subscription deletes the row). Emails are sent by ``follow.sending`` from the ``Delivery``
rows made here.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from .enums import EmailKind
from .models import Delivery, FollowRequest, Subscription

# Follow requests a client address may make in an hour (the next one is answered 429).
CLIENT_LIMIT = 10
CLIENT_WINDOW = timedelta(hours=1)
# Confirmation emails an address may be sent in a day (beyond that, none: same answer).
CONFIRMATION_LIMIT = 3
CONFIRMATION_WINDOW = timedelta(days=1)
# How long follow requests are kept for their limits, and unconfirmed subscriptions wait.
REQUESTS_KEPT = timedelta(days=1)
UNCONFIRMED_KEPT = timedelta(days=7)


def fingerprint(value: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's SECRET_KEY) of ``value``: comparable with
    another of the same value, but no use to anyone without the key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed and in lower case."""
    return email.strip().lower()


@dataclass(frozen=True)
class Choices:
    """What a subscription follows and how it hears about it."""

    groups: list
    workstreams: list
    topics: list[str]
    frequency: str
    reminder_days: int


class TooManyRequests(Exception):
    """The client address has made ``CLIENT_LIMIT`` follow requests in the last hour."""

    def __init__(self, retry_at: datetime):
        super().__init__(f"Too many follow requests; try again after {retry_at:%H:%M}.")
        self.retry_at = retry_at


def client_retry_at(client: str, *, now) -> datetime | None:
    """When ``client`` (its address) may ask again, or None if it may ask now."""
    recent = FollowRequest.objects.filter(
        client_hash=fingerprint(f"client:{client}"), at__gt=now - CLIENT_WINDOW
    ).order_by("-at")
    times = list(recent.values_list("at", flat=True)[:CLIENT_LIMIT])
    if len(times) < CLIENT_LIMIT:
        return None
    return times[-1] + CLIENT_WINDOW


def _set_choices(subscription: Subscription, choices: Choices):
    subscription.topics = list(choices.topics)
    subscription.frequency = choices.frequency
    subscription.reminder_days = choices.reminder_days
    subscription.save(update_fields=["topics", "frequency", "reminder_days"])
    subscription.groups.set(choices.groups)
    subscription.workstreams.set(choices.workstreams)


def request_follow(*, email: str, choices: Choices, client: str, now) -> Subscription | None:
    """A use of the /follow/ form: an unconfirmed subscription of ``email`` to ``choices``,
    and a confirmation email owed to it (a ``Delivery``, ``confirmation:<n>``).

    An address with an unconfirmed subscription has that one changed to ``choices`` and is
    sent its confirmation again. An address sent ``CONFIRMATION_LIMIT`` confirmations in the
    last day gets nothing (returns None). Raises ``TooManyRequests`` when ``client`` has made
    ``CLIENT_LIMIT`` requests in the last hour. Whatever happens, the person asking is told
    the same (no one learns whether an address follows anything)."""
    email = normalise_email(email)
    email_hash = fingerprint(f"email:{email}")
    with transaction.atomic():
        retry_at = client_retry_at(client, now=now)
        if retry_at is not None:
            raise TooManyRequests(retry_at)
        asked = FollowRequest.objects.filter(
            email_hash=email_hash, at__gt=now - CONFIRMATION_WINDOW
        ).count()
        FollowRequest.objects.create(
            client_hash=fingerprint(f"client:{client}"), email_hash=email_hash, at=now
        )
        if asked >= CONFIRMATION_LIMIT:
            return None
        # Locked: two requests at once for one address count its confirmations in turn.
        subscription = (
            Subscription.objects.unconfirmed().select_for_update().filter(email=email).first()
        )
        if subscription is None:
            subscription = Subscription.objects.create(email=email, created_at=now)
        else:  # its 7 days to confirm run from the latest request
            subscription.created_at = now
            subscription.save(update_fields=["created_at"])
        _set_choices(subscription, choices)
        sent = subscription.deliveries.filter(kind=EmailKind.CONFIRMATION).count()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    subscription=subscription,
                    kind=EmailKind.CONFIRMATION,
                    key=f"confirmation:{sent + 1}",
                    created_at=now,
                    next_attempt_at=now,
                )
            ],
            ignore_conflicts=True,  # the same confirmation owed already: it goes once
        )
    return subscription


def confirm(subscription: Subscription, *, now) -> Subscription:
    """The address confirmed: from ``now`` on, the subscription's emails are sent. Confirming
    again changes nothing."""
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def change(subscription: Subscription, choices: Choices) -> Subscription:
    """What a confirmed subscription follows and how, as changed on its manage page."""
    with transaction.atomic():
        _set_choices(subscription, choices)
    return subscription


def end(subscription: Subscription) -> None:
    """Unsubscribe: the row goes, with its address, its token and its deliveries."""
    subscription.delete()


def erase_address(email: str) -> int:
    """Every subscription of ``email`` deleted (a superuser, on request); returns how many."""
    deleted, by_model = Subscription.objects.filter(email=normalise_email(email)).delete()
    return by_model.get(Subscription._meta.label, 0)


def forget_old_requests(now) -> int:
    """Delete the follow requests older than a day (kept only for the limits); returns how
    many."""
    deleted, _ = FollowRequest.objects.filter(at__lt=now - REQUESTS_KEPT).delete()
    return deleted


def expire_unconfirmed(now) -> int:
    """Delete the subscriptions left unconfirmed for 7 days; returns how many."""
    _, by_model = (
        Subscription.objects.unconfirmed().filter(created_at__lt=now - UNCONFIRMED_KEPT).delete()
    )
    return by_model.get(Subscription._meta.label, 0)


def export_address(email: str) -> dict:
    """Everything kept about ``email`` (a superuser, on request), as JSON-ready data."""
    subscriptions = (
        Subscription.objects.filter(email=normalise_email(email))
        .prefetch_related("groups", "workstreams")
        .order_by("created_at", "pk")
    )
    return {
        "email": normalise_email(email),
        "subscriptions": [
            {
                "groups": sorted(g.slug for g in s.groups.all()),
                "workstreams": sorted(w.slug for w in s.workstreams.all()),
                "topics": s.topics,
                "frequency": s.frequency,
                "reminder_days": s.reminder_days,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            }
            for s in subscriptions
        ],
    }
