"""The rows the status service writes: the group's status history (``StatusChange``) and the
change-log entry participants read, for each kind of change; and the change-log entries of
the other writes in ``groups.services`` (a group added, a mailbox added or changed)."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User

from groups.models import ChangeEntry, GovernanceGroup, Mailbox, StatusChange
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
        ChangeEntry.objects.order_by("at").values_list(
            "kind", "summary", "before", "after", "url", "subject", "reschedules", "at", "by"
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
            "PSG is now Available for any ad hoc meetings, from 1 February 2027",
            "Mobilised",
            "Available for any ad hoc meetings: Meets when needed",
            "/groups/psg/",
            "status:psg",
            True,
            AT,
            editor.pk,
        )
    ]
    assert ChangeEntry.objects.get().group == psg
    stored = GovernanceGroup.objects.get(slug="psg")
    assert (stored.status, stored.status_note, stored.status_changed_at) == (
        "ad_hoc",
        "Meets when needed",
        AT,
    )
    assert stored.status_effective_from is None, "the next change defaults to its own day"


def test_without_a_date_the_change_takes_effect_on_the_uk_day_it_is_made(seeded, editor):
    """23:30 UTC on 30 June is already 1 July in the UK."""
    at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    dag = GovernanceGroup.objects.get(slug="dag")
    change_group_status(group=dag, status="mobilised", note="", by=editor, at=at)
    assert history("dag") == [("ad_hoc", "mobilised", "", date(2026, 7, 1), at, editor.pk)]
    assert entries() == [
        (
            "status_changed",
            "DAG is now Mobilised, from 1 July 2026",
            "Available for any ad hoc meetings",
            "Mobilised",
            "/groups/dag/",
            "status:dag",
            True,
            at,
            editor.pk,
        )
    ]


def test_a_change_between_statuses_without_meetings_does_not_reschedule(seeded, editor):
    group = GovernanceGroup.objects.get(slug="lqtsg")
    change_group_status(group=group, status="future", note="", by=None, at=AT)
    assert history("lqtsg") == [("may_be_mobilised", "future", "", date(2026, 11, 26), AT, None)]
    assert entries() == [
        (
            "status_changed",
            "LQTSG is now To be mobilised in future",
            "May be mobilised",
            "To be mobilised in future",
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
    change_group_status(group=torwg, status="replaced", note="", by=editor, at=AT)
    assert entries() == [
        (
            "group_replaced",
            "TORWG was replaced, from 26 November 2026",
            "Mobilised",
            "Replaced",
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
    assert ChangeEntry.objects.get().group.slug == "new-group"


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
    assert ChangeEntry.objects.filter(group__isnull=False).count() == 0
