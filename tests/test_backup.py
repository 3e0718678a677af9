"""`manage.py backup DIR`: a copy of the database that restores to the same site, and a list
of the stored documents."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from operations.management.commands.backup import pg_dump_command, stored_files
from tests.serving import COMMAND_TIMEOUT, REPO_ROOT, Client, Server

CHANGE_CODE = """
import json
from core import clock
from groups.models import Mailbox
from groups.services import mailbox_change
from changelog.models import ChangeEntry
mailbox = Mailbox.objects.order_by("pk").first()
mailbox.purpose = "Questions about the backup test"
before = ChangeEntry.objects.count()
mailbox_change(mailbox=mailbox, by=None, at=clock.now())
print(json.dumps(ChangeEntry.objects.count() - before))
"""
PAGES = ("/", "/groups/psg/", "/calendar.ics", "/api/changes/")


def test_the_documents_list_names_every_stored_file_with_its_size():
    stored = [
        default_storage.save("documents/backup-a/minutes.txt", ContentFile(b"minutes")),
        default_storage.save("documents/backup-b/agenda.txt", ContentFile(b"agenda items")),
    ]
    try:
        listed = dict(stored_files())
    finally:
        for name in stored:
            default_storage.delete(name)
    assert {name: listed.get(name) for name in stored} == {stored[0]: 7, stored[1]: 12}


def test_backup_into_a_folder_it_cannot_make_fails_clearly(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(CommandError, match="Cannot write into"):
        call_command("backup", str(not_a_folder / "backups"))


def test_backup_of_a_missing_database_exits_non_zero_saying_why(tmp_path):
    server = Server(tmp_path)  # its database file was never made
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path / "backups")],
        cwd=REPO_ROOT,
        env=server.child_env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert result.returncode == 1
    assert "The database could not be copied: unable to open database file" in result.stderr
    assert not server.db_path.exists()
    assert list((tmp_path / "backups").iterdir()) == []


def test_pg_dump_command_keeps_the_password_off_the_command_line(tmp_path):
    settings_dict = {
        "NAME": "mhhs",
        "USER": "mhhs",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": 5432,
    }
    command, environment = pg_dump_command(settings_dict, tmp_path / "x.dump")
    assert command == [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--file={tmp_path / 'x.dump'}",
        "--host=db.internal",
        "--port=5432",
        "--username=mhhs",
        "mhhs",
    ]
    assert environment["PGPASSWORD"] == "s3cret"
    assert not any("s3cret" in part for part in command)


def fetch_pages(server) -> dict[str, str]:
    client = Client(server.base_url, headers={"Host": "localhost"})  # one host for both
    pages = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status == 200, f"{path}: {response.status}"
        # A feed's DTSTAMP is the moment it was made.
        pages[path] = re.sub(r"DTSTAMP:[0-9TZ]+", "DTSTAMP:", response.body)
    return pages


def test_a_restored_backup_serves_the_same_site(tmp_path):
    original = Server(tmp_path / "original")
    original.directory.mkdir()
    original.prepare()
    assert original.shell_json(CHANGE_CODE) == 1  # a logged change, for /api/changes/
    output = original.manage("backup", str(tmp_path / "backups"))
    copy = Path(re.search(r"Database: (\S+)", output).group(1))
    assert re.fullmatch(r"mhhs-[0-9]{8}T[0-9]{6}Z\.sqlite3", copy.name), copy.name
    media = copy.with_name(copy.name.removesuffix(".sqlite3") + "-media.csv")
    assert media.read_text().splitlines()[0] == "name,size"

    restored = Server(tmp_path / "restored")
    restored.directory.mkdir()
    shutil.copyfile(copy, restored.db_path)  # the restore step README.md gives for SQLite

    pages = {}
    for name, server in (("original", original), ("restored", restored)):
        server.start()
        try:
            pages[name] = fetch_pages(server)
        finally:
            server.stop()
    for path in PAGES:
        assert pages["restored"][path] == pages["original"][path], path
    assert json.loads(pages["original"]["/api/changes/"])["count"] > 0
