"""Feeds read back with a parser and expanded by an independent implementation."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from django.core.cache import cache
from icalendar import Calendar

from core import clock
from groups.models import GovernanceGroup
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from tests.conftest import LONDON, PINNED_NOW
from tests.tools import event_group

FEEDS = [
    "/calendar.ics",
    "/calendar.ics?groups=psg,sitwg",
    "/groups/psg/calendar.ics",
    "/groups/glig/calendar.ics",
    "/groups/dag/calendar.ics",
    "/workstreams/migration/calendar.ics",
    "/workstreams/test/calendar.ics",
]


@pytest.fixture
def changed_meetings(seeded):
    """SITAG's 20 January 2027 meeting cancelled; MWG's 11 March 2027 moved to 31 March."""
    sitag = MeetingSeries.objects.get(group__slug="sitag")
    Cancellation.objects.create(series=sitag, date=date(2027, 1, 20))
    mwg = MeetingSeries.objects.get(group__slug="mwg")
    Move.objects.create(
        series=mwg,
        original_date=date(2027, 3, 11),
        note="Room clash",
        start=datetime(2027, 3, 31, 9, tzinfo=LONDON),
        end=datetime(2027, 3, 31, 11, tzinfo=LONDON),
    )


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def months(start: date, count: int):
    year, month = start.year, start.month
    for _ in range(count):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def api_instants(client, slugs=None, workstream=None, count=24, status="confirmed"):
    found = set()
    for year, month in months(date(2026, 12, 1), count):
        query = f"?workstream={workstream}" if workstream else ""
        for o in client.get(f"/api/calendar/{year}/{month:02d}/{query}").json()["occurrences"]:
            if o["status"] == status and (slugs is None or o["group"] in slugs):
                found.add(
                    (
                        o["group"],
                        datetime.fromisoformat(o["start"]).astimezone(UTC),
                        datetime.fromisoformat(o["end"]).astimezone(UTC),
                    )
                )
    return found


def feed_instants(calendar, count=24, tentative=False):
    start = datetime(2026, 12, 1, tzinfo=LONDON)
    end = datetime(
        *next(iter([(y, m) for y, m in months(date(2026, 12, 1), count + 1)][-1:])),
        1,
        tzinfo=LONDON,
    )
    found = set()
    for event in recurring_ical_events.of(calendar).between(start, end):
        if (str(event.get("STATUS", "")) == "TENTATIVE") != tentative:
            continue
        slug = event_group(event)
        found.add((slug, event["DTSTART"].dt.astimezone(UTC), event["DTEND"].dt.astimezone(UTC)))
    return found


def feed_scope(path):
    if "groups=" in path:
        return {"psg", "sitwg"}, None
    if path.startswith("/groups/"):
        return {path.split("/")[2]}, None
    if path.startswith("/workstreams/"):
        return None, path.split("/")[2]
    return None, None


@pytest.mark.parametrize("path", FEEDS)
def test_feed_matches_the_calendar_api_over_24_months(client, seeded, path):
    slugs, workstream = feed_scope(path)
    expected = api_instants(client, slugs=slugs, workstream=workstream)
    calendar = parse(client.get(path))
    assert feed_instants(calendar) == expected
    held = api_instants(client, slugs=slugs, workstream=workstream, status="tentative")
    assert feed_instants(calendar, tentative=True) == held
    if path == "/groups/glig/calendar.ics":  # every GLIG date rests on an inferred anchor
        assert held and not expected, "GLIG's meetings are tentative, in the feed and the API"
    elif path != "/groups/dag/calendar.ics":
        assert expected, "the comparison must not be vacuous"


def test_changes_reach_feed_and_api_alike(client, seeded, changed_meetings):
    dag = GovernanceGroup.objects.get(slug="dag")
    OneOffMeeting.objects.create(
        group=dag,
        start=datetime(2027, 6, 30, 13, tzinfo=LONDON),
        end=datetime(2027, 6, 30, 15, tzinfo=LONDON),
    )
    calendar = parse(client.get("/calendar.ics"))
    assert feed_instants(calendar) == api_instants(client)
    instants = feed_instants(calendar)
    assert (
        "sitag",
        datetime(2027, 1, 20, 10, tzinfo=UTC),
        datetime(2027, 1, 20, 12, tzinfo=UTC),
    ) not in instants
    assert (
        "mwg",
        datetime(2027, 3, 31, 8, tzinfo=UTC),
        datetime(2027, 3, 31, 10, tzinfo=UTC),
    ) in instants
    assert (
        "dag",
        datetime(2027, 6, 30, 12, tzinfo=UTC),
        datetime(2027, 6, 30, 14, tzinfo=UTC),
    ) in instants
    cancelled = client.get("/api/calendar/2027/01/").json()["occurrences"]
    assert {
        "group": "sitag",
        "title": "Systems Integration and Testing Advisory Group (SITAG)",
        "start": "2027-01-20T10:00:00+00:00",
        "end": "2027-01-20T12:00:00+00:00",
        "status": "cancelled",
        "bank_holiday": None,
        "note": None,
    } in cancelled


def test_feed_structure(client, seeded, changed_meetings):
    text = client.get("/calendar.ics").content.decode()
    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == calendar["NAME"] == "MHHS governance meetings"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT4H" in text
    assert "X-PUBLISHED-TTL:PT4H" in text
    assert "DTSTART;TZID=Europe/London:" in text
    assert "EXDATE;TZID=Europe/London:20270120T100000" in text
    assert "RECURRENCE-ID;TZID=Europe/London:20270311T140000" in text
    for line in text.splitlines():
        if line.startswith("RRULE:FREQ=MONTHLY"):
            assert line.count(",") == 0, "one ordinal per rule: Outlook refuses lists"
    events = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    assert len(set(str(e["UID"]) for e in masters)) == len(masters)
    # The moved meeting's override outranks its master; a flagged bank holiday equals it.
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    (override,) = [e for e in overrides if e.decoded("RECURRENCE-ID").date() == date(2027, 3, 11)]
    master = next(e for e in masters if e["UID"] == override["UID"])
    assert int(override["SEQUENCE"]) > int(master["SEQUENCE"])
    for flagged in [e for e in overrides if "Bank holiday" in str(e["DESCRIPTION"])]:
        master = next(e for e in masters if e["UID"] == flagged["UID"])
        assert int(flagged["SEQUENCE"]) == int(master["SEQUENCE"])
    psg = next(e for e in masters if str(e["UID"]) == "psg-meeting@mhhs-governance-directory")
    assert str(psg["SUMMARY"]) == "PSG: Programme Steering Group"
    assert "Attendance: Closed." in str(psg["DESCRIPTION"])
    assert "papers and details: http://testserver/groups/psg/meetings/" in str(psg["DESCRIPTION"])
    assert str(psg["URL"]) == "http://testserver/groups/psg/meetings/"
    assert psg["CATEGORIES"].cats == ["Programme"]
    assert "dag-meeting@mhhs-governance-directory" not in uids  # DAG is ad hoc: no rule
    assert len(calendar.walk("VTIMEZONE")) == 1


def _transitions(vtimezone, start_year, end_year):
    """Expand the VTIMEZONE's observances ourselves: (utc instant, offset) pairs."""
    found = []
    for observance in vtimezone.subcomponents:
        local_start = observance["DTSTART"].dt
        offset_from = observance["TZOFFSETFROM"].td
        offset_to = observance["TZOFFSETTO"].td
        rule = rrulestr(observance["RRULE"].to_ical().decode(), dtstart=local_start)
        for local in rule.between(datetime(start_year, 1, 1), datetime(end_year + 1, 1, 1)):  # noqa: DTZ001
            found.append(((local - offset_from).replace(tzinfo=UTC), offset_to))
    return sorted(found)


