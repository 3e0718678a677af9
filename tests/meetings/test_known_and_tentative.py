"""Only what is known: no meeting before a series' known-from date; dates that rest on an
inference (GLIG's Fridays) tentative with the reason until the programme office confirms
the first date; DAG's held slot with the source's own disagreement; the PSG webinar's
attendance not stated; the week table's own names flagged on the pattern page.

Read as a user reads them: the JSON, the month page, the meeting and group pages, the
feeds (expanded by recurring-ical-events), the admin and the change log."""

from datetime import date, datetime

import recurring_ical_events
from django.core.cache import cache
from icalendar import Calendar

from changelog.models import ChangeEntry
from groups.models import SourceNote
from meetings.models import MeetingSeries
from tests.conftest import LONDON
from tests.forms import form_fields

INFERRED_LEAD = "Not stated in the source: we assume"
KNOWN_FROM = date(2024, 4, 1)


def api(client, year, month):
    cache.clear()
    response = client.get(f"/api/calendar/{year}/{month:02d}/")
    assert response.status_code == 200
    return response.json()["occurrences"]


def feed(client, path):
    cache.clear()
    response = client.get(path)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def masters(calendar):
    return [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]


def series_url(group, slug="meeting"):
    series = MeetingSeries.objects.get(group__slug=group, slug=slug)
    return f"/admin/meetings/meetingseries/{series.pk}/change/"


def admin_post(client, url, **changes):
    data = {**form_fields(client.get(url).content.decode()), "_save": "Save", **changes}
    return client.post(url, data)


def test_nothing_before_the_known_from_date_anywhere(client, seeded):
    """SITAG, QAG and MCAG replaced TMAG "in Q1 2024": none of them, nor any series, has a
    meeting before 1 April 2024, in the JSON, on the month page or in the feed."""
    for month in (1, 2, 3):
        assert api(client, 2024, month) == []
        page = client.get(f"/calendar/2024/{month:02d}/").content.decode()
        assert 'class="day-meetings"' not in page
    april = api(client, 2024, 4)
    assert {o["group"] for o in april} >= {"psg", "sitag", "qag", "mcag", "cdwg"}
    assert min(o["start"] for o in april) >= "2024-04-01"
    assert next(o["start"] for o in april if o["group"] == "sitag") == ("2024-04-17T10:00:00+01:00")
    calendar = feed(client, "/calendar.ics")
    early = recurring_ical_events.of(calendar).between(
        datetime(2023, 1, 1, tzinfo=LONDON), datetime(2024, 4, 1, tzinfo=LONDON)
    )
    assert list(early) == []
    # Each recurring event starts at its series' first meeting on or after that date.
    firsts = {str(e["UID"]): e["DTSTART"].dt for e in masters(calendar) if "RRULE" in e}
    assert firsts["sitag-meeting@mhhs-governance-directory"] == datetime(
        2024, 4, 17, 10, tzinfo=LONDON
    )
    assert firsts["psg-meeting@mhhs-governance-directory"] == datetime(
        2024, 4, 3, 10, tzinfo=LONDON
    )
    assert min(d.date() for d in firsts.values()) >= KNOWN_FROM


def test_the_known_from_date_is_marked_inferred_on_the_group_page(client, seeded):
    html = client.get("/groups/sitag/").content.decode()
    assert (
        f"{INFERRED_LEAD} meetings from 1 April 2024 because the source is undated and its "
        "latest dated statement is “Q1 2024”; no earlier date is shown." in html
    )
    assert "q1 2024" not in html.replace("Q1 2024", "")


def test_every_occurrence_has_a_note_glig_tentative_with_the_reason(client, seeded):
    january = api(client, 2027, 1)
    assert all("note" in o for o in january)
    glig = [o for o in january if o["group"] == "glig"]
    assert [o["start"][:10] for o in glig] == ["2027-01-01", "2027-01-15", "2027-01-29"]
    assert {o["status"] for o in glig} == {"tentative"}
    (note,) = {o["note"] for o in glig}
    assert note.startswith(INFERRED_LEAD) and "“Fortnightly each Friday”" in note
    confirmed = [o for o in january if o["status"] == "confirmed"]
    assert confirmed and {o["note"] for o in confirmed} == {None}


