"""Django's SQLite backend, with a health check that notices the file going away.

Connections persist between requests (CONN_MAX_AGE), and Django checks a kept connection
with ``is_usable()`` before a request uses it (CONN_HEALTH_CHECKS). SQLite's own check
always says yes, so a connection to a file that was moved away would go on reading the
moved file. Here a kept connection is usable only while its file is still where the
settings say; otherwise it is closed, and the next connection (opened ``mode=rw``) fails
until the file is back: a 503, never an empty new database.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.db.backends.sqlite3 import base


def database_path(name: str) -> Path | None:
    """The file behind a database NAME, or None for an in-memory database."""
    name = str(name)
    if name.startswith("file:"):
        parts = urlsplit(name)
        return None if "mode=memory" in parts.query else Path(parts.path)
    return None if name in ("", ":memory:") else Path(name)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        path = database_path(self.settings_dict["NAME"])
        return path is None or path.exists()
