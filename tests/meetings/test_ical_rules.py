"""The feed's events as a calendar client reads them: one recurring event per span of dates
on which the group meets (RRULE, UNTIL, EXDATE), overrides for moved meetings
(RECURRENCE-ID), one-off meetings alone; SUMMARY and DESCRIPTION text; SEQUENCE and
LAST-MODIFIED from the change log; ORGANIZER."""

from datetime import UTC, date, datetime, time

import pytest
from django.contrib.auth.models import User
from icalendar import Calendar

from groups.models import GovernanceGroup
from groups.services import change_group_status
from meetings.ical import (
    EMPTY_FEED_MODIFIED,
    FeedHistory,
    build_calendar,
    calendar_last_modified,
)
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from meetings.selectors import series_queryset
from tests.conftest import LONDON

SITE = "https://gov.example"
PMO = "PMO@mhhsprogramme.co.uk"
UID = "cdwg-meeting@mhhs-governance-directory"
CDWG_PURPOSE = (
    "Open forum responsible for drafting and review of code changes to reflect the baselined "
    "design. Recommends code changes to CCAG when complete"
)
CDWG_ATTENDEES = (
    "Open to all. Primarily code drafting leads from industry Code Bodies and participants "
    "code drafting / regulatory SMEs"
)
CDWG_TEXT = f"{CDWG_PURPOSE}\n\nAttendance: Open to all.\n\nAttendees: {CDWG_ATTENDEES}"
# The series' event links to the group's meetings; a moved meeting's to its own page.
CDWG_DESCRIPTION = f"{CDWG_TEXT}\n\nAgenda, papers and details: {SITE}/groups/cdwg/meetings/"
MOVED_DESCRIPTION = (
    f"{CDWG_TEXT}\n\nAgenda, papers and details: {SITE}/groups/cdwg/meetings/2026-12-09/"
)


def feed(*, series=(), one_offs=(), history=None, organizer=None, holidays_until=None):
    text = build_calendar(
        name="Test feed",
        series=series,
        one_offs=one_offs,
        absolute_url=lambda path: SITE + path,
        history=history,
        organizer=organizer,
        holidays_until=holidays_until,
    ).to_ical()
    return Calendar.from_ical(text)


def lines(event) -> dict[str, list[str]]:
    """The event's content lines as a client receives them, by name (with parameters)."""
    found = {}
    for line in event.to_ical().decode().replace("\r\n ", "").splitlines():
        name, _, value = line.partition(":")
        found.setdefault(name, []).append(value)
    return found


def by_uid(calendar):
    return {(str(e["UID"]), "RECURRENCE-ID" in e): lines(e) for e in calendar.walk("VEVENT")}


@pytest.fixture
def cdwg(seeded):
    """CDWG meets on 2nd Tuesdays, 10:00 to 11:30; the seed's changes to it are cleared."""
    series = MeetingSeries.objects.get(group__slug="cdwg", slug="meeting")
    series.cancellations.all().delete()
    series.moves.all().delete()
    return series


@pytest.fixture
def paused_cdwg(cdwg):
    """CDWG stops meeting from 1 February 2027 and meets again from 1 April 2027, with a
    cancellation and a move in each span and a move of a meeting in the pause."""
    editor = User.objects.create_user("editor", "editor@example.org", "a-long-password-4")
    group = GovernanceGroup.objects.get(slug="cdwg")
    for status, day, note in (
        ("ad_hoc", date(2027, 2, 1), "Paused"),
        ("mobilised", date(2027, 4, 1), "Back"),
    ):
        group.status_effective_from = day
        change_group_status(
            group=group, status=status, note=note, by=editor, at=datetime(2026, 11, 26, tzinfo=UTC)
        )
    Cancellation.objects.create(series=cdwg, date=date(2027, 1, 12))
    Cancellation.objects.create(series=cdwg, date=date(2027, 5, 11))
    for original, day, note in (
        (date(2026, 12, 8), date(2026, 12, 9), "Room change"),
        (date(2027, 3, 9), date(2027, 3, 10), "In the pause"),
        (date(2027, 6, 8), date(2027, 6, 10), "Clash with SITWG"),
    ):
        Move.objects.create(
            series=cdwg,
            original_date=original,
            start=datetime.combine(day, time(10), tzinfo=LONDON),
            end=datetime.combine(day, time(11, 30), tzinfo=LONDON),
            note=note,
        )
    return series_queryset(group=group)


