"""Composing and sending the emails owed: once each, however many hosts run at once.

Each email owed is a ``Delivery`` row, unique by subscription and key, made by whoever
first finds it owed (``bulk_create`` ignoring conflicts, so a second host adds nothing).
A host sends a row only after claiming it with one conditional UPDATE (unsent, and
unclaimed or its claim lapsed); it marks it sent after. A failed send is tried again
later, further apart each time (5, 10, 20, 40, 80 minutes), up to ``MAX_ATTEMPTS`` tries;
a mail server refusing the address for good (a 5xx answer to it) ends the subscription.

Emails carry a plain-text part and an HTML part, UK times, absolute links from
``settings.SITE_URL`` and nothing that tracks: no pixels, no rewritten links. Every
notice, digest and reminder has RFC 8058 one-click unsubscribe headers.
"""

import logging
import re
import smtplib
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from changelog.models import ChangeEntry
from core import clock
from core.text import join_and

from . import selectors, services
from .enums import EmailKind, Frequency
from .models import Delivery, SendRun, Subscription

logger = logging.getLogger(__name__)

# How long a claim on a row holds: a host that died mid-send loses it after this.
CLAIM = timedelta(minutes=5)
# The first retry's wait, doubled after each further failure.
RETRY_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 6
# Answers to RCPT that refuse the address itself (RFC 5321 4.2.3): no such mailbox (550),
# not local (551), mailbox name not allowed (553); with an enhanced status code (RFC 3463)
# only of class 5.1 (addressing). A relay refusing to relay ("554 5.7.1", "550 5.7.54"),
# a quota or a policy refusal is the server's state, not the address's: retried, never ended.
ADDRESS_REFUSED = {550, 551, 553}
ENHANCED_STATUS = re.compile(rb"\b5\.(\d{1,3})\.\d{1,3}\b")
# More addresses than this refused for good in one run looks like the relay, not the
# addresses: the rest of the run ends none (they are retried, and a warning logged).
MOST_ENDED_PER_RUN = 3

