"""Documents in S3-compatible object storage, against a real S3 server: moto in server mode,
run as its own process and spoken to over HTTP, configured as production configures it
(``DJANGO_MEDIA_S3_BUCKET`` and the AWS variables, read by ``core.media``)."""

import itertools
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from io import StringIO
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.media import media_storage
from records.models import Document, PendingFileRemoval
from tests.conftest import LONDON
from tests.forms import form_fields
from tests.records.conftest import (
    PDF,
    PSG_DAY,
    PUBLISHED,
    fill_document,
    make_document,
    make_record,
    new_record_form,
    post,
    record_form,
)
from tests.serving import PASSWORD, TRANSPORT_ERRORS, Client, Server, child_env

ADD = "/admin/records/meetingrecord/add/"
BUCKET = "mhhs-documents-test"
REGION = "eu-west-2"
TIMEOUT = 1  # seconds, connect and read: a stopped store is given up on quickly here


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_server():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=child_env(),
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
        server.endpoint = f"http://127.0.0.1:{port}"
        yield server
    finally:
        server.send_signal(signal.SIGCONT)  # a stopped process would not see SIGTERM
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def s3_endpoint(moto_server):
    return moto_server.endpoint


@contextmanager
def stopped(server):
    """The storage server stopped (SIGSTOP): it accepts connections and never answers."""
    server.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        server.send_signal(signal.SIGCONT)


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes


