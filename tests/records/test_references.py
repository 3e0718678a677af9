"""References never repeat and never race, and the record cannot be quietly undone: a number
once given is never given again, a save the database refuses keeps what the user typed, and
a published decision a superuser removes answers 410 with its change-log entries kept."""

import itertools
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from changelog.models import ChangeEntry
from records import services
from records.models import Decision, RemovedDecision
from tests.forms import form_fields
from tests.records.conftest import make_action, make_decision, make_record, post, record_form
from tests.serving import PASSWORD, TRANSPORT_ERRORS, Client, Server, postgres_database

DECISION_ADD = "/admin/records/decision/add/"
REMOVED = "Decision PSG-2026-001 (PSG): removed from the register on 26 November 2026"


def add_form(client, **values):
    fields = record_form(client, DECISION_ADD)
    fields.update(
        {
            "group": [str(make_record(day=date(2026, 11, 4)).group_id)],
            "date": ["2026-11-04"],
            "title": ["My carefully worded title"],
            "summary": ["A summary typed at length."],
            "rationale": ["Reasons typed at length."],
            "status": ["made"],
            "keep_draft": ["on"],  # no publication time: kept a draft, as the form asks
            **{name: [value] for name, value in values.items()},
        }
    )
    return fields


def test_a_deleted_drafts_number_is_never_given_again(office, seeded, now):
    make_decision(day=date(2026, 11, 4))
    draft = make_decision(published_at=None)
    assert draft.reference == "PSG-2026-002"
    delete = f"/admin/records/decision/{draft.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 302
    assert make_decision(published_at=None).reference == "PSG-2026-003"
    assert make_decision(day=date(2027, 1, 6)).reference == "PSG-2027-001"


def test_an_actions_number_is_never_given_again(seeded, now):
    record = make_record(day=date(2026, 11, 4))
    make_action(record)
    make_action(record).delete()
    assert make_action(record).reference == "PSG-2026-A003"
    assert make_decision(day=date(2026, 11, 4)).reference == "PSG-2026-001"  # its own count


def test_numbering_starts_past_numbers_already_stored(seeded, now):
    stored = make_decision(day=date(2026, 11, 4))
    Decision.objects.filter(pk=stored.pk).update(sequence=7, reference="PSG-2026-007")
    assert make_decision().reference == "PSG-2026-008"


@pytest.mark.parametrize("reference", ["%00", "PSG-2026-001%00", "psg-2026-1", "x" * 300])
def test_a_reference_in_the_wrong_form_is_a_404_before_any_query(client, seeded, reference):
    # PostgreSQL refuses a NUL in a query: looking one up would answer 503, not 404.
    assert client.get(f"/decisions/{reference}/").status_code == 404


