"""/healthz reads every table the pages read and names what failed; a connection that
raised a database error is dropped, so the site answers on the first request after the
database is back; /healthz/deep adds the document storage, for staff or a monitor's token."""

import sqlite3
from contextlib import closing

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from operations.health import CHECKED_APPS, database_failures
from tests.conftest import signed_in
from tests.serving import Client as HttpClient
from tests.serving import Server

TOKEN = "a-monitor-token-for-tests"


def test_healthz_names_the_app_whose_table_cannot_be_read(client, seeded):
    assert client.get("/healthz").content == b"ok"
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE meetings_meetingseries RENAME TO moved_away")
    response = client.get("/healthz")
    assert response.status_code == 503
    text = response.content.decode()
    assert "not answering: meetings could not be read" in text
    assert "groups" not in text


def test_healthz_reads_every_model_of_the_checked_apps(seeded):
    models = [
        m
        for label in CHECKED_APPS
        if apps.is_installed(label)
        for m in apps.get_app_config(label).get_models()
    ]
    assert len(models) > len(CHECKED_APPS) - 2
    with CaptureQueriesContext(connection) as captured:
        assert database_failures() == {}
    # One read per model; inside the test's transaction each also has its savepoint, which
    # serving (autocommit) does not take.
    reads = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(reads) == len(models)


def test_deep_health_is_for_staff_or_the_token(client, seeded, staff_user):
    assert client.get("/healthz/deep").status_code == 403
    assert client.get("/healthz/deep", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    with override_settings(HEALTH_TOKEN=TOKEN):
        assert client.get("/healthz/deep", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
        response = client.get("/healthz/deep", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "database: ok"
    assert lines[1].startswith("storage: ok")
    assert lines[2] == "notifications: not applicable (no notification runs yet)"
    assert signed_in(staff_user).get("/healthz/deep").status_code == 200
    # Signed in with a password alone (no second factor yet) is not enough.
    password_only = Client()
    password_only.force_login(staff_user)
    assert password_only.get("/healthz/deep").status_code == 403


def test_deep_health_fails_on_unreachable_storage_and_the_plain_check_does_not_look(
    client, seeded, staff_user, tmp_path
):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client.force_login(staff_user)
    with override_settings(STORAGES=storages):
        deep = client.get("/healthz/deep")
        plain = client.get("/healthz")
    assert deep.status_code == 503
    assert "storage: NotADirectoryError" in deep.content.decode()
    assert (plain.status_code, plain.content) == (200, b"ok")


@pytest.fixture
def server(tmp_path):
    """Gunicorn on a migrated database (the seed is not needed to read every table)."""
    server = Server(tmp_path)
    server.prepare(seed=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def corrupt_table(db_path, table):
    """Overwrite the first page of a table and of each of its indexes, in place, as a disk
    fault would, then write elsewhere through the WAL so that every connection's page cache
    is dropped."""
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
        roots = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", (table,)
        ).fetchall()
    with open(db_path, "r+b") as db_file:
        for (root,) in roots:
            db_file.seek((root - 1) * page_size)
            db_file.write(bytes(range(256)) * (page_size // 256))
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("PRAGMA user_version = 1")


def test_a_corrupt_table_is_named_and_the_site_recovers_on_the_first_request(server):
    """Today's bug: /healthz said 200 while /calendar.ics was 503, and the calendar stayed
    503 for a minute after the file was restored."""
    client = HttpClient(server.base_url)
    assert client.get("/healthz").status == 200
    with closing(sqlite3.connect(server.db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    saved = server.db_path.read_bytes()

    corrupt_table(server.db_path, "meetings_meetingseries")
    try:
        for _ in range(4):  # both workers, twice
            health = client.get("/healthz")
            assert health.status == 503, health.body
            assert "meetings could not be read" in health.body
            assert client.get("/calendar.ics").status == 503
    finally:  # restored as an operator would: the file copied back, the WAL files removed
        for path in server.sidecar_files():
            path.unlink()
        server.db_path.write_bytes(saved)

    for path in ("/healthz", "/calendar.ics", "/healthz", "/calendar.ics", "/", "/"):
        assert client.get(path).status == 200, f"{path} after the database was restored"