def fetch(url) -> Fetched:
    """GET a URL with no proxy, as a browser following the redirect would."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, error.headers, error.read())


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """The settings production gets from DJANGO_MEDIA_S3_BUCKET, pointed at the server."""
    environ = {
        "DJANGO_MEDIA_S3_BUCKET": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "DJANGO_MEDIA_S3_TIMEOUT": str(TIMEOUT),
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
    assert media_storage({}) == {"BACKEND": "core.media.LocalStorage"}
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
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    fetched = fetch(response["Location"])
    assert fetched.status == 200
    assert fetched.body == PDF
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert fetched.headers["Content-Type"] == "application/pdf"


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


def test_storage_calls_time_out_and_retry_a_bounded_number_of_times():
    config = media_storage({"DJANGO_MEDIA_S3_BUCKET": "b"})["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (3, 5)
    assert config.retries == {"max_attempts": 1, "mode": "standard"}  # one retry
    options = media_storage({"DJANGO_MEDIA_S3_BUCKET": "b", "DJANGO_MEDIA_S3_TIMEOUT": "1.5"})
    config = options["OPTIONS"]["client_config"]
    assert (config.connect_timeout, config.read_timeout) == (1.5, 1.5)


def test_a_document_before_its_publish_time_is_404_not_a_redirect(s3, client, seeded, now):
    document = make_document(make_record(), publish_at=now + timedelta(hours=1))
    response = client.get(document.get_absolute_url())
    assert response.status_code == 404
    assert "Location" not in response


def test_the_presigned_url_expires_within_a_minute_and_objects_stay_private(
    s3, client, seeded, now
):
    document = make_document(make_record(), name="Plan v2 – final.pdf")
    location = client.get(document.get_absolute_url())["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-type"] == ["application/pdf"]
    fetched = fetch(location)
    assert fetched.status == 200
    assert fetched.headers["Content-Disposition"].startswith("attachment; filename=")
    assert fetch(f"{urlsplit(location)._replace(query='').geturl()}").status == 403


def test_with_storage_stopped_downloads_redirect_and_an_upload_is_a_503_with_nothing_stored(
    s3, moto_server, office, client, seeded, now
):
    document = make_document(make_record(), name="agenda.pdf")
    fields = fill_document(
        record_form(office, f"/admin/records/meetingrecord/{document.record.pk}/change/"),
        1,
        kind="papers",
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )
    url = f"/admin/records/meetingrecord/{document.record.pk}/change/"
    with stopped(moto_server):
        download = client.get(document.get_absolute_url())
        assert download.status_code == 302  # presigning asks nothing of storage
        started = time.monotonic()
        response = post(office, url, fields)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "Document storage is unreachable" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert TIMEOUT <= elapsed < 20
    assert list(Document.objects.values_list("title", flat=True)) == ["Papers"]
    assert keys(s3) == [document.file.name]


def test_with_storage_stopped_a_delete_succeeds_and_the_file_is_swept_later(
    s3, moto_server, office, seeded, now, caplog, django_capture_on_commit_callbacks
):
    document = make_document(make_record())
    name = document.file.name
    # sweep_media judges age by the object's time, which moto sets from its own clock.
    stored_at = s3.head_object(Bucket=BUCKET, Key=name)["LastModified"]
    url = f"/admin/records/meetingrecord/{document.record.pk}/change/"
    fields = record_form(office, url)
    fields["documents-0-DELETE"] = ["on"]
    with (
        stopped(moto_server),
        caplog.at_level(logging.WARNING, logger="records.storage"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert post(office, url, fields).status_code == 302
    assert not Document.objects.exists()
    assert any(name in record.getMessage() for record in caplog.records)
    assert list(PendingFileRemoval.objects.values_list("name", flat=True)) == [name]
    # The store, resumed, may yet carry out the delete it received while stopped: the sweep
    # lists the queued name either way, and leaves neither the object nor the queue entry.
    with patch("core.clock.now", lambda: stored_at + timedelta(hours=2)):
        out = StringIO()
        call_command("sweep_media", stdout=out)
        assert name in out.getvalue()
        call_command("sweep_media", "--delete", stdout=StringIO())
    assert keys(s3) == []
    assert not PendingFileRemoval.objects.exists()


# Under gunicorn, as served: a stalled store holds a few threads, never the site.

UPLOADS = 3  # more than gunicorn's workers: with one request per worker the site would stall
SERVED_TIMEOUT = 4  # the served site's storage timeout (seconds): an upload waits 8 s or so
# Seconds any public page may take while uploads wait: as long as one upload is held (its
# storage call and its one retry). A page that waited on storage would wait that long; a
# loaded machine slows a page by seconds, never by this much (one answered in 5 s).
READ_LIMIT = 2 * SERVED_TIMEOUT
# The uploads save one after another (SQLite has one writer, and a save holds it while its
# file is stored), so the last waits for the others: the client waits up to this long.
UPLOAD_HTTP_TIMEOUT = 60
SUPERUSER_CODE = """
import json
from django.contrib.auth.models import User
from groups.models import GovernanceGroup
User.objects.create_superuser("admin", "admin@example.org", {password!r})
print(json.dumps(GovernanceGroup.objects.get(slug="psg").pk))
"""
PUBLIC_PAGES = ("/", "/groups/", "/groups/psg/", "/decisions/")


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it, and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, values in fields.items():
        for value in values:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(base_url, group_pk) -> tuple[int, str, float]:
    """Sign in, open the new meeting record form, and upload a paper with it."""
    browser = Client(base_url)
    browser.login("admin")
    page = browser.get(ADD)
    assert page.status == 200, f"GET {ADD} answered {page.status}"
    fields = form_fields(page.body)
    local = PUBLISHED.astimezone(LONDON)
    fields.update(
        {
            "group": [str(group_pk)],
            "date": [f"{PSG_DAY:%Y-%m-%d}"],
            "documents-0-kind": ["papers"],
            "documents-0-title": ["Plan"],
            "documents-0-publish_at_0": [f"{local:%Y-%m-%d}"],
            "documents-0-publish_at_1": [f"{local:%H:%M:%S}"],
            "_save": ["Save"],
        }
    )
    body, content_type = multipart(fields, {"documents-0-file": ("plan.pdf", PDF)})
    started = time.monotonic()
    response = browser.request(
        "POST", ADD, data=body, headers={"Content-Type": content_type, "Referer": base_url + ADD}
    )
    return response.status, response.body, time.monotonic() - started


def read_public_pages(base_url, stop, answers):
    """Ask for public pages until stop is set: (path, status or error, seconds taken)."""
    browser = Client(base_url)
    for path in itertools.cycle(PUBLIC_PAGES):
        if stop.is_set():
            return
        started = time.monotonic()
        try:
            status = browser.get(path).status
        except TRANSPORT_ERRORS as error:
            status = type(error).__name__
        answers.append((path, status, time.monotonic() - started))


def test_served_with_storage_stopped_uploads_503_while_public_pages_keep_answering(
    s3, moto_server, tmp_path, monkeypatch
):
    monkeypatch.setattr("tests.serving.HTTP_TIMEOUT", UPLOAD_HTTP_TIMEOUT)
    server = Server(tmp_path)
    server.env.update(
        {
            "DJANGO_MEDIA_S3_BUCKET": BUCKET,
            "AWS_S3_ENDPOINT_URL": moto_server.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "DJANGO_MEDIA_S3_TIMEOUT": str(SERVED_TIMEOUT),
            "DJANGO_ADMIN_2FA": "0",
        }
    )
    server.prepare()
    group_pk = server.shell_json(SUPERUSER_CODE.format(password=PASSWORD))
    server.start()
    stop = threading.Event()
    answers = []
    try:
        warm = Client(server.base_url)
        for path in PUBLIC_PAGES * 3:  # each page rendered, and cached, in both workers
            assert warm.get(path).status == 200, server.log_tail()
        reader = threading.Thread(target=read_public_pages, args=(server.base_url, stop, answers))
        with stopped(moto_server), ThreadPoolExecutor(UPLOADS) as pool:
            reader.start()
            uploads = list(pool.map(lambda _: upload(server.base_url, group_pk), range(UPLOADS)))
            stop.set()
            reader.join(timeout=30)
    finally:
        stop.set()
        server.stop()
    for status, body, elapsed in uploads:
        assert status == 503, f"{status}: {body[:500]}"
        assert "Document storage is unreachable" in body
        assert SERVED_TIMEOUT <= elapsed < UPLOAD_HTTP_TIMEOUT
    slow = [answer for answer in answers if answer[1] != 200 or answer[2] > READ_LIMIT]
    assert slow == [], f"public pages that failed or waited while storage was stopped: {slow}"
    assert len(answers) >= 10, f"only {len(answers)} public pages answered: {answers}"
    assert keys(s3) == []
