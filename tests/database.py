"""The test database of a pytest process: migrated, then seeded.

On SQLite in memory (the default), a process copies in a database that an earlier process
made from the same code, migrations, fixtures and installed packages, rather than running
every migration and loading the seed again: that costs seconds of CPU in each process
(each xdist worker, each of mutmut's mutants), the copy milliseconds. The copies are files
under the system's temporary folder, named by a digest of all they were made from, so a
change to any of it makes a new copy; one not used for a week is removed. On PostgreSQL
each process migrates and seeds its own database, as Django's test runner does.
"""

import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from importlib.metadata import distributions
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.test.utils import setup_databases

from core import clock
from operations.seeding import governance_seed

COPIES = Path(tempfile.gettempdir()) / "mhhs-test-databases"
UNUSED_FOR = 7 * 24 * 3600  # seconds after which a copy nobody opened is removed
TESTS = Path(__file__).resolve().parent


def create(*, seeded_at: datetime) -> list:
    """Make the test database (the seed loaded with the clock at seeded_at) and connect to
    it; returns what ``django.test.utils.teardown_databases`` takes to remove it."""
    copy = copy_path() if _in_memory() else None
    if copy is not None and (production_name := _open_copy(copy)) is not None:
        return [(connection, production_name, True)]
    # Every test uses the default database; none asks for a serialized rollback.
    config = setup_databases(
        verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS}, serialized_aliases=set()
    )
    real_now = clock.now
    clock.now = lambda: seeded_at  # the seed's rows carry this time
    try:
        governance_seed()
    finally:
        clock.now = real_now
    if copy is not None:
        _save_copy(copy)
    return config


def copy_path() -> Path:
    """Where the copy made from today's code, migrations, fixtures and packages is kept."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(_inputs(base)):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    packages = {f"{d.metadata['Name']}=={d.version}" for d in distributions()}  # once each,
    for package in sorted(packages):  # however many entries of sys.path find it
        digest.update(package.encode() + b"\0")
    return COPIES / f"{digest.hexdigest()[:32]}.sqlite3"


def _inputs(base: Path) -> Iterator[Path]:
    """Every file that migrating and seeding may read: the project's Python modules and its
    fixtures, and, of the tests, this module, the settings and the conftest that passes the
    time. (Not a package's other files: mutmut keeps its results beside the modules.)"""
    for top in sorted(base.iterdir()):
        if top.name == "fixtures":
            yield from (path for path in top.rglob("*") if path.is_file())
        elif top.name != TESTS.name and (top / "__init__.py").exists():
            yield from (path for path in top.rglob("*.py") if "__pycache__" not in path.parts)
    yield from (base / TESTS.name / name for name in ("database.py", "settings.py", "conftest.py"))


def _in_memory() -> bool:
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(_test_name())


def _test_name() -> str:
    # The name Django's create_test_db would give the test database (an internal method:
    # the same call Django makes, so that the copy is where Django would have put it).
    return connection.creation._get_test_db_name()


def _open_copy(copy: Path) -> str | None:
    """Point the connection at the test database, as create_test_db does, and fill it from
    copy; returns the database's own NAME, to go back to at the end, or None (nothing
    changed) when there is no readable copy."""
    try:
        source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        return None
    with closing(source):
        production_name = connection.settings_dict["NAME"]
        test_name = _test_name()
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        connection.ensure_connection()
        source.backup(connection.connection)
    os.utime(copy)  # in use: not to be removed as unused
    return production_name


def _save_copy(copy: Path) -> None:
    """Keep the test database as it is now in copy (whole or not at all), and remove copies
    nobody has opened for a week."""
    COPIES.mkdir(exist_ok=True)
    part = copy.with_name(f"{copy.stem}.{os.getpid()}.part")
    with closing(sqlite3.connect(part)) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    os.replace(part, copy)
    for old in COPIES.iterdir():
        try:
            if old != copy and time.time() - old.stat().st_mtime > UNUSED_FOR:
                old.unlink()
        except FileNotFoundError:  # another process removed it first
            pass