def test_a_pause_in_meetings_splits_the_series_into_two_recurring_events(paused_cdwg):
    events = by_uid(feed(series=paused_cdwg))
    assert set(events) == {
        (UID, False),
        (UID, True),
        ("cdwg-meeting-20270413@mhhs-governance-directory", False),
        ("cdwg-meeting-20270413@mhhs-governance-directory", True),
    }
    before = events[(UID, False)]
    # The first 2nd Tuesday on or after the series' known-from date, 1 April 2024.
    assert before["DTSTART;TZID=Europe/London"] == ["20240409T100000"]
    assert before["DTEND;TZID=Europe/London"] == ["20240409T113000"]
    # Up to the last day before the pause, at the meeting's end, in UTC.
    assert before["RRULE"] == ["FREQ=MONTHLY;UNTIL=20270131T113000Z;BYDAY=2TU"]
    assert before["EXDATE;TZID=Europe/London"] == ["20270112T100000"]
    after = events[("cdwg-meeting-20270413@mhhs-governance-directory", False)]
    assert after["DTSTART;TZID=Europe/London"] == ["20270413T100000"]
    assert after["RRULE"] == ["FREQ=MONTHLY;BYDAY=2TU"]
    assert after["EXDATE;TZID=Europe/London"] == ["20270511T100000"]


def test_each_move_overrides_the_event_of_its_span_and_a_move_in_the_pause_none(paused_cdwg):
    events = by_uid(feed(series=paused_cdwg))
    first = events[(UID, True)]
    assert first["RECURRENCE-ID;TZID=Europe/London"] == ["20261208T100000"]
    assert first["DTSTART;TZID=Europe/London"] == ["20261209T100000"]
    assert first["DTEND;TZID=Europe/London"] == ["20261209T113000"]
    second = events[("cdwg-meeting-20270413@mhhs-governance-directory", True)]
    assert second["RECURRENCE-ID;TZID=Europe/London"] == ["20270608T100000"]
    assert second["DTSTART;TZID=Europe/London"] == ["20270610T100000"]
    text = feed(series=paused_cdwg).to_ical().decode()
    assert "20270309" not in text and "20270310" not in text and "In the pause" not in text


def test_valid_until_ends_the_rule_at_the_end_of_that_day_in_utc(cdwg):
    """30 June 2027, 11:30 BST, is 10:30 UTC."""
    MeetingSeries.objects.filter(pk=cdwg.pk).update(valid_until=date(2027, 6, 30))
    (event,) = feed(series=series_queryset(group=cdwg.group)).walk("VEVENT")
    assert lines(event)["RRULE"] == ["FREQ=MONTHLY;UNTIL=20270630T103000Z;BYDAY=2TU"]
    assert "EXDATE;TZID=Europe/London" not in lines(event)


def test_a_series_from_a_date_starts_on_its_first_meeting_day(cdwg):
    MeetingSeries.objects.filter(pk=cdwg.pk).update(valid_from=date(2027, 3, 10))
    (event,) = feed(series=series_queryset(group=cdwg.group)).walk("VEVENT")
    assert lines(event)["DTSTART;TZID=Europe/London"] == ["20270413T100000"]
    assert lines(event)["RRULE"] == ["FREQ=MONTHLY;BYDAY=2TU"]


def test_a_series_whose_span_holds_no_meeting_day_is_left_out(cdwg):
    MeetingSeries.objects.filter(pk=cdwg.pk).update(
        valid_from=date(2027, 3, 10), valid_until=date(2027, 4, 12)
    )
    assert feed(series=series_queryset(group=cdwg.group)).walk("VEVENT") == []


