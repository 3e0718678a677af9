"""Documents: uploaded in the admin, sniffed by content, served as attachments from their
publish time, and never left orphaned in storage."""

from datetime import date, timedelta
from email.message import Message

import pytest
from concurrency.exceptions import RecordModifiedError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import clock
from records.files import MAX_BYTES, safe_name
from records.models import Document, MeetingRecord
from records.services import document_save
from tests.conftest import PINNED_NOW
from tests.records.conftest import (
    HTML,
    PDF,
    PSG_DAY,
    fill_document,
    make_document,
    make_record,
    new_record_form,
    office_file,
    post,
    record_form,
    stored_files,
)

MEETING = "/groups/psg/meetings/2026-12-02/"
ADD = "/admin/records/meetingrecord/add/"


def attachment_name(response) -> str:
    message = Message()
    message["content-disposition"] = response["Content-Disposition"]
    assert message.get_content_disposition() == "attachment"
    return message.get_filename()


def status_of(client, url) -> int:
    """The status of a GET, the response (a file, maybe) read and closed."""
    response = client.get(url)
    if response.streaming:  # read to the end: the test client then closes the file
        b"".join(response.streaming_content)
    return response.status_code


def download_link(html: str, title: str) -> str:
    before = html.split(f">{title}</a>", 1)[0]
    return before.rsplit('<a href="', 1)[1].split('"', 1)[0]


def test_a_pdf_uploaded_by_the_programme_office_downloads_from_the_meeting_page(
    office, seeded, now, media
):
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Migration plan v2",
        upload=SimpleUploadedFile("Migration plan (v2).PDF", PDF, "application/pdf"),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    (document,) = Document.objects.all()
    assert document.content_type == "application/pdf"
    assert document.original_name == "Migration_plan_v2.pdf"
    assert document.size == len(PDF)
    assert document.updated_by.username == "pmo"

    html = office.get(MEETING).content.decode()
    link = download_link(html, "Migration plan v2")
    assert link == f"/groups/psg/meetings/2026-12-02/documents/{document.pk}/"
    download = office.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert attachment_name(download) == "Migration_plan_v2.pdf"
    assert b"".join(download.streaming_content) == PDF
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("agenda.pdf", HTML, "not one of the allowed types"),
        ("agenda.txt", HTML, "not one of the allowed types"),
        ("agenda.txt", b"\n   " + HTML, "not one of the allowed types"),
        ("agenda.csv", b"<svg onload=alert(1)>", "not one of the allowed types"),
        ("agenda.pdf", b"GIF89a" + b"\0" * 64, "image/gif, which is not allowed"),
        ("agenda.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64, "not allowed"),
        ("agenda.pdf", b"", "The submitted file is empty"),
        ("agenda.docx", b"PK\x03\x04" + b"\0" * 64, "not allowed"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_stored(
    office, seeded, now, media, name, content, says
):
    fields = fill_document(
        new_record_form(office),
        0,
        kind="agenda",
        title="Agenda",
        upload=SimpleUploadedFile(name, content),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert says in html
    if content:  # (an empty file is refused by Django's own check, before the type is read)
        allowed = "Upload a PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV or plain text"
        assert allowed in html
    assert not MeetingRecord.objects.exists()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_26_mb_file_is_refused_with_the_limit_and_nothing_is_stored(office, seeded, now, media):
    content = PDF + b"0" * (26 * 1024 * 1024 - len(PDF))
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Big papers",
        upload=SimpleUploadedFile("big.pdf", content),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 200
    assert "The file is 26.0 MB: the limit is 25 MB." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_file_of_exactly_25_mb_is_accepted(seeded, now, media):
    content = PDF + b"0" * (MAX_BYTES - len(PDF))
    document = make_document(make_record(), content=content)
    assert document.size == MAX_BYTES


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("minutes.docx", office_file("word"), "wordprocessingml.document", "minutes.docx"),
        ("actions.xlsx", office_file("xl"), "spreadsheetml.sheet", "actions.xlsx"),
        ("slides.pptx", office_file("ppt"), "presentationml.presentation", "slides.pptx"),
        ("slides.pdf", office_file("ppt"), "presentationml.presentation", "slides.pptx"),
        ("register.csv", b"ref,title\nPSG-2027-001,Plan\n", "text/csv; charset=utf-8", None),
        ("notes.txt", "Caf\u00e9 notes\n".encode(), "text/plain; charset=utf-8", None),
        ("bom.txt", "\ufeffCaf\u00e9\n".encode(), "text/plain; charset=utf-8", None),
        (
            "notes.txt",
            "Caf\u00e9 notes\n".encode("cp1252"),
            "text/plain; charset=windows-1252",
            None,
        ),
        ("no name", b"Plain words\n", "text/plain; charset=utf-8", "no_name.txt"),
    ],
)
def test_allowed_types_are_read_from_the_content_and_named_by_it(
    seeded, now, name, content, content_type, stored_as
):
    document = make_document(make_record(), name=name, content=content)
    if content_type.startswith("text/"):
        assert document.content_type == content_type
    else:
        assert (
            document.content_type == f"application/vnd.openxmlformats-officedocument.{content_type}"
        )
    assert document.original_name == (stored_as or name)


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ('evil"; filename=x.html.pdf', "pdf", "evil_filenamex.html.pdf"),
        ("..pdf", "pdf", "document.pdf"),
        ("_-draft.-_.pdf", "pdf", "draft.pdf"),
        ("a__b   c.pdf", "pdf", "a_b_c.pdf"),
        ("Xray XX.pdf", "pdf", "Xray_XX.pdf"),
        ("", "txt", "document.txt"),
        ("Board pack \u2013 final.docx", "docx", "Board_pack_final.docx"),
    ],
)
def test_original_names_are_made_safe_to_store_and_send(name, extension, expected):
    assert safe_name(name, extension) == expected


