"""The rows the status service writes: the group's status history (``StatusChange``) and the
change-log entry participants read, for each kind of change; and the change-log entries of
the other writes in ``groups.services`` (a group added, a mailbox added or changed)."""

import importlib
import re
from datetime import UTC, date, datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup, Mailbox, SourceNote, StatusChange
from groups.services import change_group_status, group_add, mailbox_change
from tests.conftest import LONDON

AT = datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", "editor@example.org", "a-long-password-4")


def history(slug):
    return list(
        StatusChange.objects.filter(group__slug=slug).values_list(
            "from_status", "to_status", "note", "effective_from", "changed_at", "changed_by"
        )
    )


def entries():
    return list(
        ChangeEntry.objects.order_by("recorded_at").values_list(
            *("kind", "summary", "before", "after", "url", "subject", "reschedules"),
            *("recorded_at", "by"),
        )
    )


def test_stopping_meetings_from_a_given_date_is_recorded_and_announced(seeded, editor):
    psg = GovernanceGroup.objects.get(slug="psg")
    psg.status_effective_from = date(2027, 2, 1)
    change = change_group_status(
        group=psg, status="ad_hoc", note="Meets when needed", by=editor, at=AT
    )
    assert history("psg") == [
        ("mobilised", "ad_hoc", "Meets when needed", date(2027, 2, 1), AT, editor.pk)
    ]
    assert change == StatusChange.objects.get()
    assert entries() == [
        (
            "status_changed",
            "PSG will be Available for any ad hoc meetings from 1 February 2027",
            "Mobilised",
            "Available for any ad hoc meetings: Meets when needed",
            "/groups/psg/",
            "status:psg",
            True,
            AT,
            editor.pk,
        )
    ]
    assert ChangeEntry.objects.get().group_slug == psg.slug
    stored = GovernanceGroup.objects.get(slug="psg")
    assert (stored.status, stored.status_note, stored.status_changed_at) == ("mobilised", "", None)
    assert (stored.scheduled_status.status, stored.scheduled_status.effective_from) == (
        "ad_hoc",
        date(2027, 2, 1),
    )
    assert stored.status_effective_from is None, "the next change defaults to its own day"


def test_without_a_date_the_change_takes_effect_on_the_uk_day_it_is_made(seeded, editor):
    """23:30 UTC on 30 June is already 1 July in the UK."""
    at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    dag = GovernanceGroup.objects.get(slug="dag")
    change_group_status(group=dag, status="mobilised", note="Back", by=editor, at=at)
    assert history("dag") == [("ad_hoc", "mobilised", "Back", date(2026, 7, 1), at, editor.pk)]
    assert entries() == [
        (
            "status_changed",
            "DAG is now Mobilised, from 1 July 2026",
            "Available for any ad hoc meetings",
            "Mobilised: Back",
            "/groups/dag/",
            "status:dag",
            True,
            at,
            editor.pk,
        )
    ]


def test_a_change_between_statuses_without_meetings_does_not_reschedule(seeded, editor):
    group = GovernanceGroup.objects.get(slug="lqtsg")
    change_group_status(group=group, status="future", note="Planned", by=None, at=AT)
    assert history("lqtsg") == [("not_stated", "future", "Planned", date(2026, 11, 26), AT, None)]
    assert entries() == [
        (
            "status_changed",
            "LQTSG is now To be mobilised in future",
            "Not stated in the source",
            "To be mobilised in future: Planned",
            "/groups/lqtsg/",
            "status:lqtsg",
            False,
            AT,
            None,
        )
    ]


def test_a_note_only_change_is_announced_without_a_before(seeded, editor):
    psg = GovernanceGroup.objects.get(slug="psg")
    change_group_status(group=psg, status="mobilised", note="Online this winter", by=editor, at=AT)
    assert history("psg") == [
        ("mobilised", "mobilised", "Online this winter", date(2026, 11, 26), AT, editor.pk)
    ]
    assert entries() == [
        (
            "status_changed",
            "PSG: status note changed",
            "",
            "Mobilised: Online this winter",
            "/groups/psg/",
            "status:psg",
            False,
            AT,
            editor.pk,
        )
    ]


def test_a_replaced_group_is_announced_as_replaced(seeded, editor):
    torwg = GovernanceGroup.objects.get(slug="torwg")
    change_group_status(group=torwg, status="replaced", note="Replaced by SITAG", by=editor, at=AT)
    assert entries() == [
        (
            "group_replaced",
            "TORWG was replaced, from 26 November 2026",
            "Mobilised",
            "Replaced: Replaced by SITAG",
            "/groups/torwg/",
            "status:torwg",
            True,
            AT,
            editor.pk,
        )
    ]


def test_saving_the_same_status_and_note_writes_no_history(seeded, editor):
    psg = GovernanceGroup.objects.get(slug="psg")
    psg.status_effective_from = date(2027, 2, 1)
    assert change_group_status(group=psg, status="mobilised", note="", by=editor, at=AT) is None
    assert history("psg") == []
    assert entries() == []
    assert GovernanceGroup.objects.get(slug="psg").status_effective_from is None


