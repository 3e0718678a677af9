"""``manage.py backup DIR``: a consistent copy of the database and a list of the stored
documents, into DIR under timestamped names. README.md gives the restore steps."""

import csv
import os
import shlex
import sqlite3
import subprocess
from datetime import UTC
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from core import clock


def sqlite_backup(target: Path) -> None:
    """Copy the SQLite database with SQLite's online backup API (consistent while the site
    writes), into a temporary name first, then check the copy's integrity."""
    partial = target.with_name(target.name + ".partial")
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        connection.connection.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
    if verdict != "ok":
        partial.unlink()
        raise CommandError(f"The copy failed SQLite's integrity check: {verdict}")
    partial.rename(target)


def pg_dump_command(settings_dict: dict, target: Path) -> tuple[list[str], dict]:
    """The pg_dump command (custom format, for pg_restore) and its environment: the
    password goes in PGPASSWORD, never on the command line."""
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    if settings_dict.get("HOST"):
        command.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        command.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        command.append(f"--username={settings_dict['USER']}")
    command.append(str(settings_dict["NAME"]))
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return command, environment


def stored_files(folder: str = ""):
    """(name, size in bytes) of every file in the document storage, folder by folder."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # local storage before the first upload
        return
    for name in sorted(files):
        path = f"{folder}{name}"
        yield path, default_storage.size(path)
    for name in sorted(folders):
        yield from stored_files(f"{folder}{name}/")


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (SQLite: online backup; PostgreSQL: "
        "pg_dump --format=custom) and a list of the stored documents (name, size) into DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder to write into (made if missing)")

    def handle(self, directory, **options):
        folder = Path(directory)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot write into {folder}: {exc.strerror}") from exc
        stamp = clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        database = self.backup_database(folder, stamp)
        media = folder / f"mhhs-{stamp}-media.csv"
        try:
            with open(media, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["name", "size"])
                count = 0
                for name, size in stored_files():
                    writer.writerow([name, size])
                    count += 1
        except Exception as exc:
            raise CommandError(f"Listing the stored documents failed: {exc}") from exc
        self.stdout.write(f"Database: {database}")
        self.stdout.write(f"Documents list: {media} ({count} files)")

    def backup_database(self, folder: Path, stamp: str) -> Path:
        if connection.vendor == "sqlite":
            target = folder / f"mhhs-{stamp}.sqlite3"
            try:
                sqlite_backup(target)
            except (DatabaseError, sqlite3.Error) as exc:
                raise CommandError(f"The database could not be copied: {exc}") from exc
            return target
        if connection.vendor == "postgresql":
            target = folder / f"mhhs-{stamp}.dump"
            command, environment = pg_dump_command(connection.settings_dict, target)
            self.stdout.write(shlex.join(command))
            try:
                result = subprocess.run(command, env=environment, capture_output=True, text=True)
            except FileNotFoundError as exc:
                raise CommandError(
                    "pg_dump was not found: install the PostgreSQL client tools."
                ) from exc
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed ({result.returncode}): {result.stderr}")
            return target
        raise CommandError(f"No backup method for a {connection.vendor} database.")
