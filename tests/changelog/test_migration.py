"""Moving the change entry to the changelog app keeps its table and its rows: run on a
database of its own (a subprocess, so the session's test database is untouched), at the
schema before the move, with entries written as that schema had them."""

import json
import os
import subprocess
import sys

from django.conf import settings

TIMEOUT = 300

# Migrate a fresh database to before the move, write a group and two entries as the old
# schema had them (one of the group, one programme-wide), migrate the changelog app forward
# and print the rows; then back to before the move, and print what the old columns hold.
SCRIPT = r"""
import json
from datetime import UTC, datetime

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("groups", "0009_workstream_mailbox_notes")
call_command("migrate", *BEFORE, verbosity=0)
old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
workstream = old.get_model("groups", "Workstream").objects.create(
    slug="programme", name="Programme", order=1
)
psg = old.get_model("groups", "GovernanceGroup").objects.create(
    slug="psg", acronym="PSG", name="Programme Steering Group", workstream=workstream,
    attendance="closed", decision_making=True, status="mobilised", level_note="NA",
)
ChangeEntry = old.get_model("groups", "ChangeEntry")
ChangeEntry.objects.create(
    at=datetime(2026, 3, 1, 10, tzinfo=UTC), kind="status_changed", group=psg,
    summary="PSG paused", url="/", subject="status:psg",
)
ChangeEntry.objects.create(
    at=datetime(2026, 3, 2, 11, tzinfo=UTC), kind="mailbox_changed", summary="PMO moved",
    url="/",
)
call_command("migrate", "changelog", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT kind, recorded_at, visible_at, group_slug, group_name, workstream_slug, "
        "workstream_name, summary, subject FROM groups_changeentry ORDER BY id"
    )
    after = [list(map(str, row)) for row in cursor.fetchall()]
call_command("migrate", *BEFORE, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT e.at, g.slug FROM groups_changeentry e "
        "LEFT JOIN groups_governancegroup g ON g.id = e.group_id ORDER BY e.id"
    )
    back = [list(map(str, row)) for row in cursor.fetchall()]
print(json.dumps({"after": after, "back": back}))
"""


def test_the_move_fills_the_keys_and_times_from_the_old_rows(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    assert rows["after"] == [
        [
            "status_changed",
            "2026-03-01 10:00:00",
            "2026-03-01 10:00:00",
            "psg",
            "PSG",
            "programme",
            "Programme",
            "PSG paused",
            "status:psg",
        ],
        [
            "mailbox_changed",
            "2026-03-02 11:00:00",
            "2026-03-02 11:00:00",
            "",
            "",
            "",
            "",
            "PMO moved",
            "",
        ],
    ]
    # Reversed, the group comes back from its slug.
    assert rows["back"] == [["2026-03-01 10:00:00", "psg"], ["2026-03-02 11:00:00", "None"]]