def test_event_text_summary_description_url_and_categories(paused_cdwg):
    events = {
        (str(e["UID"]), "RECURRENCE-ID" in e): e for e in feed(series=paused_cdwg).walk("VEVENT")
    }
    master, override = events[(UID, False)], events[(UID, True)]
    assert str(master["SUMMARY"]) == "CDWG: Code Draft Working Group"
    assert str(master["DESCRIPTION"]) == CDWG_DESCRIPTION
    assert str(override["DESCRIPTION"]) == f"Room change\n\n{MOVED_DESCRIPTION}"
    assert str(master["URL"]) == f"{SITE}/groups/cdwg/meetings/"
    assert str(override["URL"]) == f"{SITE}/groups/cdwg/meetings/2026-12-09/"
    assert master["CATEGORIES"].cats == ["Code"]
    assert str(master["TRANSP"]) == "OPAQUE"


def test_a_one_off_meeting_of_a_group_without_acronym_purpose_attendees_or_workstream(seeded):
    group = GovernanceGroup.objects.get(slug="engagement-and-comms-group")
    meeting = OneOffMeeting.objects.create(
        group=group,
        start=datetime(2027, 7, 1, 9, tzinfo=LONDON),
        end=datetime(2027, 7, 1, 10, tzinfo=LONDON),
        note="Kick-off\x07",
    )
    (event,) = feed(one_offs=[meeting]).walk("VEVENT")
    assert str(event["UID"]) == f"one-off-{meeting.pk}@mhhs-governance-directory"
    assert str(event["SUMMARY"]) == "Engagement and Comms Group"
    assert str(event["DESCRIPTION"]) == (
        "Kick-off\n\nAttendance: Open to all.\n\nAgenda, papers and details: "
        f"{SITE}/groups/engagement-and-comms-group/meetings/2027-07-01/"
    )
    assert str(event["URL"]) == f"{SITE}/groups/engagement-and-comms-group/meetings/2027-07-01/"
    assert "CATEGORIES" not in event
    assert "RRULE" not in event
    assert lines(event)["DTSTART;TZID=Europe/London"] == ["20270701T090000"]
    assert lines(event)["DTEND;TZID=Europe/London"] == ["20270701T100000"]
    assert int(event["SEQUENCE"]) == 0


def test_a_titled_one_off_meeting_is_summarised_with_the_group_acronym_if_any(seeded):
    def one_off(slug, title):
        return OneOffMeeting.objects.create(
            group=GovernanceGroup.objects.get(slug=slug),
            title=title,
            start=datetime(2027, 7, 1, 9, tzinfo=LONDON),
            end=datetime(2027, 7, 1, 10, tzinfo=LONDON),
        )

    dag, ofgem = one_off("dag", "Design\x07 review"), one_off("ofgem", "Sponsor review")
    events = {str(e["UID"]): e for e in feed(one_offs=[dag, ofgem]).walk("VEVENT")}
    dag_event = events[f"one-off-{dag.pk}@mhhs-governance-directory"]
    ofgem_event = events[f"one-off-{ofgem.pk}@mhhs-governance-directory"]
    assert str(dag_event["SUMMARY"]) == "DAG: Design review"
    assert dag_event["CATEGORIES"].cats == ["Design"]
    assert str(ofgem_event["SUMMARY"]) == "Sponsor review"
    assert str(ofgem_event["DESCRIPTION"]) == (
        "Ofgem as Sponsor\n\nAttendance: Closed.\n\nAgenda, papers and details: "
        f"{SITE}/groups/ofgem/meetings/2027-07-01/"
    )


def test_sequence_and_last_modified_come_from_the_change_log(paused_cdwg):
    move_subject = "move:cdwg/meeting/2027-06-08"
    latest = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    history = FeedHistory(
        reschedules={"series:cdwg/meeting": 2, "status:cdwg": 1, move_subject: 3},
        last_at={"series:cdwg/meeting": latest, move_subject: datetime(2026, 12, 2, tzinfo=UTC)},
    )
    events = by_uid(feed(series=paused_cdwg, history=history))
    second = "cdwg-meeting-20270413@mhhs-governance-directory"
    assert events[(UID, False)]["SEQUENCE"] == ["3"]
    assert events[(second, False)]["SEQUENCE"] == ["3"]
    assert events[(UID, True)]["SEQUENCE"] == ["4"], "an override outranks its rule"
    assert events[(second, True)]["SEQUENCE"] == ["7"]
    for key in [(UID, False), (UID, True), (second, False)]:
        assert events[key]["LAST-MODIFIED"] == ["20261201T083000Z"]
        assert events[key]["DTSTAMP"] == ["20261201T083000Z"]
    assert events[(second, True)]["LAST-MODIFIED"] == ["20261202T000000Z"]


