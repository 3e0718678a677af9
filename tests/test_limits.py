"""Request bodies over 1 MB are refused with 413 before anything reads them, except on the
admin views that take document uploads (up to 30 MB a save)."""

import json
import socket

import pytest
from django.contrib import admin

from mhhs_gov.middleware import BODY_MAX_BYTES, UPLOAD_MAX_BYTES, body_limit
from tests.serving import Server

MB = 1024 * 1024
RECORD_ADD = "/admin/records/meetingrecord/add/"


def test_a_body_over_1_mb_is_refused_with_a_page(client, seeded):
    response = client.post(
        "/admin/login/", data=b"x" * (BODY_MAX_BYTES + 1), content_type="text/plain"
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "too large" in html and "up to 1 MB" in html and "Nothing was saved" in html


def test_an_api_body_over_1_mb_is_refused_with_json(client, seeded):
    response = client.post(
        "/api/groups/", data=b"{}" * BODY_MAX_BYTES, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "up to 1 MB" in json.loads(response.content)["error"]


def test_a_body_of_1_mb_is_read_as_usual(client, seeded):
    response = client.post("/admin/login/", data={"username": "x" * (BODY_MAX_BYTES - 1000)})
    assert response.status_code == 200  # the login form again, with its error


def test_the_announced_length_is_refused_before_the_body_is_read(client, seeded):
    # The test client's payload refuses to be read past its end: a 413 here means the body
    # (a few bytes, announced as 400 MB) was never read.
    response = client.post(
        "/admin/login/",
        data={"username": "admin"},
        CONTENT_LENGTH=str(400 * MB),
    )
    assert response.status_code == 413
    assert "400.0 MB" in response.content.decode()


def test_document_uploads_keep_their_limit(root, seeded):
    response = root.post(RECORD_ADD, data=b"x" * (2 * MB), content_type="text/plain")
    assert response.status_code == 200  # read, and refused by the form, not by size
    response = root.post(
        RECORD_ADD, data=b"x", content_type="text/plain", CONTENT_LENGTH=str(UPLOAD_MAX_BYTES + 1)
    )
    assert response.status_code == 413
    assert "25 MB each" in response.content.decode()
    response = root.post(
        "/admin/records/meetingrecord/7/change/",
        data=b"x",
        content_type="text/plain",
        CONTENT_LENGTH=str(31 * MB),
    )
    assert response.status_code == 413


def test_every_admin_form_with_a_file_input_takes_uploads(root, seeded):
    """The allowlist names exactly the admin forms that have a file input (add and change),
    so an upload form added later cannot be left at 1 MB unnoticed."""
    upload_forms = []
    for model in admin.site._registry:
        meta = model._meta
        path = f"/admin/{meta.app_label}/{meta.model_name}/add/"
        page = root.get(path)
        if page.status_code != 200:
            continue  # no add form (read-only models)
        takes_files = 'enctype="multipart/form-data"' in page.content.decode()
        change = f"/admin/{meta.app_label}/{meta.model_name}/1/change/"
        expected = UPLOAD_MAX_BYTES if takes_files else BODY_MAX_BYTES
        assert (body_limit(path), body_limit(change)) == (expected, expected), path
        if takes_files:
            upload_forms.append(path)
    assert upload_forms == [RECORD_ADD]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Gunicorn on a migrated database, with a temporary folder of its own."""
    directory = tmp_path_factory.mktemp("limits")
    server = Server(directory)
    server.env["TMPDIR"] = str(directory / "tmp")
    (directory / "tmp").mkdir()
    server.prepare(seed=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_anonymous_400_mb_to_the_login_is_refused_before_it_is_written(server):
    boundary = "limit-test"
    head = (
        "POST /admin/login/ HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {400 * MB}\r\n"
        "\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + b"x" * (64 * 1024))  # the start of the 400 MB; no more comes
        reply = b""
        try:
            while b"\r\n\r\n" not in reply:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except TimeoutError:
            pytest.fail("no answer in 10 s: the server was waiting for the rest of the body")
    status_line = reply.split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large", reply[:500]
    # The server's own folders (its test settings make some) stay empty of files.
    written = [p for p in (server.directory / "tmp").rglob("*") if p.is_file()]
    assert written == [], f"the server wrote {written}"


def test_an_admin_page_too_large_links_back_to_the_admin(client, seeded):
    """From the admin, the 413 page leads back to the admin page the form was on (a
    same-site admin Referer), else to the admin's index; never to the public hierarchy."""
    too_big = {"data": b"x", "content_type": "text/plain", "CONTENT_LENGTH": str(2 * MB)}
    page = client.post(
        "/admin/login/", HTTP_REFERER="http://testserver/admin/groups/?q=psg", **too_big
    ).content.decode()
    assert '<a href="/admin/groups/?q=psg">Back to the admin page</a>' in page
    assert "the hierarchy" not in page
    elsewhere = client.post(
        "/admin/login/", HTTP_REFERER="https://evil.example/admin/", **too_big
    ).content.decode()
    assert '<a href="/admin/">Back to the admin page</a>' in elsewhere
    public = client.post("/escalations/route/", **too_big).content.decode()
    assert "the hierarchy" in public and "Back to the admin page" not in public
