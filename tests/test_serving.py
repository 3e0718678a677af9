"""End to end under gunicorn (2 gthread workers, as `make serve`) on a SQLite file: no admin
edit is lost when many people save at once, and /healthz tells the truth when the database
file is gone or corrupt.

Each test starts its own server on a fresh database in a temporary directory (tests/serving.py:
a copy of the run's migrated and seeded one) and talks to it over HTTP on 127.0.0.1 only.
"""

import itertools
import shutil
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.forms import form_fields
from tests.serving import PASSWORD, TRANSPORT_ERRORS, Client, Server

SOLO_GROUPS = 16  # groups that one client edits alone
CONTESTED_GROUPS = 6  # groups that RIVALS clients edit at the same moment
RIVALS = 4
READERS = 8
BARRIER_TIMEOUT = 30  # seconds for every saver to be ready
# The saves take the database's one writer in turn: on a loaded machine the last may wait
# longer than tests/serving.py's HTTP_TIMEOUT for its answer; a client waits up to this long.
SAVE_HTTP_TIMEOUT = 60
SETTLE_SECONDS = 5  # how long the site may take to notice its database is gone, or back
STATUSES = ("mobilised", "mobilising", "future", "may_be_mobilised", "ad_hoc")
PUBLIC_PAGES = (
    "/",
    "/groups/",
    "/groups/psg/",
    "/calendar/2026/11/",
    "/calendar.ics",
    "/api/groups/",
)
REFUSAL_TEXT = "was changed by"
PROGRAMME_OFFICE = "Programme office"

GROUPS_CODE = """
import json
from groups.models import GovernanceGroup, StatusChange
last = StatusChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
groups = GovernanceGroup.objects.order_by("pk").values("slug", "pk", "status")
print(json.dumps({"last_status_change": last, "groups": list(groups)}))
"""

USERS_CODE = """
import json
from django.contrib.auth.models import Group, User
User.objects.create_superuser("admin", "admin@example.org", {password!r})
role = Group.objects.get(name={role!r})
for name in {names!r}:
    user = User.objects.create_user(name, f"{{name}}@example.org", {password!r}, is_staff=True)
    user.groups.add(role)
print(json.dumps(User.objects.count()))
"""

STATE_CODE = """
import json
from groups.models import GovernanceGroup, StatusChange
state = {{}}
for group in GovernanceGroup.objects.all():
    changes = StatusChange.objects.filter(group=group, pk__gt={last}).order_by("-changed_at", "-pk")
    state[group.slug] = {{
        "status": group.status,
        "status_note": group.status_note,
        "changes": [[c.from_status, c.to_status, c.note] for c in changes],
    }}
print(json.dumps(state))
"""


@pytest.fixture
def server(tmp_path):
    """A migrated, seeded database and gunicorn serving it; always stopped afterwards."""
    server = Server(tmp_path)
    server.prepare()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Edit:
    """One admin user's edit of one group's status and note."""

    username: str
    slug: str
    pk: int
    status: str
    note: str
    client: Client | None = None
    fields: dict | None = None  # the change form as the user received it, with the edit made
    outcome: str = ""  # stored, refused, failed (5xx), unexpected
    detail: str = ""

    @property
    def change_url(self):
        return f"/admin/groups/governancegroup/{self.pk}/change/"


def plan_edits(groups):
    """Sixteen solo edits and six groups edited by four rivals each; every edit changes the
    group's status, and rivals on one group each pick a different status."""
    needed = SOLO_GROUPS + CONTESTED_GROUPS
    assert len(groups) >= needed, f"the seed has {len(groups)} groups; the test needs {needed}"
    edits = []
    for group in groups[:needed]:
        other_statuses = [status for status in STATUSES if status != group["status"]]
        editors = 1 if len(edits) < SOLO_GROUPS else RIVALS
        for status in other_statuses[:editors]:
            username = f"office{len(edits) + 1:02d}"
            note = f"Set to {status} by {username} in the concurrent-save test"
            edits.append(Edit(username, group["slug"], group["pk"], status, note))
    return edits


