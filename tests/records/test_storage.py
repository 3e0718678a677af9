"""Storage faults on local disk: a full disk, a removal that fails, files left behind, and the
upload folder's leftovers; and the one-line fields that refuse control characters."""

import logging
import os
import shutil
import subprocess
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.media import LocalStorage, media_storage, prepare_upload_temp_dir
from core.validators import no_control_characters
from meetings.models import Cancellation, MeetingSeries
from mhhs_gov import settings as production
from records.models import Document, PendingFileRemoval
from tests.conftest import PINNED_NOW
from tests.records.conftest import (
    PDF,
    fill_document,
    make_action,
    make_decision,
    make_document,
    make_record,
    new_record_form,
    post,
    record_form,
    stored_files,
)

ADD = "/admin/records/meetingrecord/add/"
# A PDF of 2 MB (kept in memory while it arrives: Django spools only uploads over 2.5 MB).
BIG_PDF = PDF + b"%" + b"x" * (2 * 1024 * 1024) + b"\n"


def age(path, delta):
    """Set a file's modification time ``delta`` before the pinned now."""
    moment = (PINNED_NOW - delta).timestamp()
    os.utime(path, (moment, moment))


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs of this test's own (root only), unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a 1 MB tmpfs needs root and mount(8)")
    path = tmp_path / "small-disk"
    path.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=True, timeout=10)


def test_local_storage_is_the_storage_that_cleans_up_after_itself():
    assert media_storage({}) == {"BACKEND": "core.media.LocalStorage"}


def test_a_full_disk_is_a_clear_507_and_no_part_of_the_file_is_left(
    office, seeded, now, settings, small_disk
):
    settings.MEDIA_ROOT = small_disk
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", BIG_PDF),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 507
    assert "disk is full" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert stored_files(small_disk) == []
    assert not Document.objects.exists()


def test_a_full_upload_folder_is_a_clear_507_and_leaves_no_temporary_file(
    office, seeded, now, settings, small_disk
):
    settings.FILE_UPLOAD_TEMP_DIR = small_disk
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # spool the upload to the small disk
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", BIG_PDF),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 507
    assert "disk is full" in response.content.decode()
    assert list(small_disk.iterdir()) == []
    assert not Document.objects.exists()