def test_without_history_an_event_is_as_new_as_its_rows(seeded):
    series = series_queryset(group=GovernanceGroup.objects.get(slug="cdwg"))
    item = series[0]
    calendar = feed(series=series)
    (master,) = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    newest = max(item.updated_at, item.group.updated_at).astimezone(UTC).replace(microsecond=0)
    assert master.decoded("LAST-MODIFIED") == newest
    assert int(master["SEQUENCE"]) == 0
    assert calendar_last_modified(calendar) == max(
        e.decoded("LAST-MODIFIED") for e in calendar.walk("VEVENT")
    )


def test_the_pmo_organizes_every_event_when_given(paused_cdwg):
    with_organizer = feed(series=paused_cdwg, organizer=PMO).walk("VEVENT")
    assert [lines(e)['ORGANIZER;CN="MHHS PMO"'] for e in with_organizer] == [[f"mailto:{PMO}"]] * 4
    assert all("ORGANIZER" not in e for e in feed(series=paused_cdwg).walk("VEVENT"))


def test_the_pmo_organizes_one_off_meetings_too(seeded):
    meeting = OneOffMeeting.objects.create(
        group=GovernanceGroup.objects.get(slug="dag"),
        start=datetime(2027, 7, 1, 9, tzinfo=LONDON),
        end=datetime(2027, 7, 1, 10, tzinfo=LONDON),
    )
    (event,) = feed(one_offs=[meeting], organizer=PMO).walk("VEVENT")
    assert lines(event)['ORGANIZER;CN="MHHS PMO"'] == [f"mailto:{PMO}"]


def test_the_calendar_names_itself_and_an_empty_feed_dates_from_the_epoch():
    calendar = feed()
    text = calendar.to_ical().decode()
    for line in [
        "PRODID:-//MHHS Governance Directory//Governance meetings//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:Test feed",
        "X-WR-CALNAME:Test feed",
        "X-WR-TIMEZONE:Europe/London",
        "REFRESH-INTERVAL;VALUE=DURATION:PT4H",
        "X-PUBLISHED-TTL:PT4H",
        "TZID:Europe/London",
    ]:
        assert line in text.splitlines()
    assert calendar.walk("VEVENT") == []
    assert (
        calendar_last_modified(calendar) == EMPTY_FEED_MODIFIED == datetime(2024, 1, 1, tzinfo=UTC)
    )


DAG_TEXT = (
    "Oversee, review, consult and approve the MHHS Programme development of the end-to-end "
    "business processes, systems, and data architecture that delivers the detailed system "
    "design and MHHS Target Operating Model (TOM)\n\nAttendance: Closed.\n\nAttendees: Closed "
    "attendance of Programme design leads, constituency representatives, Ofgem, consumer "
    "representative, IPA"
)
DAG_DESCRIPTION = f"{DAG_TEXT}\n\nAgenda, papers and details: {SITE}/groups/dag/"
SLOT_NOTE = "A slot held for meetings called when needed: it goes ahead only if called."
DAG_DISAGREEMENT = (
    "The source disagrees with itself: DAG's timeframe is “To Q1 2024”, yet its status says "
    "“meeting slot available for ad hoc meetings”. The slot is kept as held: it goes ahead "
    "only if a meeting is called."
)


def change_status(slug, status, effective_from, note=""):
    """A change from ``effective_from``; one dated before 26 November 2026 is a superuser's
    correction of the record of the past (the only way the past is changed)."""
    at = datetime(2026, 11, 26, tzinfo=UTC)
    past = effective_from < at.date()
    by = User.objects.get_or_create(username="root", is_superuser=True)[0] if past else None
    group = GovernanceGroup.objects.get(slug=slug)
    group.status_effective_from = effective_from
    change_group_status(
        group=group,
        status=status,
        note=note or f"Now {status}",
        by=by,
        at=at,
        correction_reason="The record of the past was wrong." if past else "",
    )