def test_dag_slot_carries_the_sources_disagreement_everywhere(client, seeded):
    (slot,) = [o for o in api(client, 2027, 1) if o["group"] == "dag"]
    assert slot["status"] == "tentative"
    assert "“To Q1 2024”" in slot["note"]
    assert "“meeting slot available for ad hoc meetings”" in slot["note"]
    page = client.get("/calendar/2027/01/").content.decode()
    assert 'id="note-dag-meeting"' in page and "“To Q1 2024”" in page
    (event,) = masters(feed(client, "/groups/dag/calendar.ics"))
    assert event["STATUS"] == "TENTATIVE"
    assert "“To Q1 2024”" in str(event["DESCRIPTION"])
    assert "“To Q1 2024”" in client.get("/groups/dag/").content.decode()
    note = SourceNote.objects.get(slug="dag-slot-timeframe")
    assert note.kind == "difference" and note.primary_statement == "To Q1 2024"
    quality = client.get("/data-quality/").content.decode()
    assert "dag-slot-timeframe" in quality


def test_glig_is_tentative_on_the_month_meeting_and_group_pages_and_in_its_feed(client, seeded):
    page = client.get("/calendar/2027/01/").content.decode()
    assert page.count("Tentative date</em>") == 3  # GLIG's three Fridays
    assert 'href="#note-glig-meeting"' in page and 'id="note-glig-meeting"' in page
    meeting = client.get("/groups/glig/meetings/2027-01-15/")
    assert meeting.status_code == 200
    html = meeting.content.decode()
    assert "Tentative date</strong>" in html and INFERRED_LEAD in html
    group_page = client.get("/groups/glig/").content.decode()
    assert "Tentative dates." in group_page and "(tentative date)" in group_page
    (event,) = masters(feed(client, "/groups/glig/calendar.ics"))
    assert event["STATUS"] == "TENTATIVE"
    assert str(event["DESCRIPTION"]).startswith(INFERRED_LEAD)
    instances = recurring_ical_events.of(feed(client, "/groups/glig/calendar.ics")).between(
        datetime(2027, 1, 1, tzinfo=LONDON), datetime(2027, 2, 1, tzinfo=LONDON)
    )
    assert [str(e["STATUS"]) for e in instances] == ["TENTATIVE"] * 3


def test_the_programme_office_confirms_glig_first_date_a_logged_correction(client, office, seeded):
    refused = admin_post(office, series_url("glig"), confirm_first_date="2026-01-07")
    assert refused.status_code == 200
    assert "Wednesday 7 January 2026 is not a date of" in refused.content.decode()
    assert not ChangeEntry.objects.exists()
    (before,) = masters(feed(client, "/groups/glig/calendar.ics"))

    response = admin_post(office, series_url("glig"), confirm_first_date="2026-01-09")
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = ChangeEntry.objects.all()
    assert entry.kind == "schedule_changed" and entry.subject == "series:glig/meeting"
    assert "a correction of the record" in entry.summary
    assert entry.before.startswith(f"Tentative: {INFERRED_LEAD}")
    glig = [o for o in api(client, 2027, 1) if o["group"] == "glig"]
    assert [(o["start"][:10], o["status"], o["note"]) for o in glig] == [
        ("2027-01-08", "confirmed", None),
        ("2027-01-22", "confirmed", None),
    ]
    (after,) = masters(feed(client, "/groups/glig/calendar.ics"))
    assert "STATUS" not in after and after["TRANSP"] == "OPAQUE"
    assert after["DTSTART"].dt == datetime(2026, 1, 9, 13, tzinfo=LONDON)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    group_page = client.get("/groups/glig/").content.decode()
    assert "First meeting date set by the programme office on 26 November 2026." in group_page
    assert "Meetings listed from 9 January 2026: set by the programme office on 26 November " in (
        group_page
    )
    assert "Tentative dates." not in group_page


def test_the_programme_office_sets_a_known_from_date_no_longer_inferred(
    client, office, root, seeded
):
    response = admin_post(office, series_url("sitag"), known_from="2024-03-01")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [o["start"][:10] for o in api(client, 2024, 3) if o["group"] == "sitag"] == [
        "2024-03-20"
    ]
    assert api(client, 2024, 2) == []
    html = client.get("/groups/sitag/").content.decode()
    assert (
        "Meetings listed from 1 March 2024: set by the programme office on 26 November 2026."
        in html
    )
    (entry,) = ChangeEntry.objects.all()
    assert entry.subject == "series:sitag/meeting" and entry.reschedules
    assert entry.before.startswith(INFERRED_LEAD)
    # The programme office corrects the dates only; the rule stays as it was.
    assert "start_time" not in form_fields(office.get(series_url("qag")).content.decode())
    # An administrator may change both, one at a time.
    mixed = admin_post(root, series_url("qag"), known_from="2024-03-01", start_time="09:00")
    assert mixed.status_code == 200
    assert "on its own" in mixed.content.decode()
    assert ChangeEntry.objects.count() == 1


def sitag_march_2026(client):
    return [o["start"][:10] for o in api(client, 2026, 3) if o["group"] == "sitag"]


