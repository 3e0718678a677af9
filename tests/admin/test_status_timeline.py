"""A group's status is what holds today: a change announced through the admin for a later
date leaves today's status on every surface and announces the change; on its date it takes
over without anyone saving anything. The past is refused to the Programme office and only
corrected, with a reason, by an administrator."""

import re
from datetime import date, datetime
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changelog.models import ChangeEntry
from core import clock
from groups.models import GovernanceGroup, StatusChange
from groups.services import change_group_status
from tests.admin.test_admin import CHANGELIST, change_form, change_url, changelist_form
from tests.conftest import LONDON

AD_HOC = "Available for any ad hoc meetings"
OLD_NOTE = "Email update provided in lieu of papers and meeting slot available for ad hoc meetings"
NEW_NOTE = "Monthly meetings resume"
NEXT_MONTH = date(2026, 12, 1)  # the clock is pinned to 26 November 2026
ANNOUNCED = "From 1 December 2026: Mobilised"


def first_of_next_month():
    today = clock.today()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def announce_dag_mobilised(office, day=None, note=NEW_NOTE):
    """The Programme office sets DAG to Mobilised from ``day`` on its change form."""
    day = day or first_of_next_month()
    return office.post(
        change_url("dag"),
        {
            **change_form(office, "dag"),
            "status": "mobilised",
            "status_note": note,
            "status_effective_from": day.isoformat(),
        },
    )


def text(page: str) -> str:
    """What a reader sees: tags out, entities read, spaces as a browser shows them."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    return re.sub(r" ([:.,;)])", r"\1", words)


def dag_card(client) -> str:
    """DAG's card on the org chart (the home page)."""
    html = client.get("/").content.decode()
    return text(html.split('href="/groups/dag/">', 1)[1].split("</a>", 1)[0])


def dag_row(client, query="") -> str:
    """DAG's row in the directory, or "" when it is not listed."""
    html = client.get(f"/groups/{query}").content.decode()
    rows = [row for row in html.split("<tr>") if 'href="/groups/dag/"' in row]
    return text(rows[0].split("</tr>")[0]) if rows else ""


def dag_status(client) -> str:
    html = client.get("/groups/dag/").content.decode()
    return text(html.split('class="glance-status">', 1)[1].split("</dd>", 1)[0])


def dag_json(client) -> dict:
    (dag,) = [g for g in client.get("/api/groups/").json()["groups"] if g["slug"] == "dag"]
    assert dag == client.get("/api/groups/dag/").json() | {"next_meeting": dag["next_meeting"]}
    return dag


def test_a_change_for_next_month_is_announced_then_takes_over_on_its_date(
    client, office, seeded, monkeypatch
):
    response = announce_dag_mobilised(office)
    assert response.status_code == 302, text(response.content.decode())[:2000]
    assert first_of_next_month() == NEXT_MONTH
    version = GovernanceGroup.objects.get(slug="dag").version

    # Today: today's status and note everywhere, and the change announced beside them.
    page = dag_status(client)
    assert page.startswith(f"Status {AD_HOC} {ANNOUNCED} {OLD_NOTE}"), page
    assert f"the status will be “Mobilised”: {NEW_NOTE}" in page
    assert dag_card(client).count(AD_HOC) == 1 and ANNOUNCED in dag_card(client)
    assert AD_HOC in dag_row(client) and ANNOUNCED in dag_row(client)
    listed = dag_json(client)
    assert (listed["status"], listed["status_label"], listed["status_note"]) == (
        "ad_hoc",
        AD_HOC,
        OLD_NOTE,
    )
    assert listed["scheduled_status"] == {"status": "mobilised", "from": "2026-12-01"}
    assert dag_row(client, "?status=ad_hoc") and not dag_row(client, "?status=mobilised")
    (entry,) = ChangeEntry.objects.filter(group_slug="dag")
    assert entry.summary == "DAG will be Mobilised from 1 December 2026"

    # The day it takes effect: nobody saves anything, and it holds.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 1, 0, 1, tzinfo=LONDON))
    page = dag_status(client)
    assert page.startswith(f"Status Mobilised {NEW_NOTE}"), page
    assert "From " not in page and OLD_NOTE not in page
    assert "Mobilised" in dag_card(client) and AD_HOC not in dag_card(client)
    assert "Mobilised" in dag_row(client) and AD_HOC not in dag_row(client)
    listed = dag_json(client)
    assert (listed["status"], listed["status_note"], listed["scheduled_status"]) == (
        "mobilised",
        NEW_NOTE,
        None,
    )
    assert dag_row(client, "?status=mobilised") and not dag_row(client, "?status=ad_hoc")
    assert GovernanceGroup.objects.get(slug="dag").version == version, "nothing was saved"
    # The admin's form now starts from the status that holds.
    form = change_form(office, "dag")
    assert (form["status"], form["status_note"]) == (["mobilised"], [NEW_NOTE])


def test_a_past_date_is_refused_to_the_programme_office(office, seeded):
    response = announce_dag_mobilised(office, day=date(2026, 5, 1))
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "A status change takes effect today or later: 1 May 2026 is in the past" in page
    assert not StatusChange.objects.exists() and not ChangeEntry.objects.exists()
    assert GovernanceGroup.objects.get(slug="dag").status == "ad_hoc"
    # Nor can the office tick a correction: the form does not offer it.
    assert 'name="corrects_record"' not in office.get(change_url("dag")).content.decode()