@pytest.fixture
def dag_slot(seeded):
    """DAG (ad hoc) holds a slot on 2nd Wednesdays, 10:00 to 13:00; seed changes cleared."""
    series = MeetingSeries.objects.get(group__slug="dag", slug="meeting")
    assert series.held_slot
    series.cancellations.all().delete()
    series.moves.all().delete()
    return series


def test_a_held_slot_is_one_tentative_transparent_event_while_the_group_is_ad_hoc(dag_slot):
    GovernanceGroup.objects.filter(slug="dag").update(status_note="Called by the chair")
    history = FeedHistory(reschedules={"series:dag/meeting": 1, "status:dag": 2})
    calendar = feed(series=series_queryset(group=dag_slot.group), history=history)
    (event,) = calendar.walk("VEVENT")
    found = lines(event)
    assert found["UID"] == ["dag-meeting-slot@mhhs-governance-directory"]
    assert found["STATUS"] == ["TENTATIVE"]
    assert found["TRANSP"] == ["TRANSPARENT"]
    assert found["SEQUENCE"] == ["3"]
    assert found["DTSTART;TZID=Europe/London"] == ["20240410T100000"]
    assert found["DTEND;TZID=Europe/London"] == ["20240410T130000"]
    assert found["RRULE"] == ["FREQ=MONTHLY;BYDAY=2WE"]
    assert str(event["SUMMARY"]) == "DAG: Design Advisory Group"
    assert str(event["DESCRIPTION"]) == (
        f"{SLOT_NOTE} Called by the chair. {DAG_DISAGREEMENT}\n\n{DAG_DESCRIPTION}"
    )
    assert "EXDATE;TZID=Europe/London" not in found


def test_a_meeting_called_in_a_held_slot_replaces_the_slot_that_day(dag_slot):
    """DAG's meeting on Wednesday 13 January 2027 is called; PSG's one-off that day is not
    DAG's and leaves the slot of 10 February alone."""
    Cancellation.objects.create(series=dag_slot, date=date(2027, 3, 10))

    def one_off(slug, day):
        return OneOffMeeting.objects.create(
            group=GovernanceGroup.objects.get(slug=slug),
            start=datetime.combine(day, time(10), tzinfo=LONDON),
            end=datetime.combine(day, time(12), tzinfo=LONDON),
        )

    called, other = one_off("dag", date(2027, 1, 13)), one_off("psg", date(2027, 2, 10))
    calendar = feed(series=series_queryset(group=dag_slot.group), one_offs=[called, other])
    events = {str(e["UID"]): lines(e) for e in calendar.walk("VEVENT")}
    assert events["dag-meeting-slot@mhhs-governance-directory"]["EXDATE;TZID=Europe/London"] == [
        "20270113T100000",
        "20270310T100000",
    ]
    assert f"one-off-{called.pk}@mhhs-governance-directory" in events


