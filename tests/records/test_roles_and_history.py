"""Who may change meeting records, and every change recorded: the admin's history, the
public change log, and the data version that refreshes the pages."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from changelog.models import ChangeEntry
from records.enums import ActionStatus, DecisionStatus
from records.models import Action, Decision, MeetingRecord
from records.services import action_save, decision_save
from tests.conftest import signed_in
from tests.records.conftest import (
    PDF,
    PSG_DAY,
    fill_document,
    make_action,
    make_decision,
    make_document,
    make_record,
    new_record_form,
    post,
    record_form,
)

DECISION_ADD = "/admin/records/decision/add/"


def decision_form(client, url, **values):
    fields = record_form(client, url)
    fields.update({name: [value] for name, value in values.items()})
    return fields


@pytest.mark.parametrize(
    "url",
    [
        "/admin/records/meetingrecord/",
        "/admin/records/meetingrecord/add/",
        "/admin/records/decision/add/",
        "/admin/records/meetingrecord/overdue/",
    ],
)
def test_permissions_three_ways(client, staff_user, office, seeded, url):
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    assert signed_in(staff_user).get(url).status_code == 403
    assert office.get(url).status_code == 200


def test_the_programme_office_records_a_decision_through_the_admin(office, seeded, now):
    record = make_record(day=date(2026, 11, 4))
    fields = decision_form(
        office,
        DECISION_ADD,
        group=str(record.group_id),
        record=str(record.pk),
        date="2026-11-04",
        title="Migration plan approved",
        summary="Approved.",
        rationale="Meets the criteria.",
        status="made",
        published_at_0="2026-11-05",
        published_at_1="09:00:00",
    )
    response = post(office, DECISION_ADD, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert decision.reference == "PSG-2026-001"
    assert decision.updated_by.username == "pmo"
    entry = ChangeEntry.objects.get(kind="decision_published")
    assert entry.summary == "Decision PSG-2026-001 (PSG): Migration plan approved"
    assert entry.url == "/decisions/PSG-2026-001/"
    assert entry.by.username == "pmo"
    assert LogEntry.objects.filter(object_id=str(decision.pk)).exists()


def test_the_decision_form_offers_only_deciding_groups(office, seeded):
    html = office.get(DECISION_ADD).content.decode()
    group_select = html.split('name="group"', 1)[1].split("</select>", 1)[0]
    assert ">Programme Steering Group" in group_select
    assert "Code Draft Working Group" not in group_select


def test_a_published_decision_is_withdrawn_never_deleted(office, seeded, now):
    decision = make_decision()
    delete = f"/admin/records/decision/{decision.pk}/delete/"
    assert office.get(delete).status_code == 403
    assert office.post(delete, {"post": "yes"}).status_code == 403
    change = f"/admin/records/decision/{decision.pk}/change/"
    assert 'class="deletelink"' not in office.get(change).content.decode()
    bulk = office.post(
        "/admin/records/decision/",
        {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    asked = office.post(
        "/admin/records/decision/",
        {"action": "delete_selected", "_selected_action": [decision.pk]},
    )
    assert "delete a published decision (withdraw it instead)" in asked.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()
    refused = post(office, change, decision_form(office, change, status="withdrawn"))
    assert refused.status_code == 200
    assert "Say why it is withdrawn" in refused.content.decode()
    fields = decision_form(
        office, change, status="withdrawn", status_reason="Overtaken by the replan."
    )
    assert post(office, change, fields).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.WITHDRAWN
    entry = ChangeEntry.objects.get(kind="decision_withdrawn")
    assert entry.summary.startswith("Decision PSG-2026-001 (PSG) withdrawn")
    assert entry.after == "Withdrawn: Overtaken by the replan."
    assert entry.by.username == "pmo"


@pytest.mark.parametrize(
    "published_at",
    [
        {"published_at_0": "", "published_at_1": ""},  # cleared: a draft again
        {"published_at_0": "2026-12-01", "published_at_1": "09:00:00"},  # later: hidden again
    ],
)
def test_a_published_decision_cannot_be_unpublished(office, seeded, now, published_at):
    decision = make_decision()
    change = f"/admin/records/decision/{decision.pk}/change/"
    response = post(office, change, decision_form(office, change, **published_at))
    assert response.status_code == 200
    assert "a published decision stays on the register" in response.content.decode()
    decision.refresh_from_db()
    assert decision.published_at is not None and decision.is_published(now)
    delete = f"/admin/records/decision/{decision.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_draft_decision_may_be_deleted_and_a_superuser_may_delete_any(office, root, seeded, now):
    draft = make_decision(published_at=None)
    assert (
        office.post(f"/admin/records/decision/{draft.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not Decision.objects.filter(pk=draft.pk).exists()
    published = make_decision()
    assert (
        root.post(f"/admin/records/decision/{published.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not Decision.objects.filter(pk=published.pk).exists()


def test_a_draft_is_not_in_the_change_log_until_published(seeded, now):
    decision = make_decision(published_at=None)
    assert not ChangeEntry.objects.filter(kind__startswith="decision").exists()
    decision.published_at = now - timedelta(minutes=1)
    decision_save(decision=decision, by=None)
    assert ChangeEntry.objects.filter(kind="decision_published").count() == 1


def test_documents_and_actions_are_in_the_change_log(office, seeded, now):
    fields = fill_document(
        new_record_form(office),
        0,
        kind="agenda",
        title="Agenda",
        upload=SimpleUploadedFile("agenda.pdf", PDF),
    )
    fields.update(
        {
            "actions-0-description": ["Circulate the plan"],
            "actions-0-owner": ["PMO"],
            "actions-0-due": ["2026-12-09"],
        }
    )
    assert post(office, "/admin/records/meetingrecord/add/", fields).status_code == 302
    action = Action.objects.get()
    assert action.reference == "PSG-2026-A001" and action.updated_by.username == "pmo"
    kinds = {e.kind: e for e in ChangeEntry.objects.all()}
    assert kinds["document_added"].summary == (
        "Agenda published: PSG meeting of Wednesday 2 December 2026"
    )
    assert kinds["document_added"].url == "/groups/psg/meetings/2026-12-02/"
    assert kinds["action_added"].after == "Circulate the plan (owner: PMO)"
    action.status = ActionStatus.CLOSED
    action_save(action=action, by=None)
    assert ChangeEntry.objects.get(kind="action_closed").before == "status: open"


def test_an_embargoed_documents_title_stays_out_of_the_change_log(client, seeded, now):
    """Logged when saved, visible only from its publication time: until then no public
    reader shows it."""
    make_document(make_record(), title="Secret plan", publish_at=now + timedelta(days=2))
    (entry,) = ChangeEntry.objects.all()
    assert entry.summary == "Papers published: PSG meeting of Wednesday 2 December 2026"
    assert entry.visible_at == now + timedelta(days=2)
    for url in ("/changes/", "/api/changes/", "/changes.atom", "/groups/psg/changes.atom"):
        assert "Secret plan" not in client.get(url).content.decode(), url


def test_changes_reach_the_public_pages_on_the_next_request(client, seeded, now):
    record = make_record()
    assert "No papers are published" in client.get(record.get_absolute_url()).content.decode()
    make_document(record, title="Fresh papers")
    assert "Fresh papers" in client.get(record.get_absolute_url()).content.decode()
    make_action(record, description="New action")
    assert "New action" in client.get(record.get_absolute_url()).content.decode()


def test_the_actions_api(client, seeded, now):
    record = make_record(day=date(2026, 11, 4))
    make_action(record, due=date(2026, 11, 20))
    make_action(record, status=ActionStatus.CLOSED)
    make_action(make_record(day=PSG_DAY), description="Next one")
    found = client.get("/api/actions/?group=psg&status=open").json()
    assert found["count"] == 2
    assert found["actions"][0] == {
        "reference": "PSG-2026-A001",
        "group": "psg",
        "meeting": "2026-11-04",
        "meeting_url": "http://testserver/groups/psg/meetings/2026-11-04/",
        "description": "Circulate the revised plan",
        "owner": "PMO",
        "due": "2026-11-20",
        "status": "open",
    }
    assert client.get("/api/actions/").json()["count"] == 3
    for query in ("status=done", "group=nope", "status=open&status=closed"):
        response = client.get(f"/api/actions/?{query}")
        assert response.status_code == 400 and "errors" in response.json()


def test_the_meeting_page_shows_actions_and_overdue_ones(client, seeded, now):
    record = make_record(day=date(2026, 11, 4))
    make_action(record, due=date(2026, 11, 20))
    html = client.get(record.get_absolute_url()).content.decode()
    assert "PSG-2026-A001" in html and '<strong class="late">Open, overdue</strong>' in html


def test_a_reset_of_the_seed_is_refused_while_records_exist(seeded, now):
    record = make_record()
    with pytest.raises(CommandError, match="a reset would delete them"):
        call_command("seed_governance", "--reset", "--noinput")
    assert MeetingRecord.objects.filter(pk=record.pk).exists()
