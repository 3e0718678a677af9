"""Status changes go through one service, which records every change in the history."""

from datetime import datetime

import pytest
from concurrency.exceptions import RecordModifiedError
from django.contrib.auth.models import User

from groups.models import GovernanceGroup, StatusChange
from groups.services import change_group_status
from tests.conftest import LONDON

AT = datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", "editor@example.org", "a-long-password-4")


def test_a_status_change_is_recorded_with_who_and_when(seeded, editor):
    dag = GovernanceGroup.objects.get(slug="dag")
    change = change_group_status(group=dag, status="mobilised", note="Back", by=editor, at=AT)
    assert (change.from_status, change.to_status, change.note) == ("ad_hoc", "mobilised", "Back")
    assert (change.changed_by, change.changed_at) == (editor, AT)
    dag.refresh_from_db()
    assert (dag.status, dag.status_note, dag.status_changed_at) == ("mobilised", "Back", AT)


def test_a_note_only_edit_is_recorded(seeded, editor):
    psg = GovernanceGroup.objects.get(slug="psg")
    change = change_group_status(
        group=psg, status="mobilised", note="Meets online this winter", by=editor, at=AT
    )
    assert change.is_note_only
    assert (change.from_status, change.to_status) == ("mobilised", "mobilised")
    assert change.note == "Meets online this winter"
    assert GovernanceGroup.objects.get(slug="psg").status_changed_at == AT


def test_saving_the_same_status_and_note_records_nothing(seeded, editor):
    psg = GovernanceGroup.objects.get(slug="psg")
    assert change_group_status(group=psg, status=psg.status, note="", by=editor, at=AT) is None
    assert not StatusChange.objects.exists()
    assert GovernanceGroup.objects.get(slug="psg").status_changed_at is None


def test_save_records_nothing_even_after_refresh(seeded):
    """The model's save() holds no history logic: reading and saving is not a change."""
    dag = GovernanceGroup.objects.get(slug="dag")
    dag.status = "mobilised"
    dag.refresh_from_db()
    dag.save()
    dag.purpose = "Edited purpose"
    dag.save()
    assert not StatusChange.objects.exists()
    assert GovernanceGroup.objects.get(slug="dag").status == "ad_hoc"


def test_a_stale_group_is_refused_and_nothing_is_written(seeded, editor):
    first = GovernanceGroup.objects.get(slug="torwg")
    stale = GovernanceGroup.objects.get(slug="torwg")
    change_group_status(group=first, status="future", note="", by=editor, at=AT)
    with pytest.raises(RecordModifiedError):
        change_group_status(group=stale, status="mobilised", note="stale", by=editor, at=AT)
    torwg = GovernanceGroup.objects.get(slug="torwg")
    assert (torwg.status, torwg.status_note) == ("future", "")
    assert list(StatusChange.objects.values_list("to_status", flat=True)) == ["future"]


def test_history_shows_a_role_not_a_username(client, seeded, editor, now):
    admin = User.objects.create_superuser("root-user", "root@example.org", "a-long-password-5")
    dag = GovernanceGroup.objects.get(slug="dag")
    change_group_status(group=dag, status="mobilised", note="one", by=admin, at=AT)
    dag.refresh_from_db()
    change_group_status(group=dag, status="mobilised", note="two", by=None, at=AT)
    history = client.get("/groups/dag/").content.decode().split('id="history-heading"')[1]
    history = history.split("</section>")[0]
    assert "Administrator" in history and "Not recorded" in history
    assert "root-user" not in history and "editor" not in history
    assert "Unchanged (note edited)" in history