def test_a_held_slot_gives_way_to_regular_meetings_while_the_group_meets(dag_slot):
    """DAG meets from 1 April 2027 and is ad hoc again from 1 July 2027: two slot events
    around one regular event, each ended by UNTIL and with its own cancellations."""
    change_status("dag", "mobilised", date(2027, 4, 1))
    change_status("dag", "ad_hoc", date(2027, 7, 1))
    for day in (date(2027, 1, 13), date(2027, 5, 12), date(2027, 8, 11)):
        Cancellation.objects.create(series=dag_slot, date=day)
    calendar = feed(series=series_queryset(group=dag_slot.group), organizer=PMO)
    events = {str(e["UID"]): (e, lines(e)) for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "dag-meeting-slot@mhhs-governance-directory",
        "dag-meeting@mhhs-governance-directory",
        "dag-meeting-slot-20270714@mhhs-governance-directory",
    }
    first_slot = events["dag-meeting-slot@mhhs-governance-directory"][1]
    assert first_slot["DTSTART;TZID=Europe/London"] == ["20240410T100000"]
    # 31 March 2027, 13:00 BST.
    assert first_slot["RRULE"] == ["FREQ=MONTHLY;UNTIL=20270331T120000Z;BYDAY=2WE"]
    assert first_slot["EXDATE;TZID=Europe/London"] == ["20270113T100000"]
    assert first_slot['ORGANIZER;CN="MHHS PMO"'] == [f"mailto:{PMO}"]
    regular, regular_lines = events["dag-meeting@mhhs-governance-directory"]
    assert regular_lines["DTSTART;TZID=Europe/London"] == ["20270414T100000"]
    assert regular_lines["RRULE"] == ["FREQ=MONTHLY;UNTIL=20270630T120000Z;BYDAY=2WE"]
    assert regular_lines["EXDATE;TZID=Europe/London"] == ["20270512T100000"]
    assert regular_lines["TRANSP"] == ["OPAQUE"]
    assert "STATUS" not in regular
    assert str(regular["DESCRIPTION"]) == (
        f"{DAG_TEXT}\n\nAgenda, papers and details: {SITE}/groups/dag/meetings/"
    )
    second_slot = events["dag-meeting-slot-20270714@mhhs-governance-directory"][1]
    assert second_slot["DTSTART;TZID=Europe/London"] == ["20270714T100000"]
    assert second_slot["RRULE"] == ["FREQ=MONTHLY;BYDAY=2WE"]
    assert second_slot["EXDATE;TZID=Europe/London"] == ["20270811T100000"]
    assert second_slot["STATUS"] == ["TENTATIVE"]


@pytest.fixture
def webinar(seeded):
    """PSG's pre-meeting webinar: 4th Thursdays, 11:30 to 12:00, so on Boxing Day 2024 and
    Christmas Day 2025; the seed's changes to it are cleared."""
    series = MeetingSeries.objects.get(group__slug="psg", slug="pre-meeting-webinar")
    series.cancellations.all().delete()
    series.moves.all().delete()
    return series


def webinar_feed(webinar, holidays_until):
    return feed(
        series=series_queryset(group=webinar.group).filter(pk=webinar.pk),
        holidays_until=holidays_until,
    )


def overrides(calendar):
    return {
        lines(e)["RECURRENCE-ID;TZID=Europe/London"][0]: e
        for e in calendar.walk("VEVENT")
        if "RECURRENCE-ID" in e
    }


def test_a_meeting_on_a_bank_holiday_is_flagged_up_to_the_date_given(webinar):
    Cancellation.objects.create(series=webinar, date=date(2024, 12, 26))
    calendar = webinar_feed(webinar, date(2025, 12, 25))
    (master,) = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert lines(master)["EXDATE;TZID=Europe/London"] == ["20241226T113000"]
    (day,) = overrides(calendar)
    flagged = overrides(calendar)[day]
    assert day == "20251225T113000"
    assert lines(flagged)["DTSTART;TZID=Europe/London"] == ["20251225T113000"]
    assert lines(flagged)["DTEND;TZID=Europe/London"] == ["20251225T120000"]
    assert lines(flagged)["UID"] == ["psg-pre-meeting-webinar@mhhs-governance-directory"]
    # Flagging a date changes nothing of the meeting: its SEQUENCE is the master's.
    assert int(flagged["SEQUENCE"]) == int(master["SEQUENCE"])
    assert str(flagged["SUMMARY"]) == str(master["SUMMARY"])
    # The flagged meeting is the same meeting, linked to its own page.
    assert str(flagged["DESCRIPTION"]) == (
        "Bank holiday (Christmas Day): check with the PMO that it goes ahead.\n\n"
        + str(master["DESCRIPTION"]).replace("/meetings/", "/meetings/2025-12-25/")
    )
    assert str(flagged["URL"]) == f"{SITE}/groups/psg/meetings/2025-12-25/"
    assert overrides(webinar_feed(webinar, date(2025, 12, 24))) == {}
    assert overrides(webinar_feed(webinar, None)) == {}