def open_change_form(edit, base_url):
    """Log in as the edit's user and fetch the change form, as a browser tab holds it."""
    edit.client = Client(base_url)
    edit.client.login(edit.username)
    page = edit.client.get(edit.change_url)
    assert page.status == 200, f"{edit.username}: GET {edit.change_url} answered {page.status}"
    fields = form_fields(page.body)
    assert "status" in fields and "status_note" in fields, (
        f"{edit.username} cannot edit the status on {edit.change_url}: fields {sorted(fields)}"
    )
    fields["status"] = [edit.status]
    fields["status_note"] = [edit.note]
    fields["_save"] = ["Save"]
    edit.fields = fields


def save(edit, barrier):
    """Wait for every other saver, then POST the form; classify the answer."""
    barrier.wait(timeout=BARRIER_TIMEOUT)
    referer = edit.client.base_url + edit.change_url
    try:
        response = edit.client.post_form(edit.change_url, edit.fields, referer=referer)
    except TRANSPORT_ERRORS as error:
        edit.outcome, edit.detail = "unexpected", f"no answer: {error!r}"
        return
    if response.status == 302 and "/login/" not in response.location:
        edit.outcome = "stored"
    elif response.status == 409 or (response.status == 200 and REFUSAL_TEXT in response.body):
        edit.outcome = "refused"
    elif response.status >= 500:
        edit.outcome = "failed"
    else:
        edit.outcome = "unexpected"
    edit.detail = f"{response.status} {response.location}".strip()


def read_public_pages(base_url, stop, answers):
    """Loop over the public pages until stop is set, recording (path, status or error)."""
    client = Client(base_url)
    for path in itertools.cycle(PUBLIC_PAGES):
        if stop.is_set():
            return
        try:
            answers.append((path, client.get(path).status))
        except TRANSPORT_ERRORS as error:
            answers.append((path, type(error).__name__))


def test_concurrent_admin_saves_lose_nothing(server, monkeypatch):
    monkeypatch.setattr("tests.serving.HTTP_TIMEOUT", SAVE_HTTP_TIMEOUT)
    before = server.shell_json(GROUPS_CODE)
    edits = plan_edits(before["groups"])
    assert len(edits) == SOLO_GROUPS + CONTESTED_GROUPS * RIVALS
    code = USERS_CODE.format(
        password=PASSWORD, role=PROGRAMME_OFFICE, names=[edit.username for edit in edits]
    )
    server.shell_json(code)
    for edit in edits:  # one at a time, so the rivals on a group all hold the same version
        open_change_form(edit, server.base_url)

    stop = threading.Event()
    reader_answers = []
    readers = [
        threading.Thread(target=read_public_pages, args=(server.base_url, stop, reader_answers))
        for _ in range(READERS)
    ]
    for reader in readers:
        reader.start()
    try:
        barrier = threading.Barrier(len(edits))
        with ThreadPoolExecutor(max_workers=len(edits)) as pool:
            futures = [pool.submit(save, edit, barrier) for edit in edits]
            for future in futures:
                future.result()
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert not any(reader.is_alive() for reader in readers), "a reader thread did not finish"

    after = server.shell_json(STATE_CODE.format(last=before["last_status_change"]))
    by_group = {}
    for edit in edits:
        by_group.setdefault(edit.slug, []).append(edit)
    outcomes = Counter(edit.outcome for edit in edits)
    lost = [
        edit
        for edit in edits
        if edit.outcome == "stored"
        and (after[edit.slug]["status"], after[edit.slug]["status_note"])
        != (edit.status, edit.note)
    ]
    reader_statuses = Counter(status for _, status in reader_answers)
    print(
        f"\nsaves tried {len(edits)}, stored {outcomes['stored']}, "
        f"refused as stale {outcomes['refused']}, failed 5xx {outcomes['failed']}, "
        f"unexpected {outcomes['unexpected']}, lost {len(lost)}; "
        f"reader answers {dict(reader_statuses)}"
    )

    problems = []
    reader_5xx = [(path, s) for path, s in reader_answers if isinstance(s, int) and s >= 500]
    if outcomes["failed"] or reader_5xx:
        failed = [f"{e.username} {e.slug}: {e.detail}" for e in edits if e.outcome == "failed"]
        problems.append(f"5xx answers: savers {failed}, readers {Counter(reader_5xx)}")
    if outcomes["unexpected"]:
        odd = [f"{e.username} {e.slug}: {e.detail}" for e in edits if e.outcome == "unexpected"]
        problems.append(f"unexpected save answers: {odd}")
    reader_other = [
        (path, s) for path, s in reader_answers if s != 200 and (path, s) not in reader_5xx
    ]
    if reader_other:
        problems.append(f"readers got answers other than 200: {Counter(reader_other)}")
    if not reader_answers:
        problems.append("the readers made no requests while the saves ran")
    for slug, group_edits in by_group.items():
        stored = [edit for edit in group_edits if edit.outcome == "stored"]
        refused = [edit for edit in group_edits if edit.outcome == "refused"]
        expected = (1, len(group_edits) - 1)
        if (len(stored), len(refused)) != expected:
            problems.append(
                f"{slug}: {len(stored)} stored and {len(refused)} refused as stale of "
                f"{len(group_edits)} saves; expected {expected[0]} and {expected[1]}"
            )
        state = after[slug]
        if len(stored) == 1 and (state["status"], state["status_note"]) != (
            stored[0].status,
            stored[0].note,
        ):
            problems.append(
                f"{slug}: holds {state['status']!r} {state['status_note']!r}, not the stored "
                f"save's {stored[0].status!r} {stored[0].note!r}"
            )
        changes = state["changes"]
        if len(changes) != len(stored):
            problems.append(
                f"{slug}: {len(changes)} status history rows for {len(stored)} stored saves"
            )
        if changes and changes[0][1:] != [state["status"], state["status_note"]]:
            problems.append(
                f"{slug}: newest history row says {changes[0][1:]}, the group holds "
                f"{[state['status'], state['status_note']]}"
            )
    if lost:
        problems.append(f"lost edits: {[f'{e.username} {e.slug}' for e in lost]}")
    assert not problems, "\n".join(problems)


