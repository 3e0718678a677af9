"""Honest health, 503 for every database error, a client address no one can forge, and
SQLite settings that take concurrent saves."""

import logging
import sqlite3
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from core.net import client_address
from core.sqlite.base import DatabaseWrapper
from groups.models import GovernanceGroup
from mhhs_gov.settings import sqlite_settings
from operations.management.commands.migrate import sqlite_file_create


def test_healthz_reads_a_real_table(client, seeded, monkeypatch):
    assert client.get("/healthz").content == b"ok"
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE groups_governancegroup RENAME TO moved_away")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"not answering" in response.content


@pytest.mark.parametrize("method", ["get", "head"])
def test_every_database_error_is_a_503_never_a_500(seeded, monkeypatch, method, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("file is not a database")

    monkeypatch.setattr(GovernanceGroup.objects, "exists", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = getattr(client, method)("/healthz")
    assert response.status_code == 503
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert lines == [
        "503 for " + method.upper() + " /healthz: database unavailable: "
        "DatabaseError: file is not a database"
    ]
    assert all(r.exc_info is None for r in caplog.records)


def test_a_database_error_outside_the_view_is_a_503(seeded, monkeypatch, caplog):
    """A session read by middleware (not the view) that fails is an outage too."""

    def broken(self, *args, **kwargs):
        raise DatabaseError("database disk image is malformed")

    monkeypatch.setattr(SessionStore, "load", broken)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a-well-formed-session-key-0123456789"
    with caplog.at_level(logging.ERROR):
        response = client.get("/admin/")
    assert response.status_code == 503
    assert any("database disk image is malformed" in r.getMessage() for r in caplog.records)
    assert all(r.exc_info is None for r in caplog.records)


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("", 0, "10.0.0.1"),  # no proxy trusted: the header is ignored
        ("203.0.113.9", 0, "10.0.0.1"),
        ("203.0.113.9", 1, "203.0.113.9"),  # nginx appended the client
        ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # the client's own claim is ignored
        ("6.6.6.6, 203.0.113.9, 10.0.0.7", 2, "203.0.113.9"),  # two proxies
        ("203.0.113.9", 2, "10.0.0.1"),  # too short for two proxies: not trusted
        ("not-an-address", 1, "10.0.0.1"),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_client_address_behind_trusted_proxies(forwarded, proxies, expected):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta, proxies) == expected


def _login(client, address, password, proxy="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "pmo", "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{address}",
    )


@override_settings(PROXY_COUNT=1)
def test_lockout_is_per_client_address_behind_the_proxy(seeded, pmo_user):
    attacker, colleague = Client(), Client()
    for _ in range(5):
        _login(attacker, "198.51.100.66", "wrong-password")
    assert _login(attacker, "198.51.100.66", "a-long-password-2").status_code == 429
    # The same user, from another address behind the same proxy, still signs in.
    assert _login(colleague, "203.0.113.5", "a-long-password-2").status_code == 302


def test_without_proxy_count_forwarded_headers_are_ignored(seeded, pmo_user):
    attacker = Client()
    for n in range(5):
        _login(attacker, f"198.51.100.{n}", "wrong-password")
    # Each attempt claimed another address; the lockout counts the real one.
    assert _login(attacker, "198.51.100.99", "a-long-password-2").status_code == 429


def test_sqlite_settings_take_concurrent_saves(tmp_path):
    database = sqlite_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "x"})
    assert database["NAME"] == f"file:{tmp_path / 'x'}?mode=rw"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["ENGINE"] == "core.sqlite" and database["CONN_HEALTH_CHECKS"]
    assert sqlite_settings({"ENGINE": "x", "NAME": ":memory:"})["NAME"] == ":memory:"


def test_a_new_connection_reads_while_a_save_holds_the_write_lock(tmp_path, django_db_blocker):
    """A reader's first query that needs SQLite's JSON functions (a group's status of
    today) never waits for a writer: Django's own check took the write lock, so under an
    upload it waited the busy timeout and then took SQLite for one without JSON."""
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE saved (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO saved VALUES (1)")
    database = sqlite_settings({**connection.settings_dict, "NAME": path})
    database["OPTIONS"]["timeout"] = 2
    reader = DatabaseWrapper(database, alias="reader")
    connections["reader"] = reader  # as a served worker's thread has it
    try:
        with django_db_blocker.unblock():  # its own file, not the test database
            started = time.monotonic()
            with CaptureQueriesContext(reader) as queries:
                assert reader.features.has_json_object_function
            assert time.monotonic() - started < 1
            assert len(queries) == 0  # asked of SQLite itself, not a query of a page
            with reader.cursor() as cursor:
                cursor.execute("SELECT JSON_OBJECT('rows', COUNT(*)) FROM saved")
                assert cursor.fetchone() == ('{"rows":0}',)  # the save is not visible yet
    finally:
        reader.close()
        del connections["reader"]
        writer.execute("ROLLBACK")
        writer.close()


def test_serving_never_creates_a_missing_sqlite_file(tmp_path):
    path = tmp_path / "gone.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    assert not path.exists()


def test_migrate_creates_the_sqlite_file(tmp_path, monkeypatch):
    path = tmp_path / "var" / "new.sqlite3"
    database = sqlite_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": path})
    monkeypatch.setitem(settings.DATABASES, "fresh", database)
    try:
        sqlite_file_create("fresh")
        assert path.exists()
    finally:
        connections["fresh"].close()
        del connections["fresh"]
