"""Following by email, end to end in a real Chromium against the live server, with the
emails going to a real SMTP server in a process of its own (tests/follow/smtp.py).

A participant follows PSG and the Test workstream, daily, with a reminder 2 working days
before each meeting; the confirmation email arrives; opening its link confirms nothing,
pressing Confirm does. The programme office cancels a SITAG meeting and publishes PSG papers
(the services its admin screens call); at 07:00 UK the next day exactly one digest lists
both, and a second run sends nothing; the reminder comes 2 working days before PSG's next
meeting; a mail client's one-click POST to the List-Unsubscribe URL ends the subscription,
and the next change sends nothing.

The live server runs in this process, so the pinned clock (``core.clock.now``) and the
email settings (the ``outbox`` fixture) hold for its pages too; ``send_notifications`` is
run here, as cron would, at each pinned moment.
"""

import re
import urllib.request
from datetime import date, datetime

import pytest

from follow.enums import Frequency
from follow.models import Delivery, Subscription
from tests.conftest import LONDON
from tests.follow import smtp
from tests.follow.smtp import cancel, parts, publish_paper, send, set_clock

from .conftest import screenshot

pytestmark = pytest.mark.browser

# The fixtures: the SMTP server, its outbox (Django's SMTP backend pointed at it), media.
mail_server, outbox, media = smtp.mail_server, smtp.outbox, smtp.media

ADDRESS = "participant@example.org"
PSG_NEXT = date(2026, 12, 2)  # PSG meets on the first Wednesday
SITAG_NEXT = date(2026, 12, 16)  # SITAG (Test workstream) on the third Wednesday


def uk(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def both_widths(browser, page, name: str) -> None:
    """Screenshots of what ``page`` shows at 1280 px, and of the same URL (GET) at 360 px;
    neither may be wider than its window."""
    screenshot(page, f"{name}-1280")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    narrow = browser.new_context(viewport={"width": 360, "height": 800})
    small = narrow.new_page()
    small.goto(page.url)
    screenshot(small, f"{name}-360")
    width = small.evaluate("document.documentElement.scrollWidth")
    narrow.close()
    assert width <= 360, f"{name} is {width} px wide at 360 px"


def one_click(url: str) -> int:
    """What a mail client does (RFC 8058): a POST with that body, no cookie, no token."""
    request = urllib.request.Request(
        url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=20) as response:
        return response.status


def test_a_participant_follows_confirms_gets_one_digest_a_reminder_and_unsubscribes(
    browser, page, site, outbox, media, settings, monkeypatch
):
    settings.SITE_URL = site  # the emails' links lead to the live server
    # After PSG's meeting of 11:30 today has started: its next is on Wednesday 2 December.
    set_clock(monkeypatch, uk(2026, 11, 26, 12, 0))

    # /follow/: PSG and the whole Test workstream, a daily digest, a 2-day reminder.
    page.goto(site + "/follow/")
    both_widths(browser, page, "follow-form")
    page.locator("input[name=email]").fill(ADDRESS)
    page.locator("#groups-psg").check()
    page.locator("#workstreams-test").check()
    page.get_by_label(Frequency.DAILY.label).check()
    page.get_by_label("2 working days before").check()
    page.get_by_role("button", name="Follow").click()
    page.wait_for_url(re.compile(r".*/follow/check-your-email/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    both_widths(browser, page, "follow-check-your-email")

    # The confirmation email, at the SMTP server (sent by the request's task or by cron).
    send()
    (confirmation,) = outbox.to(ADDRESS)
    text, _ = parts(confirmation)
    (link,) = set(re.findall(rf"{re.escape(site)}/follow/confirm/[A-Za-z0-9_-]+/", text))
    subscription = Subscription.objects.get(email=ADDRESS)
    assert subscription.frequency == Frequency.DAILY and subscription.reminder_days == 2
    assert list(subscription.groups.values_list("slug", flat=True)) == ["psg"]
    assert list(subscription.workstreams.values_list("slug", flat=True)) == ["test"]

    # Opening the link (as a mail scanner would) confirms nothing; pressing Confirm does.
    set_clock(monkeypatch, uk(2026, 11, 26, 12, 2))
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm you want these emails"
    both_widths(browser, page, "follow-confirm")
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name=re.compile("You are now following")).wait_for()
    screenshot(page, "follow-confirmed-1280")
    subscription.refresh_from_db()
    assert subscription.confirmed_at == uk(2026, 11, 26, 12, 2)

    # The programme office cancels SITAG's meeting and publishes PSG's papers.
    set_clock(monkeypatch, uk(2026, 11, 26, 12, 30))
    cancel(slug="sitag", day=SITAG_NEXT)
    publish_paper(slug="psg", day=PSG_NEXT, title="Migration readiness update")
    set_clock(monkeypatch, uk(2026, 11, 26, 12, 35))
    send()
    assert len(outbox.to(ADDRESS)) == 1, [m["Subject"] for m in outbox.to(ADDRESS)]

    # 07:00 UK the next day: one digest listing both; running again sends nothing.
    set_clock(monkeypatch, uk(2026, 11, 27, 7, 0))
    send()
    set_clock(monkeypatch, uk(2026, 11, 27, 7, 5))
    assert "Sent 0 emails" in send()
    confirmation_, digest = outbox.to(ADDRESS)
    assert confirmation_["Message-ID"] == confirmation["Message-ID"]
    text, html = parts(digest)
    assert "Thursday 26 November 2026" in digest["Subject"], digest["Subject"]
    assert "SITAG meeting of Wednesday 16 December 2026 cancelled" in text, text
    assert "Papers published: PSG meeting of Wednesday 2 December 2026" in text, text
    assert "Migration readiness update" in text
    assert "SITAG" in html and "PSG" in html

    # Nothing over the weekend; the reminder at 07:00 on Monday 30 November, 2 working
    # days before PSG's meeting on Wednesday 2 December (SITAG's is cancelled).
    for moment in (uk(2026, 11, 28, 7, 0), uk(2026, 11, 29, 7, 0), uk(2026, 11, 30, 6, 59)):
        set_clock(monkeypatch, moment)
        send()
    assert len(outbox.to(ADDRESS)) == 2
    set_clock(monkeypatch, uk(2026, 11, 30, 7, 0))
    send()
    received = outbox.to(ADDRESS)
    assert len(received) == 3
    reminder = received[2]
    assert reminder["Subject"].startswith("Reminder:"), reminder["Subject"]
    assert "PSG" in reminder["Subject"]
    assert "PSG meets on Wednesday 2 December at 10:00" in parts(reminder)[0]

    # The unsubscribe page (a GET changes nothing), then the one-click POST from the header.
    unsubscribe_url = reminder["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe_url == f"{site}/follow/unsubscribe/{subscription.token}/"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(unsubscribe_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Unsubscribe"
    both_widths(browser, page, "follow-unsubscribe")
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert one_click(unsubscribe_url) == 200
    assert not Subscription.objects.filter(email=ADDRESS).exists()
    assert not Delivery.objects.filter(subscription_id=subscription.pk).exists()

    # The next change sends nothing.
    set_clock(monkeypatch, uk(2026, 11, 30, 10, 0))
    publish_paper(slug="psg", day=PSG_NEXT, kind="agenda", title="Revised agenda")
    for moment in (uk(2026, 11, 30, 10, 5), uk(2026, 12, 1, 7, 0), uk(2026, 12, 1, 7, 5)):
        set_clock(monkeypatch, moment)
        send()
    assert len(outbox.to(ADDRESS)) == 3
