"""Sending, against a real SMTP server in its own process: each email once, both parts,
absolute links, UK times, one-click unsubscribe headers, confirmation requests, what a
refusal and a failure do, and the runs the health check reports."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core import clock
from follow import checks, selectors, sending
from follow.enums import EmailKind, Frequency, Topic
from follow.models import Delivery, SendRun, Subscription
from follow.services import Choices, request_follow
from follow.tasks import send_notifications
from groups.models import GovernanceGroup, Workstream
from groups.services import group_add
from operations import health
from tests.conftest import LONDON, PINNED_NOW
from tests.follow import smtp
from tests.follow.smtp import (
    PSG_DAY,
    SITE_URL,
    assert_plain_and_absolute,
    assert_unsubscribe_headers,
    cancel,
    free_port,
    parts,
    publish_paper,
    send,
    set_clock,
    subscribe,
)

# The fixtures: the SMTP server, its outbox, a media folder of the test's own.
mail_server, outbox, media = smtp.mail_server, smtp.outbox, smtp.media


def test_an_immediate_notice_is_sent_once_with_both_parts_uk_time_and_unsubscribe_headers(
    outbox, seeded
):
    subscription = subscribe("ada@example.org", groups=["sitag"])
    cancel()

    assert "Sent 1 emails" in send()
    assert "Sent 0 emails" in send()

    (message,) = outbox.messages()
    assert message.rcpt_tos == ["ada@example.org"]
    assert message["To"] == "ada@example.org"
    assert message["From"] == "MHHS governance <governance@example.org>"
    assert message["Subject"] == "SITAG: SITAG meeting of Wednesday 16 December 2026 cancelled"
    assert_unsubscribe_headers(message, subscription)
    assert_plain_and_absolute(message)
    text, html = parts(message)
    for body in (text, html):
        assert "Meeting cancelled, SITAG, Thursday 26 November 2026, 09:00 (UK time)" in body
        assert f"{SITE_URL}/groups/sitag/" in body
        assert f"{SITE_URL}/follow/manage/{subscription.token}/" in body
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.kind == EmailKind.NOTICE and delivery.sent_at == PINNED_NOW
    assert list(SendRun.objects.values_list("sent", "failed")) == [(0, 0), (1, 0)]


def test_a_notice_owed_before_the_subscriber_unfollowed_is_not_sent(outbox, seeded):
    """A notice recorded as owed (e.g. waiting for a retry) is composed from what the
    subscription follows when it goes: unfollowed, or switched to a digest, it is dropped."""
    unfollowed = subscribe("unfollowed@example.org", groups=["sitag"])
    to_daily = subscribe("to-daily@example.org", groups=["sitag"])
    cancel()
    sending.record_owed(clock.now())
    assert Delivery.objects.filter(kind=EmailKind.NOTICE).count() == 2
    unfollowed.groups.set(GovernanceGroup.objects.filter(slug="psg"))
    Subscription.objects.filter(pk=to_daily.pk).update(frequency=Frequency.DAILY)
    send()
    assert outbox.messages() == []
    assert not Delivery.objects.filter(kind=EmailKind.NOTICE).exists()


def test_a_notice_shows_uk_summer_time(outbox, seeded, monkeypatch):
    subscription = subscribe("ada@example.org", groups=["sitag"])
    set_clock(monkeypatch, datetime(2027, 6, 1, 8, 15, tzinfo=LONDON))  # 07:15 UTC
    cancel(day=date(2027, 6, 16))
    send()
    (message,) = outbox.to(subscription.email)
    text, html = parts(message)
    assert "Tuesday 1 June 2027, 08:15 (UK time)" in text


def test_no_notice_before_confirmation_or_of_a_change_before_it(outbox, seeded):
    subscribe("early@example.org", groups=["sitag"], confirmed_at=PINNED_NOW + timedelta(1))
    unconfirmed = subscribe("later@example.org", groups=["sitag"])
    Subscription.objects.filter(pk=unconfirmed.pk).update(confirmed_at=None)
    cancel()
    send()
    assert outbox.messages() == []
    assert not Delivery.objects.exists()


def test_the_topics_chosen_filter_what_is_sent(outbox, seeded, media):
    subscription = subscribe("papers@example.org", groups=["psg"], topics=[Topic.PAPERS])
    cancel(slug="psg", day=PSG_DAY)
    publish_paper()
    send()
    (message,) = outbox.to(subscription.email)
    assert message["Subject"] == "PSG: Papers published: PSG meeting of Wednesday 2 December 2026"


def test_a_workstream_covers_its_groups_including_one_added_later(outbox, seeded):
    subscription = subscribe("test-ws@example.org", workstreams=["test"])
    cancel()
    sitag = GovernanceGroup.objects.get(slug="sitag")
    later = GovernanceGroup(
        slug="tig",
        acronym="TIG",
        name="Test Integration Group",
        workstream=Workstream.objects.get(slug="test"),
        level=sitag.level,
        attendance=sitag.attendance,
        decision_making=False,
        status=sitag.status,
    )
    group_add(group=later, by=None, at=PINNED_NOW)
    send()
    subjects = sorted(m["Subject"] for m in outbox.to(subscription.email))
    assert subjects == [
        "SITAG: SITAG meeting of Wednesday 16 December 2026 cancelled",
        "TIG: Test Integration Group (TIG) added",
    ]


def test_the_confirmation_request_has_the_confirm_link_and_no_unsubscribe_headers(outbox, seeded):
    choices = Choices(
        groups=list(GovernanceGroup.objects.filter(slug="psg")),
        workstreams=[],
        topics=[t.value for t in Topic],
        frequency=Frequency.DAILY,
        reminder_days=0,
    )
    subscription = request_follow(
        email="new@example.org", choices=choices, client="192.0.2.1", now=PINNED_NOW
    )
    send()
    send()
    (message,) = outbox.to("new@example.org")
    assert message["List-Unsubscribe"] is None
    assert_plain_and_absolute(message)
    text, html = parts(message)
    confirm = f"{SITE_URL}/follow/confirm/{subscription.token}/"
    assert confirm in text and f'href="{confirm}"' in html
    assert "nothing happens unless you confirm" in " ".join(text.split())
    assert "Thursday 3 December 2026, 09:00" in text  # forgotten 7 days after the request
    assert Delivery.objects.get(subscription=subscription).sent_at == PINNED_NOW


def test_a_permanent_refusal_of_the_address_ends_the_subscription(outbox, seeded):
    gone = subscribe("gone@example.org", groups=["sitag"])
    kept = subscribe("kept@example.org", groups=["sitag"])
    cancel()
    assert "Sent 1 emails; 1 failed" in send()
    assert not Subscription.objects.filter(pk=gone.pk).exists()
    assert Subscription.objects.filter(pk=kept.pk).exists()
    assert [m.rcpt_tos for m in outbox.messages()] == [["kept@example.org"]]


def test_a_relay_refusing_to_relay_ends_nothing(outbox, seeded, caplog):
    """550 5.7.54 is the relay's policy, not the address: retried, the subscription kept,
    and the address in no log line."""
    refused = subscribe("norelay@example.org", groups=["sitag"])
    cancel()
    assert "0 emails; 1 failed" in send()
    assert Subscription.objects.filter(pk=refused.pk).exists()
    delivery = Delivery.objects.get(subscription=refused)
    assert delivery.attempts == 1 and "550" in delivery.last_error
    assert "norelay@" not in delivery.last_error
    assert "norelay@" not in caplog.text


def test_one_run_ends_at_most_three_subscriptions(outbox, seeded, caplog):
    """Many addresses refused for good at once looks like the relay: the fourth and later
    are retried, not ended, and a warning says so; no address reaches the log."""
    gone = [subscribe(f"gone{n}@example.org", groups=["sitag"]) for n in range(5)]
    cancel()
    send()
    left = Subscription.objects.filter(pk__in=[s.pk for s in gone]).count()
    assert left == 2
    assert "the rest of it ends none" in caplog.text
    assert "@example.org" not in caplog.text


def test_a_row_another_host_put_back_for_later_cannot_be_claimed_early(seeded, now):
    """A host working from an older list of due rows finds the row failed and rescheduled
    by another: its claim takes nothing."""
    subscription = subscribe("late-list@example.org", groups=["sitag"])
    delivery = Delivery.objects.create(
        subscription=subscription,
        kind=EmailKind.NOTICE,
        key="notice:1",
        attempts=1,
        next_attempt_at=now + timedelta(minutes=5),
    )
    assert sending.claim(delivery) is None
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=now, attempts=sending.MAX_ATTEMPTS
    )
    assert sending.claim(delivery) is None  # no tries left
    Delivery.objects.filter(pk=delivery.pk).update(attempts=1)
    assert sending.claim(delivery) is not None


def test_a_refusal_for_now_is_tried_again_later_with_backoff(outbox, seeded, monkeypatch):
    subscription = subscribe("flaky-retry@example.org", groups=["sitag"])
    cancel()
    assert "0 emails; 1 failed" in send()
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.attempts == 1 and delivery.sent_at is None
    assert delivery.next_attempt_at == PINNED_NOW + timedelta(minutes=5)
    assert "451" in delivery.last_error

    set_clock(monkeypatch, PINNED_NOW + timedelta(minutes=4))
    send()
    assert outbox.messages() == []
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    set_clock(monkeypatch, PINNED_NOW + timedelta(minutes=5))
    assert "Sent 1 emails" in send()
    (message,) = outbox.to(subscription.email)
    delivery.refresh_from_db()
    assert delivery.sent_at == PINNED_NOW + timedelta(minutes=5)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_unreachable_server_is_retried_further_apart_then_given_up(
    outbox, seeded, monkeypatch, settings
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    subscription = subscribe("ada@example.org", groups=["sitag"])
    cancel()
    moment = PINNED_NOW
    waits = []
    for _ in range(sending.MAX_ATTEMPTS):
        set_clock(monkeypatch, moment)
        send()
        delivery = Delivery.objects.get(subscription=subscription)
        if delivery.next_attempt_at is None:
            break
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (5, 10, 20, 40, 80)]
    assert delivery.attempts == sending.MAX_ATTEMPTS and delivery.sent_at is None
    set_clock(monkeypatch, moment + timedelta(days=1))
    send()
    assert Delivery.objects.get(subscription=subscription).attempts == sending.MAX_ATTEMPTS


def test_a_row_claimed_by_another_host_is_not_sent_twice(outbox, seeded, monkeypatch):
    subscription = subscribe("ada@example.org", groups=["sitag"])
    cancel()
    sending.record_owed(PINNED_NOW)
    delivery = Delivery.objects.get(subscription=subscription)
    assert sending.claim(delivery)  # another host took it
    send()
    assert outbox.messages() == []
    # Its claim lapses (the host died): the next run sends it.
    set_clock(monkeypatch, PINNED_NOW + sending.CLAIM + timedelta(seconds=1))
    send()
    assert len(outbox.to(subscription.email)) == 1
    assert not sending.claim(Delivery.objects.get(pk=delivery.pk))


def test_the_worker_task_sends_as_the_command_does(outbox, seeded):
    subscribe("ada@example.org", groups=["sitag"])
    cancel()
    result = send_notifications.enqueue()
    assert result.return_value == {"sent": 1, "failed": 0}
    assert len(outbox.messages()) == 1


def test_deep_health_shows_the_last_run_and_warns_when_it_is_over_an_hour_old(seeded, monkeypatch):
    assert health.notification_run_age() == "not applicable (no notification runs yet)"
    SendRun.objects.create(
        started_at=PINNED_NOW - timedelta(minutes=4),
        finished_at=PINNED_NOW - timedelta(minutes=4),
        sent=3,
        failed=1,
    )
    assert health.notification_run_age() == (
        "ok (last send run 4 minutes ago, Thursday 26 November 2026, 08:56: 3 sent, 1 failed)"
    )
    set_clock(monkeypatch, PINNED_NOW + timedelta(minutes=57))
    said = health.notification_run_age()
    assert said.startswith("warning: no send run for over an hour (last send run 61 minutes ago")


def test_deploy_check_warns_without_a_mail_server_public_site_url_or_from_address():
    ids = lambda: {w.id for w in checks.email_settings(None)}  # noqa: E731
    with override_settings(
        DEBUG=False,
        EMAIL_HOST="",
        SITE_URL="http://127.0.0.1:8000",
        DEFAULT_FROM_EMAIL="x <noreply@localhost>",
    ):
        assert ids() == {"follow.W001", "follow.W002", "follow.W003"}
    with override_settings(
        DEBUG=False,
        EMAIL_HOST="smtp.example.org",
        SITE_URL="https://governance.example.org",
        DEFAULT_FROM_EMAIL="governance@example.org",
    ):
        assert ids() == set()


def test_what_is_owed_is_read_in_a_fixed_number_of_queries_however_many_subscribe(seeded):
    cancel()
    frequencies = [Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY]

    def count(subscriptions: int) -> int:
        for n in range(subscriptions):
            subscribe(
                f"reader-{n}@example.org",
                groups=["sitag", "psg"],
                workstreams=["test"],
                frequency=frequencies[n % 3],
                reminder_days=5,
            )
        with CaptureQueriesContext(connection) as captured:
            owed = selectors.owed(PINNED_NOW + timedelta(days=1))
        assert owed
        return len(captured.captured_queries)

    few = count(3)
    assert count(30) == few
