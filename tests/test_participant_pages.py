"""Pages shaped around what a participant comes to do: when a group next meets, subscribing
in one step, one feed for the groups they follow."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from tests.tools import event_group


def test_group_page_answers_at_a_glance(client, seeded, now):
    html = client.get("/groups/psg/").content.decode()
    glance = html.split('class="at-a-glance"', 1)[1].split("</section>", 1)[0]
    assert "Mobilised" in glance
    # Pinned clock: Thursday 26 November 2026, 09:00; the webinar is at 11:30 today.
    assert "Thursday 26 November 2026, 11:30 to 12:00 (today)" in glance
    # The words as read (the phrase links to the page's seats section).
    assert "Closed, through your constituency representative" in re.sub(r"<[^>]+>", "", glance)
    assert '<a href="#representatives">through your constituency representative</a>' in glance
    assert "<summary" in glance and "Subscribe" in glance
    # The summary comes before the facts.
    assert html.index('class="at-a-glance"') < html.index('id="facts-heading"')


def test_tomorrow_is_said(client, seeded, monkeypatch, now):
    from datetime import timedelta

    from core import clock

    monkeypatch.setattr(clock, "now", lambda: now - timedelta(days=1))
    html = client.get("/groups/psg/").content.decode()
    assert "Thursday 26 November 2026, 11:30 to 12:00 (tomorrow)" in html


def test_subscribe_panel_offers_every_way_in(client, seeded, now):
    html = client.get("/groups/sitwg/").content.decode()
    panel = html.split('class="subscribe-panel"', 1)[1].split("</details>", 1)[0]
    assert 'href="webcal://testserver/groups/sitwg/calendar.ics"' in panel
    # The template spreads the input's attributes over lines (djLint): compare them with
    # runs of whitespace read as one space.
    assert 'readonly value="http://testserver/groups/sitwg/calendar.ics"' in " ".join(panel.split())
    assert "data-copy=" in panel and " hidden>Copy address" in panel  # shown by the script
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftestserver" in panel
    outlook = panel.split('href="https://outlook.live.com/calendar/0/addfromweb?', 1)[1]
    query = parse_qs(outlook.split('"', 1)[0].replace("&amp;", "&"))
    assert query == {
        "url": ["http://testserver/groups/sitwg/calendar.ics"],
        "name": ["MHHS SITWG"],
    }
    for app in ("Outlook desktop", "Apple Calendar", "Thunderbird"):
        assert app in panel
    assert '<script src="/static/js/copy.js" defer>' in html


@pytest.mark.parametrize(("slug", "reason"), [("tmag", "was replaced"), ("dag", "no meetings")])
def test_groups_without_meetings_say_why_instead_of_subscribe(client, seeded, now, slug, reason):
    html = client.get(f"/groups/{slug}/").content.decode()
    assert 'class="subscribe-panel"' not in html
    assert reason in html.split('class="no-feed"', 1)[1].split("</p>", 1)[0]


def test_my_calendar_builds_one_feed(client, seeded, now):
    page = client.get("/my-calendar/")
    assert page.status_code == 200
    html = page.content.decode()
    assert " ".join(html.split()).count('type="checkbox" name="groups"') == 22
    assert "<legend>Test</legend>" in html and "<legend>Design</legend>" in html
    chosen = client.get("/my-calendar/?groups=sitwg&groups=psg&groups=psg").content.decode()
    assert 'value="psg" id="groups-psg" checked' in " ".join(chosen.split())
    panel = chosen.split('class="subscribe-panel"', 1)[1].split("</details>", 1)[0]
    address = " ".join(panel.split()).split('readonly value="', 1)[1].split('"', 1)[0]
    assert address == "http://testserver/calendar.ics?groups=psg,sitwg"
    feed = client.get(urlsplit(address).path + "?" + urlsplit(address).query)
    calendar = Calendar.from_ical(feed.content)
    groups = {event_group(e) for e in calendar.walk("VEVENT")}
    assert groups == {"psg", "sitwg"}


def test_my_calendar_refuses_an_unknown_group_with_an_error_summary(client, seeded):
    response = client.get("/my-calendar/?groups=nope")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="error-summary"' in html and 'href="#groups-list"' in html
    assert "There is no group nope" in html


def test_workstream_page_lists_next_meetings_and_the_fallback_contact(client, seeded, now):
    html = client.get("/workstreams/test/").content.decode()
    upcoming = html.split('id="upcoming-heading"', 1)[1].split("</ul>", 1)[0]
    assert upcoming.count("<li>") == 6
    assert "SITWG" in upcoming or "SITAG" in upcoming
    qualification = client.get("/workstreams/qualification/").content.decode()
    assert "Contact Us list gives no mailbox for this workstream" in qualification
    assert 'href="mailto:PPC@mhhsprogramme.co.uk"' in qualification


def test_meetings_on_a_bank_holiday_are_flagged_everywhere(client, seeded, now):
    """GLIG meets fortnightly on Fridays: Friday 1 January 2027 is New Year's Day."""
    from datetime import date

    from icalendar import Calendar

    month = client.get("/api/calendar/2027/01/").json()["occurrences"]
    (new_year,) = [o for o in month if o["group"] == "glig" and o["start"].startswith("2027-01-01")]
    assert new_year["bank_holiday"] == "New Year's Day"
    page = client.get("/calendar/2027/01/").content.decode()
    assert "Bank holiday: check with the PMO" in page
    calendar = Calendar.from_ical(client.get("/groups/glig/calendar.ics").content)
    flagged = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    days = {e["RECURRENCE-ID"].dt.date() for e in flagged}
    assert date(2027, 1, 1) in days and date(2027, 3, 26) in days  # Good Friday 2027
    override = next(e for e in flagged if e["RECURRENCE-ID"].dt.date() == date(2027, 1, 1))
    assert str(override["DESCRIPTION"]).startswith(
        "Bank holiday (New Year's Day): check with the PMO that it goes ahead."
    )
    assert override["DTSTART"].dt == override["RECURRENCE-ID"].dt  # same time, flagged
    master = next(e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e)
    # An override's SEQUENCE rises only when it changes, never below its master's.
    assert int(override["SEQUENCE"]) == int(master["SEQUENCE"])
    group_page = client.get("/groups/glig/").content.decode()
    assert "bank holiday, check with the PMO that it goes ahead" in group_page or (
        "Friday 1 January 2027" not in group_page
    )