def test_local_storage_removes_a_file_it_could_not_write_whole(tmp_path):
    class FailingUpload(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield b"%PDF-1.7 the first part"
            raise OSError(28, "No space left on device")

    storage = LocalStorage(location=tmp_path)
    with pytest.raises(OSError):
        storage.save("documents/a/plan.pdf", FailingUpload("plan.pdf", PDF))
    assert stored_files(tmp_path) == []


def test_a_delete_whose_file_removal_fails_succeeds_logs_and_queues_the_file(
    office, seeded, now, media, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    record = make_record()
    document = make_document(record)
    name = document.file.name

    def unreachable(self, name):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(LocalStorage, "delete", unreachable)
    url = f"/admin/records/meetingrecord/{record.pk}/change/"
    fields = record_form(office, url)
    fields["documents-0-DELETE"] = ["on"]
    with (
        caplog.at_level(logging.WARNING, logger="records.storage"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert post(office, url, fields).status_code == 302
    assert not Document.objects.exists()
    assert [r.getMessage() for r in caplog.records if name in r.getMessage()]
    assert list(PendingFileRemoval.objects.values_list("name", flat=True)) == [name]
    assert stored_files(media) == [name]

    monkeypatch.undo()  # storage answers again; clock pinned anew below
    monkeypatch.setattr("core.clock.now", lambda: PINNED_NOW)
    age(media / name, timedelta(hours=2))
    out = StringIO()
    call_command("sweep_media", stdout=out)
    assert f"unreferenced {name} (queued)" in out.getvalue()
    assert stored_files(media) == [name]  # only listed
    call_command("sweep_media", "--delete", stdout=StringIO())
    assert stored_files(media) == []
    assert not PendingFileRemoval.objects.exists()


def test_sweep_media_lists_and_removes_only_files_no_document_points_to(seeded, now, media):
    kept = make_document(make_record()).file.name
    orphan = media / "documents" / "0123abcd" / "left.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(PDF)
    fresh = media / "documents" / "4567ef01" / "arriving.pdf"
    fresh.parent.mkdir(parents=True)
    fresh.write_bytes(PDF)
    for path in (media / kept, orphan):
        age(path, timedelta(days=2))
    age(fresh, timedelta(minutes=5))
    PendingFileRemoval.objects.create(name="documents/89ab/gone.pdf")

    out = StringIO()
    call_command("sweep_media", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "unreferenced documents/0123abcd/left.pdf",
        "unreferenced documents/4567ef01/arriving.pdf (recent)",
        "queued, no longer stored documents/89ab/gone.pdf",
        "2 unreferenced files. Run with --delete to remove them.",
    ]
    assert len(stored_files(media)) == 3

    out = StringIO()
    call_command("sweep_media", "--delete", stdout=out)
    assert "Removed 1 files; kept 1" in out.getvalue()
    assert stored_files(media) == sorted([kept, "documents/4567ef01/arriving.pdf"])
    assert not PendingFileRemoval.objects.exists()


def test_upload_leftovers_over_a_day_old_are_removed_at_start(tmp_path, now):
    folder = tmp_path / "uploads"
    assert prepare_upload_temp_dir(folder, now=now) == []  # created
    old = folder / "old.upload"
    old.write_bytes(b"x")
    age(old, timedelta(days=1, minutes=1))
    recent = folder / "recent.upload"
    recent.write_bytes(b"x")
    age(recent, timedelta(hours=23))
    assert prepare_upload_temp_dir(folder, now=now) == ["old.upload"]
    assert sorted(p.name for p in folder.iterdir()) == ["recent.upload"]


def test_uploads_are_spooled_in_the_projects_own_folder():
    assert production.FILE_UPLOAD_TEMP_DIR == production.BASE_DIR / "var" / "uploads"


# One-line fields.


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("Plan\nv2", "a line break"),
        ("Plan\rv2", "a carriage return"),
        ("Plan\0", "a NUL character"),
        ("Plan\tv2", "the control character U+0009"),
        ("Plan\x85v2", "the control character U+0085"),
    ],
)
def test_one_line_text_refuses_control_characters(value, what):
    with pytest.raises(ValidationError) as refused:
        no_control_characters(value)
    assert refused.value.code == "control_characters"
    assert refused.value.messages == [
        f"This is one line of text: remove {what}. Line breaks, tabs and other control "
        "characters are not allowed here."
    ]


def test_one_line_text_takes_any_printable_text():
    no_control_characters("Plan v2 – £5 · ünïcode “quoted” ✓")


def test_a_document_title_with_a_line_break_is_a_form_error(office, seeded, now, media):
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Plan\r\nInjected: header",
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )
    response = post(office, ADD, fields)
    assert response.status_code == 200
    assert "This is one line of text: remove a carriage return." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: make_decision(title="Approve\nthe plan"), "title"),
        (lambda: make_decision(title="Approve\0"), "title"),
        (lambda: make_action(make_record(), owner="PMO\r\nBcc: x"), "owner"),
    ],
)
def test_one_line_record_fields_with_a_control_character_are_refused(seeded, now, make, field):
    with pytest.raises(ValidationError) as refused:
        make()
    assert field in refused.value.message_dict


def test_meeting_one_line_fields_refuse_control_characters(seeded):
    series = MeetingSeries.objects.regular().first()
    series.title = "Main\nseries"
    with pytest.raises(ValidationError) as refused:
        series.full_clean()
    assert "title" in refused.value.message_dict
    fields = {field.name: field for field in Cancellation._meta.fields}
    assert no_control_characters in fields["note"].validators
