"""What the end-to-end checks use: the external tools (skip or fail when absent), the HTML
checker's one run, and copies of the test database for the live-server tests."""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
# How every browser test starts Debian's Chromium (headless, no sandbox, nothing fetched).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "install them as .ci/run does: apt-get install chromium default-jre-headless npm; "
    "npm install --no-save axe-core@4 vnu-jar"
)


def require(*paths, what: str):
    """Skip with a how-to outside CI; under CI=true a missing tool is a failure."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if what == "java" and shutil.which("java") is None:
        missing.append("java")
    if missing:
        message = f"{what} not available ({', '.join(missing)}): {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


# The Nu HTML Checker in a JVM started for one run: the quick compiler only, which needs the
# deeper stack (the checker's schema recurses deeply); a third of the default JVM's time here.
VNU_RUN = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-jar", str(VNU)]


def html_errors(files: dict[str, str]) -> list[str]:
    """The Nu HTML Checker's errors in ``files`` (each file's path: the page it holds), all
    checked in one run, as ``page:line: message``."""
    result = subprocess.run(
        [*VNU_RUN, "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout, result.stderr  # the checker ran
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'))}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error"
    ]


def event_group(event) -> str:
    """The slug of the group a feed event belongs to, from its URL (/groups/<slug>/...)."""
    return urlsplit(str(event["URL"])).path.split("/")[2]


# Copies of this process's test database, by name, with the uploads folder their files are
# in: SQLite in memory only (on PostgreSQL there are none, and the data is loaded again).
# Restoring one takes milliseconds; loading the seed again, seconds.
_snapshots: dict[str, tuple[sqlite3.Connection, str]] = {}


def _in_memory() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def snapshot_save(name: str) -> None:
    """Keep a copy of the whole test database as it is now, as ``name``."""
    if not _in_memory():
        return
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _snapshots[name] = (copy, str(settings.MEDIA_ROOT))


def snapshot_restore(name: str) -> bool:
    """Make the test database the copy ``name`` again, every table; False (nothing done)
    when there is no such copy, or its uploads were in another folder than today's."""
    kept = _snapshots.get(name)
    if kept is None or not _in_memory() or kept[1] != str(settings.MEDIA_ROOT):
        return False
    connection.ensure_connection()
    kept[0].backup(connection.connection)
    ContentType.objects.clear_cache()  # its ids may be a flush's, not the copy's
    cache.clear()
    return True