def test_a_document_with_a_future_publish_time_is_404_until_then(
    client, seeded, monkeypatch, media
):
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW)
    publish_at = PINNED_NOW + timedelta(hours=2)
    document = make_document(make_record(), title="Embargoed papers", publish_at=publish_at)
    url = document.get_absolute_url()
    assert status_of(client, url) == 404
    page = client.get(MEETING).content.decode()
    assert "Embargoed papers" not in page
    assert "No papers are published for this meeting yet." in page

    monkeypatch.setattr(clock, "now", lambda: publish_at)
    assert status_of(client, url) == 200
    assert "Embargoed papers" in client.get(MEETING).content.decode()


def test_a_document_is_only_found_under_its_own_meeting(client, seeded, now):
    document = make_document(make_record())
    assert (
        client.get(f"/groups/psg/meetings/2026-11-04/documents/{document.pk}/").status_code == 404
    )
    assert (
        client.get(f"/groups/sitwg/meetings/2026-12-02/documents/{document.pk}/").status_code == 404
    )
    assert client.get(f"{MEETING}documents/999999/").status_code == 404


def test_a_replaced_file_is_removed_from_storage(
    office, seeded, now, media, django_capture_on_commit_callbacks
):
    record = make_record()
    document = make_document(record, name="v1.pdf")
    first = document.file.name
    url = f"/admin/records/meetingrecord/{record.pk}/change/"
    fields = record_form(office, url)
    fields["documents-0-file"] = SimpleUploadedFile("v2.pdf", PDF + b"% v2\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(office, url, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert document.original_name == "v2.pdf"
    assert stored_files(media) == [document.file.name]
    assert first not in stored_files(media)


def test_a_deleted_document_and_its_record_leave_no_file(
    office, seeded, now, media, django_capture_on_commit_callbacks
):
    record = make_record()
    make_document(record)
    make_document(record, kind="agenda", title="Agenda", name="agenda.pdf")
    assert len(stored_files(media)) == 2
    url = f"/admin/records/meetingrecord/{record.pk}/change/"
    fields = record_form(office, url)
    fields["documents-0-DELETE"] = ["on"]
    with django_capture_on_commit_callbacks(execute=True):
        assert post(office, url, fields).status_code == 302
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(f"/admin/records/meetingrecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_stale_document_save_is_refused_and_leaves_no_new_file(office, seeded, now, media):
    record = make_record()
    document = make_document(record, name="v1.pdf")
    url = f"/admin/records/meetingrecord/{record.pk}/change/"
    fields = record_form(office, url)
    document.title = "Renamed by someone else"
    document.save()
    fields["documents-0-file"] = SimpleUploadedFile("v2.pdf", PDF + b"% v2\n")
    response = post(office, url, fields)
    assert response.status_code == 200
    assert "after you opened it, so your edit was not saved" in response.content.decode()
    document.refresh_from_db()
    assert document.original_name == "v1.pdf"
    assert stored_files(media) == [document.file.name]


def test_a_record_needs_a_date_the_group_meets_on(office, seeded, now):
    fields = new_record_form(office)
    fields["date"] = ["2026-12-03"]
    response = post(office, ADD, fields)
    assert response.status_code == 200
    assert "PSG has no meeting on Thursday 3 December 2026" in response.content.decode()
    assert not MeetingRecord.objects.exists()
    assert PSG_DAY.isoformat() == "2026-12-02"


def test_a_save_refused_after_its_file_was_stored_removes_the_file(seeded, now, media):
    """A stale edit that races past the form's check: the new file is stored by the save,
    which the version check then refuses; the file must not be left behind."""
    document = make_document(make_record(), name="v1.pdf")
    stale = Document.objects.get(pk=document.pk)
    document.title = "Someone else's edit"
    document.save()
    stale.file = SimpleUploadedFile("v2.pdf", PDF + b"% v2\n")
    with pytest.raises(RecordModifiedError):
        document_save(document=stale, by=None)
    assert stored_files(media) == [document.file.name]


def test_a_refused_save_without_a_new_file_keeps_the_stored_file(seeded, now, media):
    document = make_document(make_record(), name="v1.pdf")
    stale = Document.objects.get(pk=document.pk)
    document.title = "Someone else's edit"
    document.save()
    stale.title = "My edit"
    with pytest.raises(RecordModifiedError):
        document_save(document=stale, by=None)
    assert stored_files(media) == [document.file.name]


def test_the_programme_office_back_fills_a_paper_with_its_first_published_date(
    office, seeded, now, media
):
    """A paper published elsewhere on 28 October, added here today for the 4 November
    meeting; a first published date after "public from" is refused with a message."""
    fields = fill_document(
        new_record_form(office, day=date(2026, 11, 4)),
        0,
        kind="agenda",
        title="PSG agenda, 4 November",
        upload=SimpleUploadedFile("agenda.pdf", PDF, "application/pdf"),
        publish_at=PINNED_NOW,
    )
    fields["documents-0-first_published"] = ["2026-11-27"]
    response = post(office, ADD, fields)
    assert response.status_code == 200
    assert "It is public here from 26 November 2026, so it was first published on that day" in (
        response.content.decode()
    )
    assert not Document.objects.exists()
    fields["documents-0-file"] = SimpleUploadedFile("agenda.pdf", PDF, "application/pdf")
    fields["documents-0-first_published"] = ["2026-10-28"]
    response = post(office, ADD, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    (document,) = Document.objects.all()
    assert document.first_published == date(2026, 10, 28) and document.is_back_filled
    html = office.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert 'first published <time datetime="2026-10-28">28 October 2026</time>' in html


def test_a_document_without_a_first_published_date_was_first_published_when_public(seeded):
    document = make_document(make_record(), publish_at=PINNED_NOW + timedelta(days=3))
    assert document.first_published is None
    assert document.published_on == date(2026, 11, 29) and not document.is_back_filled
