"""Documents in S3-compatible object storage, against a real S3 server: moto in server mode,
run as its own process and spoken to over HTTP, configured as production configures it
(``DJANGO_MEDIA_S3_BUCKET`` and the AWS variables, read by ``core.media``)."""

import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.media import media_storage
from records.models import Document
from tests.records.conftest import (
    PDF,
    fill_document,
    make_document,
    make_record,
    new_record_form,
    post,
    record_form,
)

BUCKET = "mhhs-documents-test"
REGION = "eu-west-2"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("moto's S3 server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """The settings production gets from DJANGO_MEDIA_S3_BUCKET, pointed at the server."""
    environ = {
        "DJANGO_MEDIA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
    }
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environ)}
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_without_a_bucket_documents_are_local_files():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_storage({"DJANGO_MEDIA_S3_BUCKET": "b"})["OPTIONS"]["bucket_name"] == "b"


def test_an_upload_through_the_admin_is_stored_in_the_bucket_and_downloads(
    s3, office, client, seeded, now
):
    fields = fill_document(
        new_record_form(office),
        0,
        kind="papers",
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )
    assert post(office, "/admin/records/meetingrecord/add/", fields).status_code == 302
    (document,) = Document.objects.all()
    assert keys(s3) == [document.file.name]
    body = s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert body == PDF
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'


def test_replacing_and_deleting_leave_no_object_behind(
    s3, office, seeded, now, django_capture_on_commit_callbacks
):
    record = make_record()
    document = make_document(record, name="v1.pdf")
    assert keys(s3) == [document.file.name]
    url = f"/admin/records/meetingrecord/{record.pk}/change/"
    fields = record_form(office, url)
    fields["documents-0-file"] = SimpleUploadedFile("v2.pdf", PDF + b"% v2\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(office, url, fields).status_code == 302
    document.refresh_from_db()
    assert keys(s3) == [document.file.name]
    assert document.file.name.endswith("/v2.pdf")
    fields = record_form(office, url)
    fields["documents-0-DELETE"] = ["on"]
    with django_capture_on_commit_callbacks(execute=True):
        assert post(office, url, fields).status_code == 302
    assert keys(s3) == []
