"""Each change to meeting records is logged by the service that makes it, in its
transaction: one entry of its kind with its subject, made through the admin or the service.
Published for later: logged when saved, visible from the publication time, and nothing of
it public before then, whatever changes in between."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from changelog.models import ChangeEntry
from changelog.services import subject_of
from core import clock
from records.enums import ActionStatus, DecisionStatus, RecordChangeKind
from records.models import Document
from records.services import (
    action_save,
    decision_delete,
    decision_save,
    document_delete,
    document_save,
)
from tests.records.conftest import (
    PDF,
    fill_document,
    make_action,
    make_decision,
    make_document,
    make_record,
    post,
    record_form,
)

Kind = RecordChangeKind


def logged(kind) -> list[ChangeEntry]:
    return list(ChangeEntry.objects.filter(kind=kind))


def the_one(kind) -> ChangeEntry:
    (entry,) = logged(kind)
    return entry


def record_url(record) -> str:
    return f"/admin/records/meetingrecord/{record.pk}/change/"


def row_prefix(fields, prefix, pk) -> str:
    """The inline row of ``prefix`` (documents, actions) holding the row ``pk``."""
    return next(
        k.removesuffix("-id")
        for k, v in fields.items()
        if k.startswith(f"{prefix}-") and k.endswith("-id") and v == [str(pk)]
    )


# Documents


def test_a_document_added_in_the_admin_is_logged(office, seeded, now):
    record = make_record()
    assert not logged(Kind.DOCUMENT_ADDED)
    fields = fill_document(
        record_form(office, record_url(record)),
        0,
        kind="agenda",
        title="Agenda",
        upload=SimpleUploadedFile("agenda.pdf", PDF),
    )
    assert post(office, record_url(record), fields).status_code == 302
    entry = the_one(Kind.DOCUMENT_ADDED)
    assert entry.subject == subject_of(record) == "record:psg/2026-12-02"
    assert entry.after == "Agenda" and entry.visible_at <= now


def test_a_published_document_renamed_in_the_admin_is_logged(office, seeded, now):
    """The bug a reviewer planted and no test caught: a rename without an entry."""
    record = make_record()
    document = make_document(record, title="Papers v1")
    fields = record_form(office, record_url(record))
    fields[row_prefix(fields, "documents", document.pk) + "-title"] = ["Papers v2"]
    assert not logged(Kind.DOCUMENT_CHANGED)
    assert post(office, record_url(record), fields).status_code == 302
    entry = the_one(Kind.DOCUMENT_CHANGED)
    assert (entry.before, entry.after) == ("Papers v1", "Papers v2")
    assert entry.subject == subject_of(record) and entry.summary.startswith("Papers renamed")


def test_a_published_document_deleted_in_the_admin_is_logged(office, seeded, now):
    record = make_record()
    document = make_document(record, title="Papers v1")
    fields = record_form(office, record_url(record))
    fields[row_prefix(fields, "documents", document.pk) + "-DELETE"] = ["on"]
    assert not logged(Kind.DOCUMENT_REMOVED)
    assert post(office, record_url(record), fields).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    entry = the_one(Kind.DOCUMENT_REMOVED)
    assert entry.before == "Papers v1" and entry.subject == subject_of(record)


def test_saving_the_record_form_unchanged_writes_nothing(office, seeded, now, monkeypatch):
    record = make_record()
    document = make_document(record)
    make_action(record)
    entries = ChangeEntry.objects.count()
    later = now + timedelta(minutes=30)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (
        post(office, record_url(record), record_form(office, record_url(record))).status_code == 302
    )
    assert ChangeEntry.objects.count() == entries
    stored = Document.objects.get(pk=document.pk)
    assert (stored.version, stored.updated_at) == (document.version, document.updated_at)


def test_an_embargoed_document_is_logged_for_its_publication_time(seeded, now):
    """Its entry is written at save, visible from its publication time: its title is in
    no public reader before then; a rename or a new time while embargoed moves that one
    entry, never adding a second."""
    record = make_record()
    public_at = now + timedelta(days=2)
    document = make_document(record, title="Secret plan", publish_at=public_at)
    entry = the_one(Kind.DOCUMENT_ADDED)
    assert entry.visible_at == public_at and entry.after == "Secret plan"
    assert not ChangeEntry.objects.visible(now).exists()
    document.title = "Secret plan v2"
    document.publish_at = public_at + timedelta(days=1)
    document_save(document=document, by=None)
    entry = the_one(Kind.DOCUMENT_ADDED)
    assert entry.visible_at == public_at + timedelta(days=1) and entry.after == "Secret plan v2"
    assert not logged(Kind.DOCUMENT_CHANGED)
    assert not ChangeEntry.objects.visible(now).exists()
    # Published now after all: one entry, visible now.
    document.publish_at = now
    document_save(document=document, by=None)
    assert the_one(Kind.DOCUMENT_ADDED).visible_at == now
    assert not ChangeEntry.objects.filter(visible_at__gt=now).exists()


def test_an_embargoed_document_deleted_leaves_nothing(seeded, now):
    record = make_record()
    keep = make_document(record, title="Agenda", kind="agenda", publish_at=now + timedelta(days=1))
    gone = make_document(record, title="Secret plan", publish_at=now + timedelta(days=2))
    assert len(logged(Kind.DOCUMENT_ADDED)) == 2
    document_delete(document=gone, by=None)
    assert the_one(Kind.DOCUMENT_ADDED).after == keep.title
    assert not logged(Kind.DOCUMENT_REMOVED)
    assert not ChangeEntry.objects.filter(after__contains="Secret").exists()


# Decisions


def test_a_decision_published_changed_withdrawn_and_removed_is_logged(root, seeded, now):
    assert not logged(Kind.DECISION_PUBLISHED)
    decision = make_decision()
    subject = subject_of(decision)
    assert subject == "decision:PSG-2026-001"
    assert the_one(Kind.DECISION_PUBLISHED).subject == subject
    decision.rationale = "A clearer rationale."
    decision_save(decision=decision, by=None)
    assert the_one(Kind.DECISION_CHANGED).subject == subject
    decision.status, decision.status_reason = DecisionStatus.WITHDRAWN, "Overtaken."
    decision_save(decision=decision, by=None)
    assert the_one(Kind.DECISION_WITHDRAWN).subject == subject
    assert not logged(Kind.DECISION_REMOVED)
    delete = f"/admin/records/decision/{decision.pk}/delete/"
    assert root.post(delete, {"post": "yes"}).status_code == 302
    removed = the_one(Kind.DECISION_REMOVED)
    assert removed.subject == subject and removed.by.username == "admin"
    assert removed.summary == (
        "Decision PSG-2026-001 (PSG): removed from the register on 26 November 2026"
    )
    # The earlier entries keep their place, their title gone.
    for entry in ChangeEntry.objects.filter(subject=subject):
        assert "migration plan" not in (entry.summary + entry.before + entry.after).lower()


def test_a_decision_superseded_is_logged(seeded, now):
    old, new = make_decision(), make_decision(title="Approve the revised plan")
    old.status, old.superseded_by, old.status_reason = (
        DecisionStatus.SUPERSEDED,
        new,
        "Replaced by the revised plan.",
    )
    assert not logged(Kind.DECISION_SUPERSEDED)
    decision_save(decision=old, by=None)
    assert the_one(Kind.DECISION_SUPERSEDED).subject == subject_of(old)


def test_a_decision_published_for_later_is_logged_for_then(seeded, now):
    later = now + timedelta(days=3)
    decision = make_decision(published_at=later, title="Embargoed plan")
    entry = the_one(Kind.DECISION_PUBLISHED)
    assert entry.visible_at == later and entry.subject == subject_of(decision)
    assert not ChangeEntry.objects.visible(now).exists()
    # Edited while embargoed: the pending entry follows, nothing is public.
    decision.title = "Embargoed plan v2"
    decision.published_at = later + timedelta(days=1)
    decision_save(decision=decision, by=None)
    entry = the_one(Kind.DECISION_PUBLISHED)
    assert entry.visible_at == later + timedelta(days=1) and "v2" in entry.summary
    assert not logged(Kind.DECISION_CHANGED)
    assert not ChangeEntry.objects.visible(now).exists()
    assert ChangeEntry.objects.visible(later + timedelta(days=1)).count() == 1
    # Back to a draft: nothing is left to become public.
    decision.published_at = None
    decision_save(decision=decision, by=None)
    assert not logged(Kind.DECISION_PUBLISHED)


def test_a_decision_for_later_deleted_leaves_nothing(office, seeded, now):
    decision = make_decision(published_at=now + timedelta(days=3), title="Embargoed plan")
    decision_delete(decision=decision, by=None)
    assert not ChangeEntry.objects.filter(summary__contains="Embargoed").exists()


@pytest.mark.parametrize("seen_at", [timedelta(days=3), timedelta(days=30)])
def test_a_decision_for_later_is_public_from_its_time(client, seeded, now, monkeypatch, seen_at):
    make_decision(published_at=now + timedelta(days=3), title="Embargoed plan")
    assert "Embargoed plan" not in client.get("/api/changes/").content.decode()
    moment = now + seen_at
    monkeypatch.setattr(clock, "now", lambda: moment)
    assert "Embargoed plan" in client.get("/api/changes/").content.decode()


# Actions


def test_an_action_set_changed_and_closed_is_logged(seeded, now):
    record = make_record()
    assert not logged(Kind.ACTION_ADDED)
    action = make_action(record)
    assert the_one(Kind.ACTION_ADDED).subject == subject_of(record)
    action.owner = "Code Draft Working Group"
    action_save(action=action, by=None)
    assert the_one(Kind.ACTION_CHANGED).before == "owner: PMO"
    action.status = ActionStatus.CLOSED
    action_save(action=action, by=None)
    assert the_one(Kind.ACTION_CLOSED).before == "status: open"
    action_save(action=action, by=None)  # unchanged: nothing
    assert ChangeEntry.objects.filter(kind__startswith="action").count() == 3
