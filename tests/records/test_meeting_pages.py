"""A page for every meeting, its place in the group's pages, the calendar and the feeds."""

import json
import re
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from groups.provenance import with_sic
from meetings.models import Cancellation, Move, OneOffMeeting
from tests.conftest import LONDON
from tests.factories import add_seed_copies
from tests.records.conftest import (
    PSG_DAY,
    group,
    make_action,
    make_decision,
    make_document,
    make_policy,
    make_record,
)


def json_ld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_a_series_meeting_page_has_its_time_status_and_structured_data(client, seeded, now):
    response = client.get("/groups/psg/meetings/2026-12-02/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>PSG meeting, Wednesday 2 December 2026 · " in html
    assert '<time datetime="2026-12-02T10:00:00+00:00">10:00</time> to' in html
    assert "Scheduled" in html
    event = json_ld(html)
    assert event == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "PSG: Programme Steering Group (PSG)",
        "url": "http://testserver/groups/psg/meetings/2026-12-02/",
        "organizer": {
            "@type": "Organization",
            "name": "Programme Steering Group",
            "url": "http://testserver/groups/psg/",
        },
        "eventStatus": "https://schema.org/EventScheduled",
        "description": with_sic(group("psg").purpose),  # the source's typo marked [sic]
        "startDate": "2026-12-02T10:00:00+00:00",
        "endDate": "2026-12-02T12:00:00+00:00",
    }


def test_a_past_meeting_is_held(client, seeded, now):
    html = client.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert '<dd class="meeting-status">Held</dd>' in html


def test_a_cancelled_meeting(client, seeded, now):
    series = group("psg").series.get(slug="meeting")
    Cancellation.objects.create(series=series, date=PSG_DAY, note="No quorum")
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert '<strong class="status-cancelled">Cancelled</strong>. No quorum' in html
    assert json_ld(html)["eventStatus"] == "https://schema.org/EventCancelled"


def test_a_moved_meeting_has_a_page_on_each_date_linking_the_other(client, seeded, now):
    series = group("psg").series.get(slug="meeting")
    Move.objects.create(
        series=series,
        original_date=PSG_DAY,
        start=datetime(2026, 12, 3, 14, tzinfo=LONDON),
        end=datetime(2026, 12, 3, 16, tzinfo=LONDON),
        note="Room clash",
    )
    moved_to = client.get("/groups/psg/meetings/2026-12-03/").content.decode()
    assert (
        'moved from <a href="/groups/psg/meetings/2026-12-02/">Wednesday 2 December 2026</a>'
        in moved_to
    )
    event = json_ld(moved_to)
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert event["startDate"] == "2026-12-03T14:00:00+00:00"
    assert event["previousStartDate"] == "2026-12-02T10:00:00+00:00"
    moved_from = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert '<strong>Moved</strong> to <a href="/groups/psg/meetings/2026-12-03/">' in moved_from
    # The date it moved from describes the meeting where it is now, at that date's page.
    event = json_ld(moved_from)
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert (event["startDate"], event["endDate"], event["previousStartDate"]) == (
        "2026-12-03T14:00:00+00:00",
        "2026-12-03T16:00:00+00:00",
        "2026-12-02T10:00:00+00:00",
    )
    assert event["url"] == "http://testserver/groups/psg/meetings/2026-12-02/"
    asked_with_a_query = client.get("/groups/psg/meetings/2026-12-02/?from=newsletter")
    assert json_ld(asked_with_a_query.content.decode())["url"] == event["url"]
    assert "Room clash" in moved_from


def test_a_meeting_held_on_a_date_another_moved_away_from_is_as_scheduled(client, seeded, now):
    Move.objects.create(
        series=group("psg").series.get(slug="meeting"),
        original_date=PSG_DAY,
        start=datetime(2026, 12, 3, 14, tzinfo=LONDON),
        end=datetime(2026, 12, 3, 16, tzinfo=LONDON),
        note="Room clash",
    )
    OneOffMeeting.objects.create(
        group=group("psg"),
        start=datetime(2026, 12, 2, 15, tzinfo=LONDON),
        end=datetime(2026, 12, 2, 16, tzinfo=LONDON),
    )
    event = json_ld(client.get("/groups/psg/meetings/2026-12-02/").content.decode())
    # The page describes the meeting held that day: nothing moved it.
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert (event["startDate"], event["endDate"]) == (
        "2026-12-02T15:00:00+00:00",
        "2026-12-02T16:00:00+00:00",
    )
    assert "previousStartDate" not in event


