"""Django's SQLite backend, with a health check that notices the file going away, and a
check for JSON functions that never waits for a writer.

Connections persist between requests (CONN_MAX_AGE), and Django checks a kept connection
with ``is_usable()`` before a request uses it (CONN_HEALTH_CHECKS). SQLite's own check
always says yes, so a connection to a file that was moved away would go on reading the
moved file. Here a kept connection is usable only while its file is still where the
settings say; otherwise it is closed, and the next connection (opened ``mode=rw``) fails
until the file is back: a 503, never an empty new database.

Django asks a new connection once whether SQLite has JSON functions (a group's status of
today reads them), inside ``transaction.atomic()``. With ``transaction_mode=IMMEDIATE`` that
transaction takes the write lock, so a reader's first query waited behind any save (a
document upload holds the lock while its file is stored), and after the busy timeout
Django concluded "no JSON" for the connection's life: its group pages failed until it
closed. Here the question is a plain SELECT on the connection itself: no lock, no
transaction, and no query counted on the page.
"""

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


def database_path(name: str) -> Path | None:
    """The file behind a database NAME, or None for an in-memory database."""
    name = str(name)
    if name.startswith("file:"):
        parts = urlsplit(name)
        return None if "mode=memory" in parts.query else Path(parts.path)
    return None if name in ("", ":memory:") else Path(name)


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def supports_json_field(self):
        self.connection.ensure_connection()
        try:
            self.connection.connection.execute("""SELECT JSON('{"a": "b"}')""")
        except sqlite3.OperationalError:
            return False
        return True


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def is_usable(self):
        path = database_path(self.settings_dict["NAME"])
        return path is None or path.exists()
