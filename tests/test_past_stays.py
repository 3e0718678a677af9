"""The past stays and every change is announced: each change made through the admin, as
the Programme office where it may and otherwise as a superuser, checked on the month pages,
the JSON, the feeds (read by two expanders), and the change log with its Atom feeds."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.http import parse_http_date
from icalendar import Calendar

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup, Mailbox
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from meetings.services import cancellation_save
from tests.conftest import LONDON
from tests.forms import form_fields

ATOM = "{http://www.w3.org/2005/Atom}"


def admin_post(client, url, **changes):
    data = {**form_fields(client.get(url).content.decode()), "_save": "Save", **changes}
    return client.post(url, data)


def series_url(group, slug="meeting"):
    series = MeetingSeries.objects.get(group__slug=group, slug=slug)
    return f"/admin/meetings/meetingseries/{series.pk}/change/"


def month_json(client, year, month, group):
    occurrences = client.get(f"/api/calendar/{year}/{month:02d}/").json()["occurrences"]
    return [(o["start"], o["end"], o["status"]) for o in occurrences if o["group"] == group]


def feed(client, path):
    cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def instants_by_recurring_ical_events(calendar, start, end):
    return sorted(
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in recurring_ical_events.of(calendar).between(start, end)
    )


def instants_by_dateutil(calendar, start, end):
    """An independent expander: each master's RRULE with dateutil, minus EXDATEs, with
    RECURRENCE-ID overrides put in place of the instances they replace."""
    found, overrides = {}, {}
    for event in calendar.walk("VEVENT"):
        first, last = event["DTSTART"].dt, event["DTEND"].dt
        if "RECURRENCE-ID" in event:
            overrides[(str(event["UID"]), event["RECURRENCE-ID"].dt)] = (first, last)
            continue
        uid = str(event["UID"])
        starts = [first]
        if "RRULE" in event:
            rule = event["RRULE"].to_ical().decode()
            starts = list(rrulestr(rule, dtstart=first).between(start, end, inc=True))
        exdates = event.get("EXDATE", [])
        exdates = exdates if isinstance(exdates, list) else [exdates]
        excluded = {d.dt for ex in exdates for d in ex.dts}
        for moment in starts:
            if moment not in excluded:
                found[(uid, moment)] = (moment, moment + (last - first))
    for key, value in overrides.items():
        found[key] = value
    return sorted(
        (s.astimezone(UTC), e.astimezone(UTC)) for s, e in found.values() if start <= s < end
    )


def expanded(calendar, start, end):
    by_library = instants_by_recurring_ical_events(calendar, start, end)
    assert by_library == instants_by_dateutil(calendar, start, end)
    return by_library


def events(calendar, uid_prefix):
    """The recurring events (not their overrides) whose UID starts with ``uid_prefix``."""
    return [
        e
        for e in calendar.walk("VEVENT")
        if str(e["UID"]).startswith(uid_prefix) and "RECURRENCE-ID" not in e
    ]


def one_offs(calendar):
    return [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("one-off-")]


def other_feeds(client):
    paths = ["/groups/dag/calendar.ics", "/groups/sitwg/calendar.ics", "/groups/glig/calendar.ics"]
    return {path: client.get(path) for path in paths}


def assert_unchanged(client, before):
    cache.clear()
    for path, old in before.items():
        again = client.get(path)
        assert again.content == old.content, path
        revalidated = client.get(path, HTTP_IF_NONE_MATCH=old["ETag"])
        assert revalidated.status_code == 304, path


def api_changes(client, **query):
    response = client.get("/api/changes/", query)
    assert response.status_code == 200
    return response.json()["changes"]


def atom_entries(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{name}").text or "").strip(), name
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert entry.find(f"{ATOM}id").text.startswith("tag:mhhsprogramme.co.uk,2026:")
    return entries


def test_a_schedule_change_keeps_past_meetings_and_is_announced(client, root, seeded, now):
    before_feeds = other_feeds(client)
    _, old_feed = feed(client, "/groups/psg/calendar.ics")
    response = admin_post(
        root, series_url("psg"), start_time="09:30", takes_effect_from="2027-01-01"
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    # Months before the date are as they were, on the page and in the JSON.
    assert month_json(client, 2025, 1, "psg")[0][:2] == (
        "2025-01-01T10:00:00+00:00",
        "2025-01-01T12:00:00+00:00",
    )
    assert month_json(client, 2026, 12, "psg")[0][0] == "2026-12-02T10:00:00+00:00"
    assert month_json(client, 2027, 1, "psg")[0][0] == "2027-01-06T09:30:00+00:00"
    page = client.get("/calendar/2026/12/").content.decode()
    assert 'datetime="2026-12-02T10:00:00+00:00"' in page

    # The feed, read by both expanders: old times before, new after.
    _, new_feed = feed(client, "/groups/psg/calendar.ics")
    start, end = datetime(2024, 12, 1, tzinfo=LONDON), datetime(2027, 4, 1, tzinfo=LONDON)
    instants = expanded(new_feed, start, end)
    assert (datetime(2026, 12, 2, 10, tzinfo=UTC), datetime(2026, 12, 2, 12, tzinfo=UTC)) in (
        instants
    )
    assert (datetime(2027, 1, 6, 9, 30, tzinfo=UTC), datetime(2027, 1, 6, 12, tzinfo=UTC)) in (
        instants
    )
    assert datetime(2027, 1, 6, 10, tzinfo=UTC) not in [s for s, _ in instants]
    old_master = events(old_feed, "psg-meeting@")[0]
    (ended,) = events(new_feed, "psg-meeting@")
    assert int(ended["SEQUENCE"]) == int(old_master["SEQUENCE"]) + 1
    assert ended["RRULE"]["UNTIL"] == [datetime(2026, 12, 31, 12, tzinfo=UTC)]
    (started,) = events(new_feed, "psg-meeting-from-20270101@")
    assert int(started["SEQUENCE"]) == 0
    # The webinar did not change: same SEQUENCE and LAST-MODIFIED.
    (webinar_before,) = events(old_feed, "psg-pre-meeting-webinar@")
    (webinar_after,) = events(new_feed, "psg-pre-meeting-webinar@")
    assert webinar_after["SEQUENCE"] == webinar_before["SEQUENCE"]
    assert webinar_after["LAST-MODIFIED"].dt == webinar_before["LAST-MODIFIED"].dt
    assert_unchanged(client, before_feeds)

    # The change log, its JSON and its Atom feeds carry it.
    (entry,) = api_changes(client, group="psg")
    assert entry["kind"] == "schedule_changed"
    assert entry["before"] == "1st Wednesday of each month, 10:00 to 12:00"
    assert entry["after"] == "1st Wednesday of each month, 09:30 to 12:00"
    assert "from 1 January 2027" in entry["summary"]
    assert entry["url"] == "http://testserver/groups/psg/"
    assert entry["summary"] in client.get("/changes/").content.decode()
    assert entry["summary"] in client.get("/groups/psg/").content.decode()
    for path in (
        "/changes.atom",
        "/groups/psg/changes.atom",
        "/workstreams/programme/changes.atom",
    ):
        (atom,) = atom_entries(client, path)
        assert atom.find(f"{ATOM}title").text == entry["summary"]
        assert atom.find(f"{ATOM}category").get("term") == "PSG"
    assert atom_entries(client, "/groups/dag/changes.atom") == []
    assert atom_entries(client, "/workstreams/test/changes.atom") == []


def test_a_group_set_to_ad_hoc_keeps_last_months_meetings(client, office, seeded, now):
    before_feeds = {p: r for p, r in other_feeds(client).items() if "sitwg" not in p}
    _, old_feed = feed(client, "/groups/sitwg/calendar.ics")
    row = {"sitwg": ("ad_hoc", "Paused")}
    from tests.admin.test_admin import changelist_post

    assert changelist_post(office, row).status_code == 302
    assert month_json(client, 2026, 10, "sitwg"), "last month's meeting stays"
    assert month_json(client, 2026, 12, "sitwg") == []
    _, new_feed = feed(client, "/groups/sitwg/calendar.ics")
    (master,) = events(new_feed, "sitwg-meeting@")
    assert master["RRULE"]["UNTIL"][0].date() == date(2026, 11, 25)
    assert int(master["SEQUENCE"]) == int(events(old_feed, "sitwg-meeting@")[0]["SEQUENCE"]) + 1
    instants = expanded(
        new_feed, datetime(2026, 9, 1, tzinfo=LONDON), datetime(2027, 3, 1, tzinfo=LONDON)
    )
    assert [s.month for s, _ in instants] == [9, 10, 11]
    assert_unchanged(client, before_feeds)
    (entry,) = api_changes(client, group="sitwg")
    assert entry["kind"] == "status_changed"
    assert entry["before"] == "Mobilised"
    assert entry["after"] == "Available for any ad hoc meetings: Paused"

    # Mobilised again from 1 February 2027: a new event; January stays empty.
    url = f"/admin/groups/governancegroup/{GovernanceGroup.objects.get(slug='sitwg').pk}/change/"
    response = admin_post(
        office,
        url,
        status="mobilised",
        status_note="Meeting monthly again",
        status_effective_from="2027-02-01",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert month_json(client, 2027, 1, "sitwg") == []
    assert month_json(client, 2027, 2, "sitwg")
    assert month_json(client, 2026, 10, "sitwg")
    _, again = feed(client, "/groups/sitwg/calendar.ics")
    assert len(events(again, "sitwg-meeting")) == 2
    instants = expanded(
        again, datetime(2026, 9, 1, tzinfo=LONDON), datetime(2027, 4, 1, tzinfo=LONDON)
    )
    assert [(s.year, s.month) for s, _ in instants] == [
        (2026, 9),
        (2026, 10),
        (2026, 11),
        (2027, 2),
        (2027, 3),
    ]
    assert "from 1 February 2027" in api_changes(client, group="sitwg")[-1]["summary"]


def test_a_status_change_dated_in_the_past_is_refused_and_the_past_stays(client, office, seeded):
    """GLIG set to "May be mobilised" from six months ago: refused, nothing written, and
    its past meetings stay in the calendar and its feed."""
    months = [(2026, 6), (2026, 9), (2026, 10)]
    before = {month: month_json(client, *month, "glig") for month in months}
    old_feed, _ = feed(client, "/groups/glig/calendar.ics")
    url = f"/admin/groups/governancegroup/{GovernanceGroup.objects.get(slug='glig').pk}/change/"
    response = admin_post(
        office,
        url,
        status="may_be_mobilised",
        status_note="Paused",
        status_effective_from="2026-05-26",
    )
    assert response.status_code == 200
    assert "26 May 2026 is in the past" in response.content.decode()
    assert all(before.values()), "GLIG met in those months"
    assert {month: month_json(client, *month, "glig") for month in months} == before
    assert feed(client, "/groups/glig/calendar.ics")[0].content == old_feed.content
    assert not ChangeEntry.objects.exists()


def test_cancelling_and_reinstating_raise_sequence_and_last_modified(client, office, now):
    sitag = MeetingSeries.objects.get(group__slug="sitag")
    response, before = feed(client, "/groups/sitag/calendar.ics")
    first_modified = parse_http_date(response["Last-Modified"])
    added = office.post(
        "/admin/meetings/cancellation/add/",
        {
            **form_fields(office.get("/admin/meetings/cancellation/add/").content.decode()),
            "series": sitag.pk,
            "date": "2027-01-20",
            "note": "Holiday",
            "_save": "Save",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    response, cancelled = feed(client, "/groups/sitag/calendar.ics")
    (master,) = cancelled.walk("VEVENT")
    assert "EXDATE;TZID=Europe/London:20270120T100000" in response.content.decode()
    assert int(master["SEQUENCE"]) == int(before.walk("VEVENT")[0]["SEQUENCE"]) + 1
    cancelled_modified = parse_http_date(response["Last-Modified"])
    assert cancelled_modified > first_modified

    cancellation = Cancellation.objects.get()
    deleted = office.post(
        f"/admin/meetings/cancellation/{cancellation.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    response, reinstated = feed(client, "/groups/sitag/calendar.ics")
    assert "EXDATE" not in response.content.decode()
    assert int(reinstated.walk("VEVENT")[0]["SEQUENCE"]) == int(master["SEQUENCE"]) + 1
    # Deleting the cancellation moved Last-Modified on, never back (same pinned second).
    assert parse_http_date(response["Last-Modified"]) > cancelled_modified
    kinds = [c["kind"] for c in api_changes(client, group="sitag")]
    assert kinds == ["meeting_cancelled", "cancellation_withdrawn"]


def test_a_cancelled_meeting_cannot_also_be_moved(office, seeded):
    mwg = MeetingSeries.objects.get(group__slug="mwg")
    Cancellation.objects.create(series=mwg, date=date(2027, 1, 14))
    page = "/admin/meetings/move/add/"
    response = office.post(
        page,
        {
            **form_fields(office.get(page).content.decode()),
            "series": mwg.pk,
            "original_date": "2027-01-14",
            "start_0": "2027-01-15",
            "start_1": "14:00",
            "end_0": "2027-01-15",
            "end_1": "16:00",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "is cancelled; withdraw the cancellation first" in response.content.decode()
    assert not Move.objects.exists()
    Cancellation.objects.all().delete()
    start = datetime(2027, 1, 15, 14, tzinfo=LONDON)
    Move.objects.create(
        series=mwg, original_date=date(2027, 1, 14), start=start, end=start + timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="has been moved"):
        Cancellation(series=mwg, date=date(2027, 1, 14)).full_clean()


def test_one_off_meetings_are_announced_and_carry_their_note(client, office, seeded, now):
    dag = GovernanceGroup.objects.get(slug="dag")
    page = "/admin/meetings/oneoffmeeting/add/"
    response = office.post(
        page,
        {
            **form_fields(office.get(page).content.decode()),
            "group": dag.pk,
            "title": "DAG ad hoc meeting",
            "start_0": "2027-07-14",
            "start_1": "10:00",
            "end_0": "2027-07-14",
            "end_1": "12:00",
            "note": "Papers by email, dial-in only",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = OneOffMeeting.objects.get()
    _, calendar = feed(client, "/groups/dag/calendar.ics")
    (event,) = one_offs(calendar)
    assert str(event["DESCRIPTION"]).startswith("Papers by email, dial-in only")
    assert int(event["SEQUENCE"]) == 0
    url = f"/admin/meetings/oneoffmeeting/{meeting.pk}/change/"
    assert admin_post(office, url, start_1="11:00").status_code == 302
    _, calendar = feed(client, "/groups/dag/calendar.ics")
    assert int(one_offs(calendar)[0]["SEQUENCE"]) == 1
    response, _ = feed(client, "/groups/dag/calendar.ics")
    modified = parse_http_date(response["Last-Modified"])
    assert office.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 302
    response, calendar = feed(client, "/groups/dag/calendar.ics")
    assert one_offs(calendar) == []
    assert parse_http_date(response["Last-Modified"]) > modified
    kinds = [c["kind"] for c in api_changes(client, group="dag")]
    assert kinds == ["one_off_added", "one_off_changed", "one_off_removed"]


def test_a_mailbox_change_and_a_new_group_are_announced(client, root, seeded, now):
    pmo = Mailbox.objects.get(slug="pmo")
    url = f"/admin/groups/mailbox/{pmo.pk}/change/"
    assert admin_post(root, url, address="pmo-new@mhhsprogramme.co.uk").status_code == 302
    (entry,) = api_changes(client)
    assert entry["kind"] == "mailbox_changed" and entry["group"] is None
    assert entry["after"].startswith("pmo-new@mhhsprogramme.co.uk")
    _, calendar = feed(client, "/groups/psg/calendar.ics")
    assert "mailto:pmo-new@mhhsprogramme.co.uk" in str(calendar.walk("VEVENT")[0]["ORGANIZER"])


def test_loading_the_seed_is_not_a_change(seeded):
    assert not ChangeEntry.objects.exists()


def test_feed_headers_names_and_organizer(client, seeded):
    response = client.get("/calendar.ics?groups=sitwg,psg,psg,PSG")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert "\r\nNAME:MHHS meetings: PSG\\, SITWG\r\n" in text
    assert "\r\nX-WR-CALNAME:MHHS meetings: PSG\\, SITWG\r\n" in text
    assert 'ORGANIZER;CN="MHHS PMO":mailto:PMO@mhhsprogramme.co.uk' in text
    same = client.get("/calendar.ics?groups=psg,sitwg")
    assert same.content == response.content and same["ETag"] == response["ETag"]
    cache.clear()
    revalidated = client.get("/calendar.ics?groups=psg,sitwg", HTTP_IF_NONE_MATCH=same["ETag"])
    assert revalidated.status_code == 304
    for header in ("ETag", "Last-Modified", "Cache-Control"):
        assert revalidated[header] == response[header], header
    # Answered from the page cache too.
    cached = client.get("/calendar.ics?groups=psg,sitwg", HTTP_IF_NONE_MATCH=same["ETag"])
    assert cached.status_code == 304
    assert cached["Last-Modified"] == response["Last-Modified"]
    assert cached["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("query", ["groups=,,,", "groups=", "groups=%20,%20"])
def test_an_empty_list_of_groups_is_a_400(client, seeded, query):
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400
    assert b"Give at least one group slug" in response.content


def test_a_fifth_weekday_is_refused_in_favour_of_last(seeded):
    series = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    series.ordinal = 5
    with pytest.raises(ValidationError, match="ordinal"):
        series.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeries.objects.filter(pk=series.pk).update(ordinal=5)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("group=nope", "group"),
        ("workstream=nowhere", "workstream"),
        ("since=2026-13-01T00:00:00", "since"),
    ],
)
def test_bad_change_queries_get_400_with_the_reason(client, seeded, query, field):
    response = client.get(f"/api/changes/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert client.get(f"/changes/?{query.replace('since', 'group')}").status_code == 400


def test_changes_since_a_time_oldest_first(client, seeded, monkeypatch):
    from core import clock

    sitag = MeetingSeries.objects.get(group__slug="sitag")
    for day, moment in [(20, datetime(2026, 11, 1, 9, tzinfo=UTC)), (17, None)]:
        if moment:
            monkeypatch.setattr(clock, "now", lambda m=moment: m)
        else:
            monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 20, 9, tzinfo=UTC))
        cancelled = Cancellation(series=sitag, date=date(2027, 2 if day == 17 else 1, day))
        cancellation_save(cancellation=cancelled, by=None)
    every = api_changes(client)
    assert [c["at"] for c in every] == sorted(c["at"] for c in every)
    later = api_changes(client, since="2026-11-10T00:00:00+00:00")
    assert [c["summary"] for c in later] == [every[1]["summary"]]
    assert set(later[0]) == {
        *("id", "at", "recorded_at", "visible_at", "kind", "group"),
        *("summary", "before", "after", "url"),
    }
    assert api_changes(client, workstream="design") == []
    assert len(api_changes(client, workstream="test")) == 2