def test_a_new_group_is_announced(seeded, editor):
    group = GovernanceGroup(
        slug="new-group",
        acronym="NG",
        name="New Group",
        attendance="open",
        decision_making=False,
        status="future",
        level_note="NA",
        workstream_note="Not given",
    )
    group_add(group=group, by=editor, at=AT)
    assert GovernanceGroup.objects.get(slug="new-group").name == "New Group"
    assert entries() == [
        (
            "group_added",
            "New Group (NG) added",
            "",
            "To be mobilised in future",
            "/groups/new-group/",
            "",
            False,
            AT,
            editor.pk,
        )
    ]
    assert ChangeEntry.objects.get().group_slug == "new-group"


def test_a_mailbox_added_changed_or_saved_unchanged(seeded, editor):
    mailbox = Mailbox(slug="data", name="Data", address="Data@example.org", purpose="for data.")
    mailbox_change(mailbox=mailbox, by=editor, at=AT)
    mailbox = Mailbox.objects.get(slug="data")
    mailbox_change(mailbox=mailbox, by=editor, at=AT)  # nothing changed: nothing announced
    mailbox.address = "Data@mhhsprogramme.co.uk"
    mailbox_change(mailbox=mailbox, by=editor, at=AT)
    assert Mailbox.objects.get(slug="data").address == "Data@mhhsprogramme.co.uk"
    assert [entry[:5] for entry in entries()] == [
        ("mailbox_changed", "Data mailbox added", "", "Data@example.org: for data.", "/contact/"),
        (
            "mailbox_changed",
            "Data mailbox changed",
            "Data@example.org: for data.",
            "Data@mhhsprogramme.co.uk: for data.",
            "/contact/",
        ),
    ]
    assert [entry[8] for entry in entries()] == [editor.pk, editor.pk]
    assert entries()[0][7] == AT, "announced at the time of the change"
    assert ChangeEntry.objects.exclude(group_slug="").count() == 0


NOT_STATED = ["ofgem", "engagement-and-comms-group", "commercial-impacts-group", "lqtsg", "saqtsg"]


def test_groups_whose_status_the_source_does_not_give_are_not_stated(client, seeded):
    groups = {g["slug"]: g for g in client.get("/api/groups/").json()["groups"]}
    assert sorted(s for s, g in groups.items() if g["status"] == "not_stated") == sorted(NOT_STATED)
    assert {groups[slug]["status_label"] for slug in NOT_STATED} == {"Not stated in the source"}
    for slug in NOT_STATED:
        page = client.get(f"/groups/{slug}/").content.decode()
        status = page.split('class="glance-status">', 1)[1].split("</dd>", 1)[0]
        assert "Not stated in the source" in status
        assert "text does not give this group's status" in status
        assert "May be mobilised" not in status and "assumption" not in status
    assert not SourceNote.objects.filter(group__slug__in=NOT_STATED, fact="status").exists()
    assert "status" not in SourceNote.objects.get(slug="ofgem-facts").fact


def test_the_home_key_is_the_sources_five_with_the_others_explained_beside(client, seeded):
    html = client.get("/").content.decode()
    key = html.split('class="status-key"', 1)[1].split("</section>", 1)[0]
    key = re.sub(r">\s+<", "><", key)  # the template puts each <li> on its own lines
    entries = [item.rsplit("</span>", 1)[1] for item in key.split("</span></li>")[:-1]]
    assert entries == [
        "Mobilised",
        "Mobilisation in progress",
        "To be mobilised in future",
        "May be mobilised",
        "Available for any ad hoc meetings",
    ]
    beside = key.split("</ul>", 1)[1]
    assert "“Replaced”" in beside and "“Not stated in the source”" in beside


def test_the_migration_moves_only_the_seeds_guesses(seeded, editor):
    """An existing database: a guess still as seeded becomes "not stated"; a status the
    admin set stays; the notes that explained the guesses go."""
    migration = importlib.import_module("groups.migrations.0008_status_timeline")
    GovernanceGroup.objects.filter(slug__in=["lqtsg", "saqtsg"]).update(status="may_be_mobilised")
    GovernanceGroup.objects.filter(slug="ofgem").update(status="mobilised")
    commercial = GovernanceGroup.objects.get(slug="commercial-impacts-group")
    change_group_status(group=commercial, status="may_be_mobilised", note="Set", by=editor, at=AT)
    SourceNote.objects.create(
        slug="lqtsg-status",
        group=GovernanceGroup.objects.get(slug="lqtsg"),
        kind="inferred",
        fact="status",
        field="status",
        assumption="it may be mobilised",
        explanation="A guess.",
    )
    migration.forwards(django_apps, None)
    statuses = dict(GovernanceGroup.objects.values_list("slug", "status"))
    assert [statuses[s] for s in ["ofgem", "lqtsg", "saqtsg"]] == ["not_stated"] * 3
    assert statuses["commercial-impacts-group"] == "may_be_mobilised", "the admin's stays"
    assert not SourceNote.objects.filter(slug="lqtsg-status").exists()
    # Ofgem's note is 0007's to rewrite (tests/test_migrations_frozen.py).
