"""Meeting records for tests: documents made as the admin makes them, files in a temporary
media folder, and the admin's meeting form filled as a browser fills it."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from groups.models import GovernanceGroup
from records.models import Action, DeadlinePolicy, Decision, Document, MeetingRecord
from records.services import action_save, decision_save, document_save
from tests.conftest import LONDON, PINNED_NOW
from tests.forms import form_fields

# PSG's meeting of Wednesday 2 December 2026, 10:00 to 12:00: a week after the pinned now.
PSG_DAY = date(2026, 12, 2)
PSG_PAST_DAY = date(2026, 11, 4)
PUBLISHED = datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def office_file(kind: str) -> bytes:
    """A minimal Office Open XML package of ``kind`` (word, xl or ppt)."""
    main = {"word": "word/document.xml", "xl": "xl/workbook.xml", "ppt": "ppt/presentation.xml"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr(main[kind], "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def group(slug):
    return GovernanceGroup.objects.get(slug=slug)


def make_record(slug="psg", day=PSG_DAY, **fields) -> MeetingRecord:
    record = MeetingRecord(group=group(slug), date=day, **fields)
    record.full_clean()
    record.save()
    return record


def make_document(
    record,
    *,
    kind="papers",
    title="Papers",
    content=PDF,
    name="papers.pdf",
    publish_at=PUBLISHED,
    first_published=None,
) -> Document:
    document = Document(
        record=record,
        kind=kind,
        title=title,
        file=SimpleUploadedFile(name, content),
        publish_at=publish_at,
        first_published=first_published,
    )
    return document_save(document=document, by=None)


# The REC portal's practice, which a test's policy takes unless told otherwise.
REC_DAYS = {"agenda_before": 5, "papers_before": 5, "headline_report_after": 2, "minutes_after": 5}


def make_policy(slug="psg", effective_from=date(2026, 10, 1), **days) -> DeadlinePolicy:
    """A deadline policy as the programme office sets it: on the day it takes effect, or
    today (the pinned now) for one that takes effect later."""
    policy = DeadlinePolicy(
        group=group(slug), effective_from=effective_from, **{**REC_DAYS, **days}
    )
    policy.save()
    set_on = min(effective_from, PINNED_NOW.date())
    set_at = datetime.combine(set_on, datetime.min.time(), tzinfo=LONDON)
    DeadlinePolicy.objects.filter(pk=policy.pk).update(updated_at=set_at)
    policy.refresh_from_db()
    return policy


def make_decision(slug="psg", day=PSG_DAY, *, record=None, published_at=PUBLISHED, **fields):
    values = {
        "title": "Approve the migration plan",
        "summary": "PSG approved the migration plan v2.",
        "rationale": "The plan meets the programme's criteria.",
        **fields,
    }
    decision = Decision(
        group=group(slug), date=day, record=record, published_at=published_at, **values
    )
    return decision_save(decision=decision, by=None)


def make_action(record, **fields) -> Action:
    values = {"description": "Circulate the revised plan", "owner": "PMO", **fields}
    return action_save(action=Action(record=record, **values), by=None)


def record_form(client, url) -> dict:
    """The admin's meeting-record form as a browser would submit it unchanged."""
    fields = form_fields(client.get(url).content.decode())
    fields["_save"] = ["Save"]
    return fields


def fill_document(fields, index, *, kind, title, upload, publish_at=PUBLISHED):
    local = publish_at.astimezone(LONDON)
    fields.update(
        {
            f"documents-{index}-kind": [kind],
            f"documents-{index}-title": [title],
            f"documents-{index}-file": upload,
            f"documents-{index}-publish_at_0": [f"{local:%Y-%m-%d}"],
            f"documents-{index}-publish_at_1": [f"{local:%H:%M:%S}"],
        }
    )
    return fields


def new_record_form(client, *, slug="psg", day=PSG_DAY):
    fields = record_form(client, "/admin/records/meetingrecord/add/")
    fields["group"] = [str(group(slug).pk)]
    fields["date"] = [f"{day:%Y-%m-%d}"]
    return fields


def post(client, url, fields):
    """Post a form (with files) as multipart, as a browser does."""
    data = {}
    for name, values in fields.items():
        if not isinstance(values, list):
            data[name] = values  # an upload
        elif values:
            data[name] = values[0] if len(values) == 1 else values
    return client.post(url, data)


__all__ = ["PINNED_NOW"]