def test_a_superuser_corrects_the_past_only_with_the_box_ticked_and_a_reason(root, client, seeded):
    past = {"status": "mobilised", "status_note": NEW_NOTE, "status_effective_from": "2026-05-01"}
    refused = root.post(change_url("dag"), {**change_form(root, "dag"), **past})
    assert refused.status_code == 200
    assert "is in the past" in refused.content.decode()
    no_reason = root.post(
        change_url("dag"), {**change_form(root, "dag"), **past, "corrects_record": "on"}
    )
    assert no_reason.status_code == 200
    assert "Say why the record is corrected." in no_reason.content.decode()
    assert not StatusChange.objects.exists()

    reason = "The minutes of May show monthly meetings"
    corrected = root.post(
        change_url("dag"),
        {**change_form(root, "dag"), **past, "corrects_record": "on", "correction_reason": reason},
    )
    assert corrected.status_code == 302
    change = StatusChange.objects.get()
    assert (change.effective_from, change.correction_reason) == (date(2026, 5, 1), reason)
    (entry,) = ChangeEntry.objects.all()
    assert (entry.kind, entry.summary) == (
        "status_corrected",
        f"Correction of the record: DAG was Mobilised from 1 May 2026 ({reason})",
    )
    assert entry.summary in client.get("/changes/").content.decode()
    history = client.get("/groups/dag/").content.decode().split('id="history-heading"')[1]
    assert f"Correction of the record: {reason}" in text(history.split("</section>")[0])
    assert dag_json(client)["status"] == "mobilised"


def row_data(client, slug, status, note, day=""):
    data = changelist_form(client)
    pk = str(GovernanceGroup.objects.get(slug=slug).pk)
    (index,) = [i for i in range(int(data["form-TOTAL_FORMS"][0])) if data[f"form-{i}-id"] == [pk]]
    data[f"form-{index}-status"] = status
    data[f"form-{index}-status_note"] = note
    data[f"form-{index}-status_effective_from"] = day
    return data


def test_a_new_status_on_the_list_needs_its_own_note(office, seeded):
    kept_note = office.post(CHANGELIST, row_data(office, "dag", "mobilised", OLD_NOTE))
    assert kept_note.status_code == 200
    page = text(kept_note.content.decode())
    assert f"A new status needs its own note: the note “{OLD_NOTE}” is the old status's." in page
    no_note = office.post(CHANGELIST, row_data(office, "psg", "ad_hoc", ""))
    assert no_note.status_code == 200
    assert "say what “Available for any ad hoc meetings” means" in no_note.content.decode()
    assert not StatusChange.objects.exists()
    saved = office.post(CHANGELIST, row_data(office, "dag", "mobilised", NEW_NOTE, "2027-01-01"))
    assert saved.status_code == 302
    assert "From 1 January 2027: Mobilised" in office.get(CHANGELIST).content.decode()
    # The note of today's status may change alone.
    note_only = office.post(CHANGELIST, row_data(office, "psg", "mobilised", "Online in winter"))
    assert note_only.status_code == 302


def test_the_office_withdraws_an_announced_change_before_it_takes_effect(
    office, client, seeded, monkeypatch
):
    assert announce_dag_mobilised(office).status_code == 302
    dag = GovernanceGroup.objects.get(slug="dag")
    response = office.post(
        CHANGELIST,
        {"action": "withdraw_announced_status", "_selected_action": [str(dag.pk)], "index": "0"},
    )
    assert response.status_code == 302
    assert "the change to “Mobilised” from 1 December 2026 was withdrawn" in text(
        office.get(response["Location"]).content.decode()
    )
    assert not StatusChange.objects.exists()
    withdrawn = ChangeEntry.objects.get(kind="status_withdrawn")
    assert withdrawn.summary == (
        "DAG will not become Mobilised from 1 December 2026: the announced change was withdrawn"
    )
    assert withdrawn.by.username == "pmo"
    assert dag_json(client)["scheduled_status"] is None
    assert ANNOUNCED not in dag_status(client)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 2, 9, tzinfo=LONDON))
    assert dag_json(client)["status"] == "ad_hoc", "withdrawn: it never takes over"


@pytest.mark.parametrize("path", ["/groups/", "/api/groups/", "/groups/export.csv"])
def test_tmag_is_listed_by_default_marked_replaced(client, seeded, path):
    body = client.get(path).content.decode()
    if path == "/api/groups/":
        (tmag,) = [g for g in client.get(path).json()["groups"] if g["slug"] == "tmag"]
        assert (tmag["status"], tmag["status_label"]) == ("replaced", "Replaced")
        assert client.get(path).json()["count"] == 22
    elif path.endswith(".csv"):
        (row,) = [line for line in body.splitlines() if line.startswith("tmag,")]
        assert ",replaced,Replaced," in row
    else:
        (row,) = [r for r in body.split("<tr>") if 'href="/groups/tmag/"' in r]
        assert "Replaced" in text(row)


def test_announced_changes_add_no_queries_to_a_page(client, office, seeded):
    paths = ["/", "/groups/", "/api/groups/", "/groups/dag/", "/groups/export.csv"]

    def counts():
        found = {}
        for path in paths:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found[path] = len(queries)
        return found

    before = counts()
    assert announce_dag_mobilised(office).status_code == 302
    for slug, status in (("psg", "ad_hoc"), ("lqtsg", "future")):
        group = GovernanceGroup.objects.get(slug=slug)
        group.status_effective_from = date(2027, 3, 1)
        change_group_status(group=group, status=status, note="Announced", by=None, at=clock.now())
    assert sum(group.next_status is not None for group in GovernanceGroup.objects.all()) == 3
    assert counts() == before