def test_dags_held_slot_is_tentative_on_the_calendar_and_in_the_feed(client, seeded, now):
    from icalendar import Calendar

    month = client.get("/api/calendar/2026/12/").json()["occurrences"]
    (slot,) = [o for o in month if o["group"] == "dag"]
    assert slot["status"] == "tentative"
    assert (slot["start"], slot["end"]) == (
        "2026-12-09T10:00:00+00:00",
        "2026-12-09T13:00:00+00:00",
    )
    page = client.get("/calendar/2026/12/").content.decode()
    assert "Tentative: slot held" in page
    calendar = Calendar.from_ical(client.get("/groups/dag/calendar.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "TENTATIVE" and str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["DESCRIPTION"]).startswith("A slot held for meetings called when needed")
    assert "meeting slot available for ad hoc meetings" in str(event["DESCRIPTION"])
    # Not a meeting to announce: DAG still has no next meeting.
    assert client.get("/api/groups/dag/").json()["next_meeting"] is None


def test_a_meeting_called_in_the_held_slot_replaces_the_tentative_slot(client, seeded, now):
    from datetime import datetime

    from icalendar import Calendar

    from groups.models import GovernanceGroup
    from meetings.models import OneOffMeeting
    from tests.conftest import LONDON

    OneOffMeeting.objects.create(
        group=GovernanceGroup.objects.get(slug="dag"),
        title="DAG called meeting",
        start=datetime(2026, 12, 9, 10, tzinfo=LONDON),
        end=datetime(2026, 12, 9, 12, tzinfo=LONDON),
    )
    month = client.get("/api/calendar/2026/12/").json()["occurrences"]
    assert [(o["title"], o["status"]) for o in month if o["group"] == "dag"] == [
        ("DAG called meeting", "confirmed")
    ]
    calendar = Calendar.from_ical(client.get("/groups/dag/calendar.ics").content)
    slot = next(e for e in calendar.walk("VEVENT") if str(e.get("STATUS")) == "TENTATIVE")
    assert "EXDATE;TZID=Europe/London:20261209T100000" in slot.to_ical().decode()