def test_a_one_off_meeting_has_a_page_and_its_feed_event_links_to_it(client, seeded, now):
    OneOffMeeting.objects.create(
        group=group("dag"),
        start=datetime(2026, 12, 10, 14, tzinfo=LONDON),
        end=datetime(2026, 12, 10, 15, tzinfo=LONDON),
        note="Called by the chair",
    )
    html = client.get("/groups/dag/meetings/2026-12-10/").content.decode()
    assert "Scheduled: a one-off meeting. Called by the chair" in html
    feed = Calendar.from_ical(client.get("/groups/dag/calendar.ics").content)
    (one_off,) = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith("one-off-")]
    assert str(one_off["URL"]) == "http://testserver/groups/dag/meetings/2026-12-10/"
    assert "http://testserver/groups/dag/meetings/2026-12-10/" in str(one_off["DESCRIPTION"])


def test_a_series_feed_event_links_to_the_groups_meetings(client, seeded, now):
    feed = Calendar.from_ical(client.get("/groups/psg/calendar.ics").content)
    masters = [e for e in feed.walk("VEVENT") if "RRULE" in e]
    assert {str(e["URL"]) for e in masters} == {"http://testserver/groups/psg/meetings/"}
    assert client.get("/groups/psg/meetings/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/groups/psg/meetings/2026-12-03/",  # no PSG meeting that day
        "/groups/psg/meetings/2026-02-30/",  # no such date
        "/groups/psg/meetings/2026-13-01/",
        "/groups/nope/meetings/2026-12-02/",
        "/groups/dag/meetings/2026-12-09/",  # a held slot, not called
        "/groups/psg/meetings/26-12-02/",
        "/groups/nope/meetings/",
        "/groups/psg/meetings/0001-01-01/",
        "/groups/psg/meetings/9999-12-31/",
        "/groups/psg/meetings/1999-12-31/documents/1/",
    ],
)
def test_no_meeting_is_404_with_a_page(client, seeded, now, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"<h1" in response.content and b"Traceback" not in response.content


def test_a_date_without_a_meeting_points_to_the_nearest_ones(client, seeded, now):
    response = client.get("/groups/psg/meetings/2026-12-03/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>No PSG meeting on Thursday 3 December 2026</h1>" in html
    nearest = html.split("The nearest PSG meetings:", 1)[1].split("</ul>", 1)[0]
    assert 'href="/groups/psg/meetings/2026-12-02/"' in nearest
    assert 'href="/groups/psg/meetings/2026-12-24/"' in nearest
    assert nearest.count("<li>") == 2


def test_a_series_with_its_own_title_heads_its_page_and_a_past_meeting_hides_joining(
    client, seeded, now
):
    make_record(day=date(2026, 11, 4), joining_details="https://teams.example.org/j/1")
    html = client.get("/groups/psg/meetings/2026-11-26/").content.decode()
    assert "<h1>Programme Steering Group (PSG) pre-meeting webinar <span" in html
    past = client.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert "teams.example.org" not in past and "How to join" not in past
    make_record(joining_details="https://teams.example.org/j/2")
    upcoming = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert '<a href="https://teams.example.org/j/2" rel="nofollow">' in upcoming
    assert "Decisions will be listed here after the meeting." in upcoming


def test_a_record_outlives_a_schedule_change(client, seeded, now):
    record = make_record()
    make_document(record, title="Kept papers")
    group("psg").series.filter(slug="meeting").update(valid_until=date(2026, 11, 30))
    html = client.get(record.get_absolute_url()).content.decode()
    assert "Not on the group's schedule now: this record is kept as it was." in html
    assert "Kept papers" in html
    event = json_ld(html)  # what became of the meeting is not known: no status, no time
    assert not {"eventStatus", "startDate", "endDate"} & event.keys()
    record.joining_details = "Still editable"
    record.full_clean()  # kept though its meeting left the schedule
    record.save()
    record.date = date(2026, 12, 9)
    with pytest.raises(ValidationError):
        record.full_clean()


def test_the_month_calendar_links_each_meeting_to_its_page(client, seeded, now):
    html = client.get("/calendar/2026/12/").content.decode()
    assert 'href="/groups/psg/meetings/2026-12-02/"' in html
    assert 'href="/groups/sitwg/meetings/2026-12-03/"' in html
    assert 'href="/groups/dag/meetings/' not in html  # a held slot links to its group


def test_the_group_page_lists_its_meetings_with_their_papers(client, seeded, now):
    make_policy(effective_from=date(2026, 11, 1))  # the programme office's deadlines
    record = make_record(day=date(2026, 11, 4))
    make_document(record, kind="minutes", title="Minutes")
    make_decision(day=date(2026, 11, 4), record=record)
    make_action(record, due=date(2026, 11, 20))
    html = client.get("/groups/psg/").content.decode()
    section = html.split('id="meetings-heading"', 1)[1].split("</section>", 1)[0]
    assert 'href="/groups/psg/meetings/2026-12-02/"' in section
    assert 'href="/groups/psg/meetings/2026-11-04/"' in section
    assert "Published: minutes. Overdue: agenda, papers, headline report" in section
    assert "1 decision · 1 action" in section
    assert 'href="/groups/psg/meetings/">All PSG meetings and papers' in section
    outcomes = html.split('id="outcomes-heading"', 1)[1].split("</section>", 1)[0]
    assert "PSG-2026-001" in outcomes and "PSG-2026-A001" in outcomes
    assert '<strong class="late">Open, overdue</strong>' in outcomes  # as on the meeting page
    assert json_ld(html) == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Programme Steering Group",
        "url": "http://testserver/groups/psg/",
        "alternateName": "PSG",
        # The source's own words, its misspelling marked as the source's.
        "description": group("psg").purpose.replace("Owens ", "Owens [sic] ", 1),
        "email": "PMO@mhhsprogramme.co.uk",
        "parentOrganization": {
            "@type": "Organization",
            "name": "Ofgem",
            "url": "http://testserver/groups/ofgem/",
        },
    }
    # Its address is the page's own, however the page was asked for.
    assert json_ld(client.get("/groups/psg/?from=newsletter").content.decode())["url"] == (
        "http://testserver/groups/psg/"
    )
    # A group known by its name alone has no other name.
    assert "alternateName" not in json_ld(client.get("/groups/ofgem/").content.decode())


def test_the_groups_meetings_are_paginated_newest_first(client, seeded, now):
    first = client.get("/groups/psg/meetings/").content.decode()
    # A year of PSG's two monthly series: 24 past meetings, 12 a page.
    assert "Page 1 of 2" in first
    upcoming, past = first.split('id="past-heading"', 1)
    assert 'href="/groups/psg/meetings/2026-11-26/"' in upcoming  # 11:30 today: to come
    days = re.findall(r'href="/groups/psg/meetings/(\d{4}-\d\d-\d\d)/"', past)
    assert len(days) == 12
    assert days == sorted(days, reverse=True) and days[0] == "2026-11-04"
    second = client.get("/groups/psg/meetings/?page=2").content.decode()
    assert "Page 2 of 2" in second and 'id="upcoming-heading"' not in second
    older = re.findall(r'href="/groups/psg/meetings/(\d{4}-\d\d-\d\d)/"', second)
    assert older[0] < days[-1] and older[-1] >= "2025-11-26"
    assert client.get("/groups/psg/meetings/?page=99").status_code == 200


def test_the_structured_data_cannot_close_its_script_element(client, seeded, now):
    psg = group("psg")
    psg.purpose = "</script><script>alert(1)</script> & more"
    psg.save()
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["description"] == "</script><script>alert(1)</script> & more"


def queries(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/groups/psg/meetings/2026-11-04/",
        "/groups/psg/meetings/",
        "/groups/psg/",
        "/decisions/",
        "/api/decisions/",
        "/api/actions/",
        "/decisions/PSG-2026-001/",
    ],
)
def test_record_pages_run_a_constant_number_of_queries(client, seeded, now, path):
    """With one record, document, decision, action and deadline policy, then with three of
    each (two policies), and ten times the groups: the same number of queries."""
    make_policy(effective_from=date(2026, 10, 1))
    record = make_record(day=date(2026, 11, 4))
    make_document(record)
    make_decision(day=date(2026, 11, 4), record=record)
    make_action(record)
    one = queries(client, path)
    for day in (date(2026, 10, 7), date(2026, 10, 22)):
        more = make_record(day=day)
        make_document(more)
        make_document(more, kind="minutes")
        make_decision(day=day, record=more)
        make_action(more)
        make_action(more)
    make_policy(effective_from=date(2026, 12, 1))
    add_seed_copies(9)
    assert queries(client, path) == one
    # the routes read each group's and workstream's provenance (2 queries); the seats 1
    assert one <= 28


def test_times_are_shown_in_uk_time_across_the_clock_change(client, seeded, now):
    """PSG's 1 April 2027 meeting is at 10:00 BST, 09:00 UTC."""
    html = client.get("/groups/psg/meetings/2027-04-07/").content.decode()
    assert '<time datetime="2027-04-07T10:00:00+01:00">10:00</time>' in html
    assert json_ld(html)["startDate"] == "2027-04-07T10:00:00+01:00"
