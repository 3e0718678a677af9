"""The feeds' last change semantics, read back with icalendar: a save that changes nothing
changes no feed byte nor ETag; any change to an event's exceptions raises its SEQUENCE and
LAST-MODIFIED; a flagged bank holiday's override is as new as its master."""

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from core import clock
from groups.models import GovernanceGroup
from meetings.models import Cancellation, MeetingSeries, OneOffMeeting
from meetings.recurrence import series_dates
from meetings.services import cancellation_save, one_off_save
from tests.conftest import LONDON, PINNED_NOW
from tests.forms import form_fields

FEEDS = ["/calendar.ics", "/groups/mwg/calendar.ics", "/groups/dag/calendar.ics"]
SLOT_UID = "dag-meeting-slot@mhhs-governance-directory"


def admin_form(client, url) -> dict:
    return {**form_fields(client.get(url).content.decode()), "_save": "Save"}


def feeds(client) -> dict[str, tuple[bytes, str]]:
    found = {}
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200
        found[url] = (response.content, response["ETag"])
    return found


def later(monkeypatch, minutes):
    """The clock moved on, so that a save that wrote anything would show it."""
    moment = PINNED_NOW + timedelta(minutes=minutes)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def mwg_cancelled(seeded, now):
    series = MeetingSeries.objects.get(group__slug="mwg")
    return cancellation_save(
        cancellation=Cancellation(series=series, date=date(2027, 1, 14), note="Holiday"), by=None
    )


def test_saving_unchanged_forms_changes_no_feed_byte(
    client, office, root, mwg_cancelled, monkeypatch
):
    mwg = GovernanceGroup.objects.get(slug="mwg")
    series = MeetingSeries.objects.get(group__slug="mwg")
    before = feeds(client)
    versions = (mwg.version, series.version, mwg_cancelled.version)
    later(monkeypatch, 30)
    for client_, url in [
        (root, f"/admin/meetings/meetingseries/{series.pk}/change/"),
        (office, f"/admin/meetings/cancellation/{mwg_cancelled.pk}/change/"),
        (root, f"/admin/groups/governancegroup/{mwg.pk}/change/"),
    ]:
        response = client_.post(url, admin_form(client_, url))
        assert response.status_code == 302, url
    assert feeds(client) == before
    for url, (_, etag) in before.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    mwg.refresh_from_db()
    series.refresh_from_db()
    mwg_cancelled.refresh_from_db()
    assert (mwg.version, series.version, mwg_cancelled.version) == versions


def test_a_real_change_does_change_the_feed(client, office, mwg_cancelled, monkeypatch):
    """The other side of the no-op: the same form with the note changed."""
    before = feeds(client)
    later(monkeypatch, 30)
    url = f"/admin/meetings/cancellation/{mwg_cancelled.pk}/change/"
    assert office.post(url, {**admin_form(office, url), "date": "2027-02-11"}).status_code == 302
    after = feeds(client)
    assert after["/groups/mwg/calendar.ics"] != before["/groups/mwg/calendar.ics"]
    assert after["/groups/dag/calendar.ics"] == before["/groups/dag/calendar.ics"]


def slot(client):
    calendar = Calendar.from_ical(client.get("/groups/dag/calendar.ics").content)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == SLOT_UID]
    found = event.get("EXDATE", [])
    exdates = [d.dt for line in (found if isinstance(found, list) else [found]) for d in line.dts]
    return int(event["SEQUENCE"]), event.decoded("LAST-MODIFIED"), exdates


@pytest.fixture
def dag_slot(seeded):
    series = MeetingSeries.objects.get(group__slug="dag", slug="meeting")
    assert series.held_slot
    series.cancellations.all().delete()
    return series


def test_a_meeting_called_in_a_held_slot_raises_the_slots_sequence(
    client, office, dag_slot, now, monkeypatch
):
    """DAG's meeting called for Wednesday 13 January 2027, a date of its held slot: the
    slot's event gains an EXDATE, so its SEQUENCE and LAST-MODIFIED rise; removing the
    meeting again takes the EXDATE away and raises them again (never back)."""
    called = datetime(2027, 1, 13, 10, tzinfo=LONDON)
    sequence, modified, exdates = slot(client)
    assert called not in exdates
    moment = later(monkeypatch, 30)
    response = office.post(
        "/admin/meetings/oneoffmeeting/add/",
        {
            "group": dag_slot.group_id,
            "title": "DAG called meeting",
            "start_0": "2027-01-13",
            "start_1": "10:00",
            "end_0": "2027-01-13",
            "end_1": "12:00",
        },
    )
    assert response.status_code == 302
    placed_sequence, placed_modified, exdates = slot(client)
    assert called in exdates
    assert placed_sequence > sequence
    assert placed_modified > modified and placed_modified == moment.replace(microsecond=0)
    later(monkeypatch, 60)
    meeting = OneOffMeeting.objects.get(group=dag_slot.group)
    delete = f"/admin/meetings/oneoffmeeting/{meeting.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 302
    removed_sequence, removed_modified, exdates = slot(client)
    assert called not in exdates
    assert removed_sequence > placed_sequence and removed_modified > placed_modified


def test_a_one_off_on_another_group_leaves_the_slot_alone(client, dag_slot, now, monkeypatch):
    before = slot(client)
    later(monkeypatch, 30)
    one_off_save(
        meeting=OneOffMeeting(
            group=GovernanceGroup.objects.get(slug="psg"),
            start=datetime(2027, 1, 13, 10, tzinfo=LONDON),
            end=datetime(2027, 1, 13, 12, tzinfo=LONDON),
        ),
        by=None,
    )
    assert slot(client) == before


def test_a_bank_holiday_override_rises_only_with_its_master(client, seeded, now, monkeypatch):
    """PSG's webinar on Christmas Day 2025 is flagged by an override as new as its master:
    a cancellation of another date raises both alike, never the override alone."""
    webinar = MeetingSeries.objects.get(group__slug="psg", slug="pre-meeting-webinar")

    def events():
        calendar = Calendar.from_ical(client.get("/groups/psg/calendar.ics").content)
        found = [e for e in calendar.walk("VEVENT") if "webinar" in str(e["UID"])]
        (master,) = [e for e in found if "RRULE" in e]
        flagged = [e for e in found if "RECURRENCE-ID" in e and "Bank holiday" in e["DESCRIPTION"]]
        assert flagged, "a bank holiday is flagged"
        return int(master["SEQUENCE"]), {int(e["SEQUENCE"]) for e in flagged}

    master, flagged = events()
    assert flagged == {master}
    later(monkeypatch, 30)
    day = next(d for d in _webinar_days(webinar) if d > date(2026, 12, 1))
    cancellation_save(cancellation=Cancellation(series=webinar, date=day), by=None)
    raised, flagged = events()
    assert raised == master + 1 and flagged == {raised}


def _webinar_days(series):
    return series_dates(series, date(2026, 12, 1), date(2027, 6, 30))
