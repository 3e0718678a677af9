"""Digests, against a real SMTP server: the previous UK day at 07:00, the previous week at
07:00 on Mondays, grouped by group, nothing when nothing changed, a DST day counted in UK
time, and a paper or decision published for later in no email before its time."""

from datetime import date, datetime, timedelta

from follow.enums import EmailKind, Frequency
from follow.models import Delivery
from tests.conftest import LONDON, PINNED_NOW
from tests.follow import smtp
from tests.follow.smtp import (
    SITE_URL,
    assert_plain_and_absolute,
    assert_unsubscribe_headers,
    cancel,
    parts,
    publish_decision,
    publish_paper,
    send,
    set_clock,
    subscribe,
)

# The fixtures: the SMTP server, its outbox, a media folder of the test's own.
mail_server, outbox, media = smtp.mail_server, smtp.outbox, smtp.media


def uk(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def test_the_daily_digest_at_seven_lists_the_previous_uk_day_by_group(
    outbox, seeded, media, monkeypatch
):
    subscription = subscribe("daily@example.org", groups=["psg", "sitag"], frequency="daily")
    cancel()  # SITAG, Thursday 26 November 09:00
    publish_paper(title="Migration plan v2")  # PSG, the same moment
    cancel(slug="mwg", day=date(2026, 12, 9))  # not followed

    set_clock(monkeypatch, uk(2026, 11, 26, 23, 59))
    send()
    set_clock(monkeypatch, uk(2026, 11, 27, 6, 59))
    send()
    assert outbox.messages() == []

    set_clock(monkeypatch, uk(2026, 11, 27, 7, 0))
    assert "Sent 1 emails" in send()
    set_clock(monkeypatch, uk(2026, 11, 27, 7, 5))
    assert "Sent 0 emails" in send()

    (message,) = outbox.messages()
    assert message["Subject"] == "MHHS governance: 2 changes on Thursday 26 November 2026"
    assert message.rcpt_tos == ["daily@example.org"]
    assert_unsubscribe_headers(message, subscription)
    assert_plain_and_absolute(message)
    text, html = parts(message)
    psg = text.index(f"PSG ({SITE_URL}/groups/psg/)")
    sitag = text.index(f"SITAG ({SITE_URL}/groups/sitag/)")
    paper = text.index("Papers published: PSG meeting of Wednesday 2 December 2026")
    cancelled = text.index("SITAG meeting of Wednesday 16 December 2026 cancelled")
    assert psg < paper < sitag < cancelled
    assert "Now: Migration plan v2" in text
    assert "Thursday 26 November 2026, 09:00 (UK time)" in text
    assert "MWG" not in text
    assert f'<a href="{SITE_URL}/groups/psg/">PSG</a>' in html
    html_psg, html_paper = html.index(">PSG</a>"), html.index(">Papers published: PSG")
    html_sitag, html_cancelled = html.index(">SITAG</a>"), html.index(">SITAG meeting of")
    assert html_psg < html_paper < html_sitag < html_cancelled
    assert "Migration plan v2" in html
    assert Delivery.objects.get(subscription=subscription).key == "daily:2026-11-26"


def test_no_digest_when_nothing_followed_changed(outbox, seeded, monkeypatch):
    subscribe("quiet@example.org", groups=["psg"], frequency="daily")
    subscribe("quiet-weekly@example.org", groups=["psg"], frequency="weekly")
    cancel()  # SITAG: not followed
    for moment in (uk(2026, 11, 27, 7, 0), uk(2026, 11, 30, 7, 0), uk(2026, 12, 1, 7, 0)):
        set_clock(monkeypatch, moment)
        send()
    assert outbox.messages() == []
    assert not Delivery.objects.exists()


def test_the_weekly_digest_goes_at_seven_on_monday_for_the_week_before(outbox, seeded, monkeypatch):
    subscription = subscribe("weekly@example.org", groups=["sitag"], frequency="weekly")
    cancel()  # Thursday 26 November
    for moment in (uk(2026, 11, 27, 7, 0), uk(2026, 11, 29, 23, 59), uk(2026, 11, 30, 6, 59)):
        set_clock(monkeypatch, moment)
        send()
    assert outbox.messages() == []

    set_clock(monkeypatch, uk(2026, 11, 30, 7, 0))
    send()
    set_clock(monkeypatch, uk(2026, 12, 1, 7, 0))
    send()
    (message,) = outbox.messages()
    assert message["Subject"] == (
        "MHHS governance: 1 change in the week of Monday 23 November 2026"
    )
    assert_unsubscribe_headers(message, subscription)
    assert_plain_and_absolute(message)
    text, _ = parts(message)
    assert "SITAG meeting of Wednesday 16 December 2026 cancelled" in text
    delivery = Delivery.objects.get(subscription=subscription)
    assert (delivery.kind, delivery.key) == (EmailKind.DIGEST, "weekly:2026-11-23")


def test_the_daily_digest_of_the_day_the_clocks_go_forward_is_that_uk_day(
    outbox, seeded, monkeypatch
):
    """Sunday 28 March 2027 has 23 hours: 00:00 GMT to 00:00 BST (23:00 UTC)."""
    subscribe("dst@example.org", groups=["sitag"], frequency=Frequency.DAILY)
    changes = [
        (uk(2027, 3, 27, 23, 30), date(2027, 4, 21)),  # Saturday
        (uk(2027, 3, 28, 0, 30), date(2027, 5, 19)),  # Sunday, GMT
        (uk(2027, 3, 28, 23, 30), date(2027, 6, 16)),  # Sunday, BST (22:30 UTC)
        (uk(2027, 3, 29, 0, 30), date(2027, 7, 21)),  # Monday, BST (23:30 UTC on Sunday)
    ]
    for moment, day in changes:
        set_clock(monkeypatch, moment)
        cancel(day=day)
    for moment in (uk(2027, 3, 28, 7, 0), uk(2027, 3, 29, 7, 0), uk(2027, 3, 30, 7, 0)):
        set_clock(monkeypatch, moment)
        send()

    saturday, sunday, monday = outbox.messages()
    assert saturday["Subject"] == "MHHS governance: 1 change on Saturday 27 March 2027"
    assert sunday["Subject"] == "MHHS governance: 2 changes on Sunday 28 March 2027"
    assert monday["Subject"] == "MHHS governance: 1 change on Monday 29 March 2027"
    text, _ = parts(sunday)
    assert "Sunday 28 March 2027, 00:30 (UK time)" in text
    assert "Sunday 28 March 2027, 23:30 (UK time)" in text
    assert "21 July" not in text and "21 April" not in text
    text, _ = parts(monday)
    assert "Monday 29 March 2027, 00:30 (UK time)" in text


def test_a_paper_and_decision_published_for_later_are_in_no_email_before_their_time(
    outbox, seeded, media, monkeypatch
):
    at_once = subscribe("now@example.org", groups=["psg"])
    daily = subscribe("daily@example.org", groups=["psg"], frequency=Frequency.DAILY)
    weekly = subscribe("weekly@example.org", groups=["psg"], frequency=Frequency.WEEKLY)
    public_from = uk(2026, 11, 30, 10, 0)
    publish_paper(title="Embargoed papers", publish_at=public_from)
    publish_decision(title="Approve the embargoed plan", published_at=public_from)

    before = [
        PINNED_NOW,
        uk(2026, 11, 27, 7, 0),
        uk(2026, 11, 28, 7, 0),
        uk(2026, 11, 30, 7, 0),  # the weekly digest of 23 to 29 November goes
        public_from - timedelta(seconds=1),
    ]
    for moment in before:
        set_clock(monkeypatch, moment)
        send()
    assert outbox.messages() == []

    set_clock(monkeypatch, public_from)
    send()
    notices = outbox.to(at_once.email)
    assert sorted(m["Subject"] for m in notices) == [
        "PSG: Decision PSG-2026-001 (PSG): Approve the embargoed plan",
        "PSG: Papers published: PSG meeting of Wednesday 2 December 2026",
    ]
    assert outbox.to(daily.email) == outbox.to(weekly.email) == []

    set_clock(monkeypatch, uk(2026, 12, 1, 7, 0))
    send()
    (digest,) = outbox.to(daily.email)
    text, _ = parts(digest)
    assert "Embargoed papers" in text and "Approve the embargoed plan" in text
    assert "Monday 30 November 2026, 10:00 (UK time)" in text

    set_clock(monkeypatch, uk(2026, 12, 7, 7, 0))
    send()
    (digest,) = outbox.to(weekly.email)
    assert digest["Subject"] == "MHHS governance: 2 changes in the week of Monday 30 November 2026"
