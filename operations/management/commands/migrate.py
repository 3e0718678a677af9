"""``migrate``, which alone may create the SQLite database file.

The settings open SQLite with ``mode=rw``, so serving never creates a missing file (an
empty database would answer every page with an error, and hide that the real one is
gone). Migrating is how a database comes to exist, so this command creates the file.
"""

import sqlite3
from urllib.parse import urlsplit

from django.core.management.commands import migrate
from django.db import connections

from core.sqlite.base import database_path


def sqlite_file_create(alias: str) -> None:
    """Create the empty SQLite file of ``alias`` if its settings open it read-write only."""
    name = str(connections[alias].settings_dict["NAME"])
    if connections[alias].vendor != "sqlite" or "mode=rw" not in urlsplit(name).query:
        return
    path = database_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()


class Command(migrate.Command):
    help = f"{migrate.Command.help} Creates a missing SQLite database file first."

    def execute(self, *args, **options):
        # Before the system checks: a JSONField's check opens the database (to ask whether
        # it supports JSON), which fails on a file not there yet.
        sqlite_file_create(options["database"])
        return super().execute(*args, **options)