def test_a_moved_bank_holiday_meeting_is_overridden_by_its_move_only(webinar):
    Move.objects.create(
        series=webinar,
        original_date=date(2025, 12, 25),
        start=datetime(2025, 12, 23, 11, 30, tzinfo=LONDON),
        end=datetime(2025, 12, 23, 12, tzinfo=LONDON),
        note="Moved for Christmas",
    )
    found = overrides(webinar_feed(webinar, date(2025, 12, 31)))
    assert sorted(found) == ["20241226T113000", "20251225T113000"]
    assert str(found["20251225T113000"]["DESCRIPTION"]).startswith("Moved for Christmas\n\n")
    assert str(found["20241226T113000"]["DESCRIPTION"]).startswith("Bank holiday (Boxing Day)")


def test_no_bank_holiday_flag_after_the_group_stops_meeting(webinar):
    change_status("psg", "ad_hoc", date(2025, 12, 1))
    calendar = webinar_feed(webinar, date(2025, 12, 31))
    (master,) = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert lines(master)["RRULE"] == ["FREQ=MONTHLY;UNTIL=20251130T120000Z;BYDAY=4TH"]
    assert sorted(overrides(calendar)) == ["20241226T113000"]


def test_a_one_off_meeting_on_a_uk_bank_holiday_is_flagged_before_its_note(seeded):
    """00:30 BST on Monday 30 August 2027 is 23:30 UTC on Sunday the 29th."""
    dag = GovernanceGroup.objects.get(slug="dag")
    start = datetime(2027, 8, 29, 23, 30, tzinfo=UTC)
    with_note, without = (
        OneOffMeeting.objects.create(
            group=dag, start=start, end=start.replace(hour=23, minute=59), note=note
        )
        for note in ("Bring laptops", "")
    )
    events = {str(e["UID"]): e for e in feed(one_offs=[with_note, without]).walk("VEVENT")}
    flag = "Bank holiday (Late Summer Bank Holiday): check with the PMO that it goes ahead."
    page = f"Agenda, papers and details: {SITE}/groups/dag/meetings/2027-08-30/"
    assert str(events[f"one-off-{with_note.pk}@mhhs-governance-directory"]["DESCRIPTION"]) == (
        f"{flag}\n\nBring laptops\n\n{DAG_TEXT}\n\n{page}"
    )
    assert str(events[f"one-off-{without.pk}@mhhs-governance-directory"]["DESCRIPTION"]) == (
        f"{flag}\n\n{DAG_TEXT}\n\n{page}"
    )


def test_a_held_slot_is_as_new_as_the_newer_of_its_series_and_its_group(dag_slot):
    def slot_modified():
        (event,) = feed(series=series_queryset(group=dag_slot.group)).walk("VEVENT")
        return lines(event)["LAST-MODIFIED"]

    MeetingSeries.objects.filter(pk=dag_slot.pk).update(
        updated_at=datetime(2026, 12, 1, 9, tzinfo=UTC)
    )
    GovernanceGroup.objects.filter(slug="dag").update(
        updated_at=datetime(2026, 11, 1, 9, tzinfo=UTC)
    )
    assert slot_modified() == ["20261201T090000Z"]
    GovernanceGroup.objects.filter(slug="dag").update(
        updated_at=datetime(2026, 12, 2, 9, tzinfo=UTC)
    )
    assert slot_modified() == ["20261202T090000Z"]


def test_a_pause_before_the_series_began_leaves_one_event_from_the_restart(cdwg):
    """CDWG went ad hoc in June 2023, before the series' known-from date (1 April 2024), and
    meets again from 1 April 2027."""
    change_status("cdwg", "ad_hoc", date(2023, 6, 1))
    change_status("cdwg", "mobilised", date(2027, 4, 1))
    (event,) = feed(series=series_queryset(group=cdwg.group)).walk("VEVENT")
    assert lines(event)["UID"] == [UID]
    assert lines(event)["DTSTART;TZID=Europe/London"] == ["20270413T100000"]
    assert lines(event)["RRULE"] == ["FREQ=MONTHLY;BYDAY=2TU"]