def test_a_removed_published_decision_answers_410_and_its_entries_keep_their_place(
    root, office, client, seeded, now
):
    decision = make_decision(title="Approve the secret migration plan")
    entries = list(ChangeEntry.objects.values_list("pk", "visible_at", "url").order_by("pk"))
    assert (
        office.post(f"/admin/records/decision/{decision.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = root.post(f"/admin/records/decision/{decision.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Decision.objects.exists()
    removed = RemovedDecision.objects.get()
    assert (removed.reference, removed.removed_by.is_superuser) == ("PSG-2026-001", True)

    page = client.get("/decisions/PSG-2026-001/")
    assert page.status_code == 410
    html = page.content.decode()
    assert "removed from the register on" in html and "26 November 2026" in html
    assert "secret" not in html and "Traceback" not in html
    assert client.get("/decisions/PSG-2026-002/").status_code == 404

    # The entries keep their place, their text redacted; the removal is logged after them.
    kept = ChangeEntry.objects.values_list("pk", "visible_at", "url").order_by("pk")
    assert list(kept)[: len(entries)] == entries
    published, removal = ChangeEntry.objects.filter(subject="decision:PSG-2026-001").order_by("pk")
    assert (published.summary, published.before, published.after) == (REMOVED, "", "")
    assert (removal.kind, removal.summary, removal.url) == (
        "decision_removed",
        REMOVED,
        "/decisions/PSG-2026-001/",
    )
    for path in ("/changes/", "/changes.atom", "/groups/psg/changes.atom", "/api/changes/"):
        shown = client.get(path).content.decode()
        assert "removed from the register on 26 November 2026" in shown, path
        assert "secret" not in shown, path
    assert make_decision().reference == "PSG-2026-002"  # never given again


def test_a_superusers_bulk_delete_removes_published_decisions_the_same_way(
    root, client, seeded, now
):
    published = make_decision(title="Published")
    draft = make_decision(title="Draft", published_at=None)
    response = root.post(
        "/admin/records/decision/",
        {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Decision.objects.exists()
    assert list(RemovedDecision.objects.values_list("reference", flat=True)) == ["PSG-2026-001"]
    assert client.get("/decisions/PSG-2026-001/").status_code == 410
    assert client.get("/decisions/PSG-2026-002/").status_code == 404  # never public
    assert make_decision().reference == "PSG-2026-003"


def test_a_decision_superseding_another_is_not_removed(root, seeded, now):
    successor = make_decision(title="Successor")
    old = make_decision(
        day=date(2026, 11, 4),
        status="superseded",
        superseded_by=successor,
        status_reason="Replaced.",
    )
    response = root.post(f"/admin/records/decision/{successor.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin lists what protects it
    assert Decision.objects.filter(pk=successor.pk).exists()
    old.refresh_from_db()
    assert old.superseded_by == successor and not RemovedDecision.objects.exists()


def test_a_save_the_database_refuses_is_a_409_that_keeps_what_was_typed(
    office, seeded, now, monkeypatch
):
    make_decision(day=date(2026, 11, 4))
    # Two saves that got the same number past every check: the database refuses the second.
    monkeypatch.setattr(services, "_next_sequence", lambda *args, **kwargs: 1)
    monkeypatch.setattr(Decision, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(Decision, "validate_constraints", lambda self, exclude=None: None)
    response = post(office, DECISION_ADD, add_form(office))
    assert response.status_code == 409
    html = response.content.decode()
    assert "your save collided with another one" in html
    assert 'value="My carefully worded title"' in html
    assert "A summary typed at length." in html and "Reasons typed at length." in html
    assert Decision.objects.count() == 1


def test_a_save_the_service_refuses_is_a_form_error(office, seeded, now, monkeypatch):
    make_decision(day=date(2026, 11, 4))
    monkeypatch.setattr(services, "_next_sequence", lambda *args, **kwargs: 1)  # a number in use
    response = post(office, DECISION_ADD, add_form(office))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Decision with this Reference already exists." in html
    assert 'value="My carefully worded title"' in html
    assert Decision.objects.count() == 1


# Forty-five people add a decision for one group and year at the same moment, on PostgreSQL
# behind two gunicorn servers, while others read the public pages: every one is stored with
# a reference of its own and nobody sees a 5xx.

SAVERS = 45
RACE_READERS = 4
RACE_PAGES = ("/", "/decisions/", "/api/decisions/", "/changes/", "/calendar.ics")
RACE_USERS = """
import json
from django.contrib.auth.models import Group, User
from groups.models import GovernanceGroup
role = Group.objects.get(name="Programme office")
for name in {names!r}:
    user = User.objects.create_user(name, f"{{name}}@example.org", {password!r}, is_staff=True)
    user.groups.add(role)
print(json.dumps(GovernanceGroup.objects.get(slug="psg").pk))
"""
RACE_STATE = """
import json
from records.models import Decision
rows = Decision.objects.filter(group__slug="psg", year=2027)
print(json.dumps(sorted(rows.values_list("reference", flat=True))))
"""


@pytest.fixture
def race_database():
    """A database of the test's own on the PostgreSQL server DATABASE_URL names."""
    with postgres_database("mhhs_race", needs="the race on references") as url:
        yield url


@pytest.fixture
def two_servers(tmp_path, race_database):
    servers = []
    for number in (1, 2):
        server = Server(tmp_path / f"server{number}")
        server.directory.mkdir()
        server.env["DATABASE_URL"] = race_database
        servers.append(server)
    servers[0].prepare()
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _read(base_url, stop, answers):
    client = Client(base_url)
    for path in itertools.cycle(RACE_PAGES):
        if stop.is_set():
            return
        try:
            answers.append(client.get(path).status)
        except TRANSPORT_ERRORS as error:
            answers.append(type(error).__name__)


def _add_decision(client, fields, barrier):
    barrier.wait(timeout=30)
    try:
        response = client.post_form(DECISION_ADD, fields, referer=client.base_url + DECISION_ADD)
    except TRANSPORT_ERRORS as error:
        return f"no answer: {error!r}"
    return response.status


def test_45_decisions_added_at_once_on_postgresql_all_get_their_own_reference(two_servers):
    names = [f"office{n:02d}" for n in range(SAVERS)]
    psg = two_servers[0].shell_json(RACE_USERS.format(names=names, password=PASSWORD))
    forms = []
    for n, name in enumerate(names):
        client = Client(two_servers[n % 2].base_url)
        client.login(name)
        page = client.get(DECISION_ADD)
        assert page.status == 200, f"{name}: GET {DECISION_ADD} answered {page.status}"
        fields = form_fields(page.body)
        fields.update(
            {
                "group": [str(psg)],
                "date": ["2027-03-03"],
                "title": [f"Decision {n} of the race"],
                "summary": ["Typed at the same moment as 44 others."],
                "rationale": ["To show that no reference is given twice."],
                "status": ["made"],
                "keep_draft": ["on"],  # no publication time: kept a draft, as the form asks
                "_save": ["Save"],
            }
        )
        forms.append((client, fields))

    stop, answers = threading.Event(), []
    readers = [
        threading.Thread(target=_read, args=(server.base_url, stop, answers))
        for server in two_servers
        for _ in range(RACE_READERS // 2)
    ]
    for reader in readers:
        reader.start()
    try:
        barrier = threading.Barrier(SAVERS)
        with ThreadPoolExecutor(max_workers=SAVERS) as pool:
            outcomes = list(pool.map(lambda form: _add_decision(*form, barrier), forms))
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)

    references = two_servers[0].shell_json(RACE_STATE)
    saves = Counter(outcomes)
    reads = Counter(answers)
    failures = [a for a in [*outcomes, *answers] if not isinstance(a, int) or a >= 500]
    print(
        f"\n{SAVERS} decisions added at once on two servers: answers {dict(saves)}; stored "
        f"{len(references)}, distinct references {len(set(references))}, 5xx or no answer "
        f"{len(failures)}; reader answers {dict(reads)}"
    )
    assert saves == {302: SAVERS}
    assert len(references) == len(set(references)) == SAVERS
    assert references == [f"PSG-2027-{n:03d}" for n in range(1, SAVERS + 1)]
    assert not failures
    assert answers and set(answers) == {200}