def test_vtimezone_rule_form_agrees_with_zoneinfo_hourly_for_ten_years(client, seeded):
    calendar = parse(client.get("/groups/psg/calendar.ics"))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/London"
    assert [c.name for c in vtimezone.subcomponents] == ["DAYLIGHT", "STANDARD"]
    assert all("RDATE" not in c for c in vtimezone.subcomponents)
    transitions = _transitions(vtimezone, 2025, 2036)
    assert len(transitions) == 24
    london = ZoneInfo("Europe/London")
    moment, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2036, 1, 1, tzinfo=UTC)
    index, offset, checked = 0, timedelta(0), 0
    while moment < end:
        while index < len(transitions) and transitions[index][0] <= moment:
            offset = transitions[index][1]
            index += 1
        assert offset == moment.astimezone(london).utcoffset(), moment
        moment += timedelta(hours=1)
        checked += 1
    assert checked == 87648


def test_conditional_get_and_stable_bytes(client, seeded):
    first = client.get("/calendar.ics")
    second = client.get("/calendar.ics")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"]
    not_modified = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_etag_changes_after_a_status_edit(client, seeded):
    before = client.get("/groups/dag/calendar.ics")
    dag = GovernanceGroup.objects.get(slug="dag")
    dag.status = "mobilised"
    dag.save()
    after = client.get("/groups/dag/calendar.ics", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "dag-meeting@mhhs-governance-directory" in after.content.decode()
    assert "dag-meeting@mhhs-governance-directory" not in before.content.decode()


def test_dtstamp_comes_from_the_data_not_the_clock(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW)
    first = client.get("/groups/psg/calendar.ics").content
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW + timedelta(days=3))
    cache.clear()
    assert client.get("/groups/psg/calendar.ics").content == first
    for event in Calendar.from_ical(first).walk("VEVENT"):
        assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt


@pytest.mark.parametrize(
    "query", ["groups=nope", "groups=psg,nope", "groups=psg&groups=dag", "groups=" + "a," * 400]
)
def test_bad_feed_requests_get_400(client, seeded, query):
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400
    assert response.content.startswith(b"Bad feed request:")


def test_unknown_feeds_get_404(client, seeded):
    assert client.get("/groups/nope/calendar.ics").status_code == 404
    assert client.get("/workstreams/nope/calendar.ics").status_code == 404
