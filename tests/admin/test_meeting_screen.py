"""A meeting is one admin screen: its record (made on the first save), papers, decisions and
actions, and its cancel and move, the meeting chosen from its group's list, never typed."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup
from meetings.models import Cancellation, Move
from mhhs_gov.middleware import BODY_MAX_BYTES, UPLOAD_MAX_BYTES, body_limit
from records.meeting_screen import meeting_on
from records.models import Decision, Document, MeetingRecord
from tests.conftest import LONDON, signed_in
from tests.forms import form_fields
from tests.records.conftest import PDF, make_action, make_decision, make_document, make_record, post

SCREEN = "/admin/records/meetingrecord/meetings/psg/2026-12-02/"
SITAG = "/admin/records/meetingrecord/meetings/sitag/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def screen_form(client, url=SCREEN) -> dict:
    fields = form_fields(client.get(url).content.decode())
    fields["_save"] = ["Save"]
    return fields


def entries(**filters):
    return list(ChangeEntry.objects.filter(**filters).values_list("kind", flat=True))


def test_the_group_page_lists_its_meetings_each_opening_its_screen(office, seeded):
    listing = office.get("/admin/records/meetingrecord/meetings/").content.decode()
    assert 'href="/admin/records/meetingrecord/meetings/psg/"' in listing
    html = office.get("/admin/records/meetingrecord/meetings/psg/").content.decode()
    upcoming, recent = html.split('id="upcoming"', 1)[1].split('id="recent"', 1)
    assert f'href="{SCREEN}"' in upcoming
    assert f'href="{SCREEN}move/"' in upcoming and f'href="{SCREEN}cancel/"' in upcoming
    assert "/psg/2026-11-04/" in recent and "/psg/2026-11-04/cancel/" not in recent  # held


def test_the_group_admin_links_to_its_meetings(root, seeded):
    psg = GovernanceGroup.objects.get(slug="psg")
    html = root.get(f"/admin/groups/governancegroup/{psg.pk}/change/").content.decode()
    assert 'href="/admin/records/meetingrecord/meetings/psg/"' in html


def test_opening_the_screen_creates_nothing_and_the_first_save_creates_the_record(office, seeded):
    records, entries_before = MeetingRecord.objects.count(), ChangeEntry.objects.count()
    response = office.get(SCREEN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "PSG meeting of Wednesday 2 December 2026" in html
    assert "No record yet" in html and 'enctype="multipart/form-data"' in html
    assert f'href="{SCREEN}move/"' in html and f'href="{SCREEN}cancel/"' in html
    assert (MeetingRecord.objects.count(), ChangeEntry.objects.count()) == (
        records,
        entries_before,
    )
    fields = screen_form(office)
    fields["joining_details"] = ["Teams link to follow"]
    response = post(office, SCREEN, fields)
    assert response.status_code == 302 and response["Location"] == SCREEN
    record = MeetingRecord.objects.get(group__slug="psg", date=date(2026, 12, 2))
    assert record.joining_details == "Teams link to follow"
    assert "Its record holds" in office.get(SCREEN).content.decode()


def test_an_agenda_uploaded_on_the_screen(office, seeded):
    fields = screen_form(office)
    fields.update(
        {
            "documents-0-kind": ["agenda"],
            "documents-0-title": ["Agenda"],
            "documents-0-file": SimpleUploadedFile("agenda.pdf", PDF),
            "documents-0-publish_at_0": ["2026-11-26"],
            "documents-0-publish_at_1": ["09:00:00"],
        }
    )
    assert post(office, SCREEN, fields).status_code == 302
    document = Document.objects.get(record__group__slug="psg", record__date=date(2026, 12, 2))
    assert document.title == "Agenda" and document.content_type == "application/pdf"
    assert entries(kind="document_added") == ["document_added"]
    assert body_limit(SCREEN) == UPLOAD_MAX_BYTES
    assert body_limit(f"{SCREEN}cancel/") == body_limit(f"{SCREEN}move/") == BODY_MAX_BYTES


def decision_fields(fields, **values):
    fields.update(
        {
            "decisions-0-title": ["Migration plan approved"],
            "decisions-0-summary": ["Approved."],
            "decisions-0-rationale": ["Meets the criteria."],
            "decisions-0-status": ["made"],
            **{f"decisions-0-{name}": [value] for name, value in values.items()},
        }
    )
    return fields


def test_a_decision_recorded_on_the_screen_goes_through_the_register(office, seeded):
    before = ChangeEntry.objects.count()
    fields = decision_fields(
        screen_form(office), published_at_0="2026-11-26", published_at_1="08:00:00"
    )
    response = post(office, SCREEN, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = Decision.objects.get()
    assert decision.reference == "PSG-2026-001"  # numbered by the service
    assert (decision.group.slug, decision.date) == ("psg", date(2026, 12, 2))
    assert decision.record.date == date(2026, 12, 2)
    assert decision.updated_by.username == "pmo"
    assert ChangeEntry.objects.count() == before + 1
    entry = ChangeEntry.objects.get(kind="decision_published")
    assert entry.summary == "Decision PSG-2026-001 (PSG): Migration plan approved"
    assert entry.by.username == "pmo"
    html = office.get(SCREEN).content.decode()
    assert "Public since 26 November 2026" in html
    # Published: no "Delete" box the programme office can tick.
    delete_box = html.split('name="decisions-0-DELETE"', 1)[1].split(">", 1)[0]
    assert "disabled" in delete_box


def test_a_blank_publication_asks_to_keep_a_draft(office, seeded):
    fields = decision_fields(screen_form(office))
    response = post(office, SCREEN, fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keep it as a draft (not public)?" in html
    assert "No publication time is given" in html
    assert (
        not Decision.objects.exists()
        and not MeetingRecord.objects.filter(date=date(2026, 12, 2), group__slug="psg").exists()
    )
    fields["decisions-0-keep_draft"] = ["on"]
    assert post(office, SCREEN, fields).status_code == 302
    draft = Decision.objects.get()
    assert draft.published_at is None
    assert entries(kind__startswith="decision") == []  # a draft: nothing public to log
    screen = office.get(SCREEN).content.decode()
    assert "Draft: not public" in screen
    assert "Draft: not public" in office.get("/admin/records/decision/").content.decode()
    change = office.get(f"/admin/records/decision/{draft.pk}/change/").content.decode()
    assert "Draft: not public" in change and "Keep it as a draft (not public)?" in change


def test_the_decision_page_asks_too(office, seeded):
    record = make_record(day=date(2026, 11, 4))
    fields = form_fields(office.get("/admin/records/decision/add/").content.decode())
    fields.update(
        {
            "group": [str(record.group_id)],
            "record": [str(record.pk)],
            "date": ["2026-11-04"],
            "title": ["A decision"],
            "summary": ["Summary."],
            "rationale": ["Why."],
            "status": ["made"],
            "_save": ["Save"],
        }
    )
    response = post(office, "/admin/records/decision/add/", fields)
    assert response.status_code == 200 and "No publication time is given" in (
        response.content.decode()
    )
    fields["keep_draft"] = ["on"]
    assert post(office, "/admin/records/decision/add/", fields).status_code == 302


def test_a_stale_decision_edit_is_refused_on_the_screen(office, seeded):
    record = make_record(day=date(2026, 12, 2))
    decision = make_decision(day=date(2026, 12, 2), record=record, published_at=None)
    fields = screen_form(office)
    decision.title = "Changed meanwhile"
    decision.save()
    fields["decisions-0-title"] = ["My title"]
    fields["decisions-0-keep_draft"] = ["on"]
    response = post(office, SCREEN, fields)
    assert response.status_code == 200
    assert "after you opened it, so your edit was not saved" in response.content.decode()
    decision.refresh_from_db()
    assert decision.title == "Changed meanwhile"


def test_a_draft_is_deleted_a_published_decision_is_not(office, seeded):
    record = make_record(day=date(2026, 12, 2))
    published = make_decision(day=date(2026, 12, 2), record=record)
    draft = make_decision(day=date(2026, 12, 2), record=record, published_at=None, title="D")
    fields = screen_form(office)
    rows = {fields[f"decisions-{i}-id"][0]: i for i in range(2)}
    fields[f"decisions-{rows[str(draft.pk)]}-DELETE"] = ["on"]
    fields[f"decisions-{rows[str(published.pk)]}-DELETE"] = ["on"]  # a crafted tick
    assert post(office, SCREEN, fields).status_code == 302
    assert list(Decision.objects.values_list("pk", flat=True)) == [published.pk]


def test_cancelling_the_meeting_chosen_writes_the_services_entry(office, seeded):
    form = office.get(f"{SCREEN}cancel/")
    assert form.status_code == 200
    html = form.content.decode()
    assert "Wednesday 2 December 2026" in html and 'name="date"' not in html
    before = ChangeEntry.objects.count()
    response = office.post(f"{SCREEN}cancel/", {"note": "No agenda items"})
    assert response.status_code == 302 and response["Location"] == SCREEN
    cancellation = Cancellation.objects.get(series__group__slug="psg", date=date(2026, 12, 2))
    assert cancellation.note == "No agenda items"
    assert ChangeEntry.objects.count() == before + 1
    assert entries(kind="meeting_cancelled") == ["meeting_cancelled"]
    screen = office.get(SCREEN).content.decode()
    assert "Cancelled." in screen and f"{SCREEN}cancel/" not in screen
    again = office.post(f"{SCREEN}cancel/", {"note": ""})
    assert again.status_code == 409 and "is cancelled" in again.content.decode()


def test_moving_the_meeting_chosen_asks_only_the_new_time(office, seeded):
    url = f"{SITAG}2026-12-16/move/"
    html = office.get(url).content.decode()
    assert 'value="2026-12-16"' in html  # the new date starts at the old one
    before = ChangeEntry.objects.count()
    response = office.post(
        url, {"date": "2026-12-17", "start": "10:00", "end": "12:00", "note": "Room clash"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{SITAG}2026-12-17/"
    move = Move.objects.get(series__group__slug="sitag", original_date=date(2026, 12, 16))
    assert move.start == datetime(2026, 12, 17, 10, 0, tzinfo=LONDON)
    assert ChangeEntry.objects.count() == before + 1
    assert entries(kind="meeting_moved") == ["meeting_moved"]
    moved = office.get(f"{SITAG}2026-12-17/").content.decode()
    assert "Moved from Wednesday 16 December 2026" in moved
    # Moved again from its new date: the same move changes, one entry more.
    response = office.post(
        f"{SITAG}2026-12-17/move/", {"date": "2026-12-18", "start": "10:00", "end": "11:00"}
    )
    assert response.status_code == 302
    assert Move.objects.filter(series__group__slug="sitag").count() == 1
    assert entries(kind="move_changed") == ["move_changed"]


def test_a_bad_move_is_refused_with_the_form(office, seeded):
    response = office.post(
        f"{SITAG}2026-12-16/move/", {"date": "2026-12-17", "start": "12:00", "end": "10:00"}
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    past = office.post(
        f"{SITAG}2026-12-16/move/", {"date": "2026-11-25", "start": "10:00", "end": "12:00"}
    )
    assert past.status_code == 400 and "not moved into the past" in past.content.decode()
    assert not Move.objects.filter(series__group__slug="sitag").exists()


@pytest.mark.parametrize(
    "path",
    [
        "psg/2026-12-05/",  # a Saturday: no meeting
        "psg/2026-12-05/cancel/",
        "psg/2026-12-05/move/",
        "psg/5-12-2026/",
        "no-such-group/2026-12-02/",
    ],
)
def test_a_typed_date_that_is_no_meeting_is_refused_clearly(office, seeded, path):
    response = office.post(f"/admin/records/meetingrecord/meetings/{path}", {"note": "x"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "choose" in html
    assert not Cancellation.objects.filter(date=date(2026, 12, 5)).exists()
    assert not MeetingRecord.objects.filter(date=date(2026, 12, 5)).exists()


def test_a_held_meeting_is_neither_cancelled_nor_moved(office, seeded):
    response = office.post("/admin/records/meetingrecord/meetings/psg/2026-11-04/cancel/")
    assert response.status_code == 409 and "has been held" in response.content.decode()


def test_who_may_open_the_screen(client, staff_user, office, seeded):
    assert client.get(SCREEN).status_code == 302  # anonymous: to the sign-in page
    staff = signed_in(staff_user)
    for url in (
        SCREEN,
        f"{SCREEN}cancel/",
        f"{SCREEN}move/",
        "/admin/records/meetingrecord/meetings/psg/",
    ):
        assert staff.get(url).status_code == 403, url
    assert staff.post(f"{SCREEN}cancel/", {"note": ""}).status_code == 403
    assert not Cancellation.objects.filter(date=date(2026, 12, 2)).exists()
    assert office.get(SCREEN).status_code == 200


def test_the_screen_runs_the_same_queries_whatever_it_holds(office, seeded):
    record = make_record(day=date(2026, 12, 2))

    def add_one_of_each(n):
        make_document(record, title=f"Paper {n}", name=f"p{n}.pdf")
        make_decision(day=date(2026, 12, 2), record=record, title=f"Decision {n}")
        make_action(record, description=f"Action {n}")

    add_one_of_each(0)
    office.get(SCREEN)
    with CaptureQueriesContext(connection) as few:
        assert office.get(SCREEN).status_code == 200
    for n in range(1, 6):
        add_one_of_each(n)
    with CaptureQueriesContext(connection) as many:
        assert office.get(SCREEN).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many.captured_queries)
    listing = "/admin/records/meetingrecord/meetings/psg/"
    with CaptureQueriesContext(connection) as list_few:
        office.get(listing)
    make_record(day=date(2027, 1, 6))
    with CaptureQueriesContext(connection) as list_many:
        office.get(listing)
    assert len(list_many) == len(list_few)


def test_the_series_page_picks_the_meeting_from_its_dates(office, seeded):
    """Cancel and move on a series' page too: the meeting is chosen from its dates."""
    sitag = GovernanceGroup.objects.get(slug="sitag")
    series = meeting_on(sitag, date(2026, 12, 16)).occurrence.series
    html = office.get(f"/admin/meetings/meetingseries/{series.pk}/change/").content.decode()
    for name in ("cancellations-__prefix__-date", "moves-__prefix__-original_date"):
        field = html.split(f'name="{name}"', 1)[0].rsplit("<", 1)[1]
        assert field.startswith("select"), name
    assert '<option value="2026-12-16">Wednesday 16 December 2026</option>' in html
    assert '<option value="2026-12-17">' not in html  # not a SITAG date


def test_two_first_saves_at_once_give_the_later_its_form_back_with_409_not_a_500(
    office, seeded, monkeypatch
):
    """The screen read no record, then another save made one before this one's: the
    database's (group, date) constraint refuses this one, and the form comes back as typed
    with a 409 (core.admin), nothing of it written."""
    fields = screen_form(office)
    fields["joining_details"] = ["Mine"]
    original = MeetingRecord.save

    def other_save_first(record, *args, **kwargs):
        if record.joining_details == "Mine":
            theirs = MeetingRecord(group=record.group, date=record.date, joining_details="Theirs")
            original(theirs)
        return original(record, *args, **kwargs)

    monkeypatch.setattr(MeetingRecord, "save", other_save_first)
    response = post(office, SCREEN, fields)
    assert response.status_code == 409
    assert "Mine" in response.content.decode()  # the form as typed
    # In one process the other save shares this transaction, so it is rolled back too:
    # what counts is that this one wrote nothing and answered 409, not 500.
    assert not MeetingRecord.objects.filter(joining_details="Mine").exists()