def statuses(client, method, path, times=4, headers=None):
    """The statuses of `times` requests (enough to reach both workers)."""
    return [client.request(method, path, headers=headers).status for _ in range(times)]


def wait_for(client, paths, status, seconds=SETTLE_SECONDS):
    """Ask each path in turn until all answer status in one round; return the last answers."""
    deadline = time.monotonic() + seconds
    while True:
        answers = {path: client.get(path).status for path in paths}
        if set(answers.values()) == {status} or time.monotonic() > deadline:
            return answers
        time.sleep(0.1)


def test_healthz_honest_when_sqlite_file_moved(server):
    client = Client(server.base_url)
    health = client.get("/healthz")
    assert (health.status, health.body) == (200, "ok")

    moved = []
    for path in server.database_files():
        path.rename(path.with_name(path.name + ".moved"))
        moved.append(path)
    try:
        answers = wait_for(client, ["/healthz"], 503)
        assert answers == {"/healthz": 503}, f"with the database file gone: {answers}"
        assert statuses(client, "GET", "/healthz") == [503] * 4
        assert statuses(client, "GET", "/") == [503] * 4
        assert statuses(client, "HEAD", "/") == [503] * 4
        assert not server.db_path.exists(), "serving created a new, empty database file"
    finally:
        server.db_path.unlink(missing_ok=True)  # anything serving created in their place
        for path in server.sidecar_files():
            path.unlink()
        for path in moved:
            path.with_name(path.name + ".moved").rename(path)

    answers = wait_for(client, ["/healthz", "/"], 200)
    assert answers == {"/healthz": 200, "/": 200}, f"with the database file back: {answers}"
    assert statuses(client, "GET", "/healthz") == [200] * 4
    assert statuses(client, "GET", "/") == [200] * 4


def test_corrupt_database_gives_503_not_500(server):
    client = Client(server.base_url)
    assert client.get("/healthz").status == 200
    backup = server.directory / "backup"
    backup.mkdir()
    saved = server.database_files()
    for path in saved:
        shutil.copy2(path, backup / path.name)

    server.db_path.write_bytes(bytes(range(256)) * 256)  # 64 KiB, in place
    for path in server.sidecar_files():  # the -wal and -shm files
        path.unlink()
    try:
        answers = wait_for(client, ["/healthz"], 503)
        assert answers == {"/healthz": 503}, f"with a corrupt database file: {answers}"
        assert statuses(client, "GET", "/healthz") == [503] * 4
        assert statuses(client, "GET", "/") == [503] * 4
        assert statuses(client, "HEAD", "/") == [503] * 4
        cookie = {"Cookie": "sessionid=abc"}
        assert statuses(client, "GET", "/", headers=cookie) == [503] * 4
    finally:
        for path in server.sidecar_files():
            path.unlink()
        for path in saved:
            shutil.copy2(backup / path.name, path)