SITE_NAME = "MHHS governance directory"
# How a subscription hears, in the footer's words.
HOW = {
    Frequency.IMMEDIATE: "an email for each change",
    Frequency.DAILY: "a daily digest at 07:00 UK time",
    Frequency.WEEKLY: "a weekly digest at 07:00 UK time on Mondays",
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def uk_time(moment: datetime) -> str:
    """ "Thursday 26 November 2026, 09:00" in UK time."""
    return f"{timezone.localtime(moment):%A %-d %B %Y, %H:%M}"


# What is owed ----------------------------------------------------------------------------


def record_owed(now: datetime) -> None:
    """Add a ``Delivery`` row for each email owed at ``now`` that has none yet."""
    Delivery.objects.bulk_create(
        [
            Delivery(
                subscription=owed.subscription,
                kind=owed.kind,
                key=owed.key,
                created_at=now,
                next_attempt_at=now,
            )
            for owed in selectors.owed(now)
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def due(now: datetime):
    """Rows to send now: unsent, with tries left, whose next try has come and which no
    host holds a live claim on; oldest first."""
    return (
        Delivery.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .select_related("subscription")
        .prefetch_related("subscription__groups", "subscription__workstreams")
        .order_by("created_at", "pk")
    )


def claim(delivery: Delivery) -> datetime | None:
    """Take ``delivery`` to send it, in one conditional UPDATE of a row still due (unsent,
    with tries left, its next try come, no live claim): the claim's end for the one host
    that moved it forward, None for any other. A host working from an older list cannot
    take a row another host has just failed and put back for later."""
    now = clock.now()
    until = now + CLAIM
    taken = (
        Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=until)
    )
    return until if taken == 1 else None


# Composing -------------------------------------------------------------------------------


def _follows(subscription: Subscription) -> str:
    """What a subscription follows, in words: "PSG, SITAG and the Test workstream"."""
    names = [g.short_name for g in subscription.groups.order_by("acronym", "name")]
    names += [f"the {w.name} workstream" for w in subscription.workstreams.order_by("name")]
    return join_and(names) or "nothing yet"


def _context(subscription: Subscription, **extra) -> dict:
    token = subscription.token
    return {
        "site_name": SITE_NAME,
        "site_url": settings.SITE_URL,
        "subscription": subscription,
        "follows": _follows(subscription),
        "how": HOW[subscription.frequency],
        "manage_url": absolute(reverse("follow:manage", args=[token])),
        "unsubscribe_url": absolute(reverse("follow:unsubscribe", args=[token])),
        **extra,
    }


def _message(template: str, subject: str, context: dict, *, unsubscribe: bool = True):
    subject = " ".join(subject.split())  # one line, whatever a title held
    context = {**context, "subject": subject}
    text = render_to_string(f"follow/email/{template}.txt", context)
    html = render_to_string(f"follow/email/{template}.html", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[context["subscription"].email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _entry(entry: ChangeEntry) -> dict:
    """An entry as an email shows it: what, which group, when (UK time), and its link."""
    about = [entry.kind_label, entry.group_name, f"{uk_time(entry.visible_at)} (UK time)"]
    return {
        "entry": entry,
        "about": ", ".join(part for part in about if part),
        "link": absolute(entry.url),
    }


def _confirmation(delivery: Delivery, now: datetime):
    subscription = delivery.subscription
    if subscription.is_confirmed:
        return None  # confirmed meanwhile: no need to ask
    context = _context(
        subscription,
        confirm_url=absolute(reverse("follow:confirm", args=[subscription.token])),
        expires=uk_time(subscription.created_at + services.UNCONFIRMED_KEPT),
    )
    return _message(
        "confirmation",
        f"Confirm your email updates from the {SITE_NAME}",
        context,
        unsubscribe=False,
    )


def _notice(delivery: Delivery, now: datetime):
    pk = int(delivery.key.split(":", 1)[1])
    entry = ChangeEntry.objects.visible(now).filter(pk=pk).first()
    subscription = delivery.subscription
    if (
        entry is None
        or subscription.frequency != Frequency.IMMEDIATE
        or not selectors.concerns(subscription, entry)
    ):
        return None  # no longer owed: the subscriber changed what they follow, or how
    context = _context(delivery.subscription, **_entry(entry))
    subject = f"{entry.group_name}: {entry.summary}" if entry.group_name else entry.summary
    return _message("notice", subject, context)


def _digest(delivery: Delivery, now: datetime):
    period = selectors.period_of(delivery.key)
    entries = selectors.entries_for(delivery.subscription, period, now)
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: (e.group_name.lower(), e.visible_at, e.pk))
    groups = []
    for name, items in groupby(ordered, key=lambda e: e.group_name):
        items = list(items)
        url = items[0].group_url
        groups.append(
            {"name": name, "url": absolute(url) if url else "", "entries": [*map(_entry, items)]}
        )
    context = _context(delivery.subscription, period=period, groups=groups, count=len(entries))
    changes = "change" if len(entries) == 1 else "changes"
    if period.frequency == Frequency.DAILY:
        subject = f"{len(entries)} {changes} on {period.label}"
    else:
        subject = f"{len(entries)} {changes} in {period.label}"
    return _message("digest", f"MHHS governance: {subject}", context)


def meets_sentence(group, occurrence) -> str:
    """ "PSG meets on Wednesday 2 December at 10:00"."""
    start = occurrence.local_start
    return f"{group.short_name} meets on {start:%A %-d %B} at {start:%H:%M}"


def meeting_text(group, occurrence) -> str:
    """The reminder's line for one meeting: when, until when, what, whether it moved."""
    text = f"{meets_sentence(group, occurrence)} (until {occurrence.local_end:%H:%M}, UK time)"
    if occurrence.shows_series_title:
        text += f": {occurrence.title}"
    text += "."
    if occurrence.moved_from:
        text += f" It was moved from {occurrence.moved_from:%A %-d %B}."
    return text


def _reminder(delivery: Delivery, now: datetime):
    _, slug, day = delivery.key.split(":", 2)
    reminder = selectors.meeting_reminder(slug, datetime.fromisoformat(day).date(), now)
    if reminder is None:
        return None
    group = reminder.group
    meetings = [
        {"sentence": meets_sentence(group, o), "text": meeting_text(group, o)}
        for o in reminder.occurrences
    ]
    papers = [
        {"document": d, "url": absolute(d.get_absolute_url()), "published": uk_time(d.publish_at)}
        for d in reminder.papers
    ]
    context = _context(
        delivery.subscription,
        group=group,
        day=reminder.day,
        meetings=meetings,
        meeting_url=absolute(group.get_meeting_url(reminder.day)),
        papers=papers,
    )
    return _message("reminder", f"Reminder: {meetings[0]['sentence']}", context)


COMPOSERS = {
    EmailKind.CONFIRMATION: _confirmation,
    EmailKind.NOTICE: _notice,
    EmailKind.DIGEST: _digest,
    EmailKind.REMINDER: _reminder,
}


def compose(delivery: Delivery, now: datetime) -> EmailMultiAlternatives | None:
    """The email a row owes, as it stands at ``now``; None if it is no longer owed (the
    meeting was cancelled or has begun, the change is no longer there)."""
    return COMPOSERS[delivery.kind](delivery, now)


# Sending ---------------------------------------------------------------------------------


def _address_gone(code: int, message: bytes) -> bool:
    if code not in ADDRESS_REFUSED:
        return False
    enhanced = ENHANCED_STATUS.search(message or b"")
    return enhanced is None or enhanced.group(1) == b"1"


def refused_for_good(error: Exception) -> bool:
    """Whether the mail server refused the address itself, permanently: a 550, 551 or 553
    answer to the recipient whose enhanced code, if any, is about the address (5.1.x). A
    refusal of the message (at DATA), of relaying, or any 4xx is not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        return bool(answers) and all(_address_gone(code, msg) for code, msg in answers)
    return False


def retry_wait(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a row is tried again."""
    return RETRY_AFTER * 2 ** (attempts - 1)


def _failed(delivery: Delivery, error: Exception) -> None:
    now = clock.now()
    attempts = delivery.attempts + 1
    gives_up = attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        claimed_until=None,
        next_attempt_at=None if gives_up else now + retry_wait(attempts),
        last_error=_described(error)[:500],
    )
    log = logger.error if gives_up else logger.warning
    log(
        "Email %s (delivery %s) failed, try %s of %s%s: %s",
        delivery.key,
        delivery.pk,
        attempts,
        MAX_ATTEMPTS,
        ", giving up" if gives_up else "",
        _described(error),
    )


def _described(error: Exception) -> str:
    """The error without the address it may name (a refusal lists its recipients): the
    logs are read by more people than the superusers who may see addresses."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = ", ".join(str(code) for code, _ in error.recipients.values())
        return f"SMTPRecipientsRefused: {answers}"
    return f"{type(error).__name__}: {error}"


def _close(connection) -> None:
    """Drop a connection after a failure, so the next email opens a fresh one."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone
        logger.debug("Closing the mail connection failed", exc_info=True)


def send_one(delivery: Delivery, connection, now: datetime, *, may_end: bool = True) -> str:
    """Claim, compose and send one row: "sent", "failed", "ended" (the address refused
    for good: the subscription is deleted, unless ``may_end`` is False: then it is retried),
    "dropped" (no longer owed: the row goes) or "skipped" (another host has it)."""
    claimed_until = claim(delivery)
    if claimed_until is None:
        return "skipped"
    try:
        message = compose(delivery, now)
    except Exception as error:  # noqa: BLE001 - one bad email must not stop the run
        logger.exception("Composing email %s (delivery %s) failed", delivery.key, delivery.pk)
        _failed(delivery, error)
        return "failed"
    if message is None:
        Delivery.objects.filter(pk=delivery.pk).delete()
        return "dropped"
    message.connection = connection
    try:
        connection.open()
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
        if may_end and refused_for_good(error):
            logger.warning(
                "The mail server refused subscription %s's address for good (%s): ended",
                delivery.subscription_id,
                _described(error),
            )
            Subscription.objects.filter(pk=delivery.subscription_id).delete()
            return "ended"
        _close(connection)
        _failed(delivery, error)
        return "failed"
    # Marked sent under this host's own claim: if the send outlasted the claim and another
    # host took the row, that host's claim stands and this one writes nothing over it.
    Delivery.objects.filter(pk=delivery.pk, claimed_until=claimed_until).update(
        sent_at=clock.now(), claimed_until=None
    )
    return "sent"


def send_due(now: datetime, run: SendRun) -> SendRun:
    """Record what is owed at ``now`` and send every row due, counting into ``run``."""
    record_owed(now)
    connection = get_connection()
    try:
        # Read at once: SQLite would show a cursor the rows updated while it is read.
        ended = 0
        for delivery in list(due(now)):
            may_end = ended < MOST_ENDED_PER_RUN
            outcome = send_one(delivery, connection, now, may_end=may_end)
            if outcome == "sent":
                run.sent += 1
            elif outcome in ("failed", "ended"):
                run.failed += 1
            ended += outcome == "ended"
            if may_end and ended == MOST_ENDED_PER_RUN:
                logger.warning(
                    "%s addresses refused for good in one run: the rest of it ends none "
                    "(is the mail relay refusing everything?)",
                    ended,
                )
    finally:
        _close(connection)
    return run


def run(now: datetime | None = None) -> SendRun:
    """One run of the sender, as ``manage.py send_notifications`` and the worker's task
    do it: forget expired requests and unconfirmed subscriptions, then send all that is
    due. Written down as a ``SendRun`` (with the error, if the run broke off)."""
    now = now or clock.now()
    send_run = SendRun.objects.create(started_at=now)
    try:
        services.expire_unconfirmed(now)
        services.forget_old_requests(now)
        send_due(now, send_run)
    except Exception as error:
        send_run.error = f"{type(error).__name__}: {error}"[:500]
        raise
    finally:
        send_run.finished_at = clock.now()
        send_run.save(update_fields=["sent", "failed", "error", "finished_at"])
    return send_run