def test_the_programme_office_cannot_hide_past_meetings_with_a_later_known_from(
    client, office, seeded
):
    held = sitag_march_2026(client)
    assert held, "SITAG met in March 2026"
    for field, day in (("known_from", "2027-01-01"), ("confirm_first_date", "2027-01-20")):
        refused = admin_post(office, series_url("sitag"), **{field: day})
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "is in the future, and a later date would hide meetings already held" in page
        assert 'name="corrects_record"' not in page  # the office is not offered a correction
    # Ticking the box by hand changes nothing for the office.
    forged = admin_post(
        office,
        series_url("sitag"),
        known_from="2027-01-01",
        corrects_record="on",
        correction_reason="Hide them",
    )
    assert forged.status_code == 200
    assert "Only an administrator may correct the record of the past." in forged.content.decode()
    assert not ChangeEntry.objects.exists()
    cache.clear()
    assert sitag_march_2026(client) == held
    assert MeetingSeries.objects.get(group__slug="sitag").known_from == KNOWN_FROM
    # Today is not later than today.
    assert admin_post(office, series_url("sitag"), known_from="2026-11-26").status_code == 302


def test_a_superuser_sets_a_later_known_from_only_as_a_logged_correction(client, root, seeded):
    refused = admin_post(root, series_url("sitag"), known_from="2027-01-01")
    assert refused.status_code == 200
    assert "is in the future" in refused.content.decode()
    no_reason = admin_post(root, series_url("sitag"), known_from="2027-01-01", corrects_record="on")
    assert no_reason.status_code == 200
    assert "Say why the record is corrected." in no_reason.content.decode()
    assert not ChangeEntry.objects.exists()

    reason = "SITAG never met before 2027: the minutes were of SITWG"
    corrected = admin_post(
        root,
        series_url("sitag"),
        known_from="2027-01-01",
        corrects_record="on",
        correction_reason=reason,
    )
    assert corrected.status_code == 302, corrected.content.decode()[:2000]
    (entry,) = ChangeEntry.objects.all()
    assert entry.summary == (
        f"Correction of the record: SITAG meetings listed from 1 January 2027 ({reason})"
    )
    assert entry.summary in client.get("/changes/").content.decode()
    cache.clear()
    assert sitag_march_2026(client) == []


def test_the_webinar_attendance_is_not_stated_wherever_it_is_described(client, seeded):
    group_page = client.get("/groups/psg/").content.decode()
    assert (
        "Attendance: not stated in the source for the Programme Steering Group (PSG) "
        "pre-meeting webinar." in group_page
    )
    # The 4th Thursday of January 2027.
    meeting = client.get("/groups/psg/meetings/2027-01-28/").content.decode()
    assert "Not stated in the source for the Programme Steering Group (PSG) pre-meeting" in (
        meeting
    )
    events = {str(e["UID"]): e for e in masters(feed(client, "/groups/psg/calendar.ics"))}
    webinar = str(events["psg-pre-meeting-webinar@mhhs-governance-directory"]["DESCRIPTION"])
    assert "Attendance: not stated in the source for the Programme Steering Group" in webinar
    assert "Attendees:" not in webinar
    meeting_text = str(events["psg-meeting@mhhs-governance-directory"]["DESCRIPTION"])
    assert "Attendance: Closed." in meeting_text


def test_the_pattern_page_flags_the_week_tables_own_names_on_their_lines(client, seeded):
    html = client.get("/calendar/pattern/").content.decode()
    rows = {
        row.split("</th>")[0]: row
        for row in html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    }
    (programme,) = [head for head in rows if ">Programme</a>" in head]
    assert "(the week table's row: “Programme Steering”)" in programme
    lines = [
        line
        for row in rows.values()
        for cell in row.split("<p>")[1:]
        for line in cell.split("</p>")[0].split("<br>")
    ]

    def line_with(text):
        (found,) = [line for line in lines if text in line]
        return found

    cdwg = line_with("Code Draft Working Group (CDWG)</a>")
    assert "(the week table: “Code Draft Working Group 1 (CDWG)”)" in cdwg
    assert "sources differ" in cdwg and "meeting end time" not in cdwg
    assert "(the week table: “System Integration &amp; Testing Advisory Group (SITAG)”)" in (
        line_with("(SITAG)</a>")
    )
    assert "the week table" not in line_with("(MCAG)</a>")  # the week table agrees
    # PSG's meeting line has its own flag, the webinar line its own.
    psg_times = [line for line in lines if "Wed, 10:00–12:00" in line and "psg" in line]
    assert psg_times and all("webinar" not in line for line in psg_times)
    assert any("Thu, 11:30–12:00" in line and "webinar" in line for line in lines)
    assert "q1 2024" not in html
