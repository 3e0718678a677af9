"""Status changes go through one service, which records every change in the history."""

from datetime import date, datetime, time

import pytest
from concurrency.exceptions import RecordModifiedError
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from changelog.models import ChangeEntry
from core import clock
from groups.models import GovernanceGroup, StatusChange
from groups.services import change_group_status, status_change_withdraw
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
    change_group_status(group=first, status="future", note="Re-forming", by=editor, at=AT)
    with pytest.raises(RecordModifiedError):
        change_group_status(group=stale, status="mobilised", note="stale", by=editor, at=AT)
    torwg = GovernanceGroup.objects.get(slug="torwg")
    assert (torwg.status, torwg.status_note) == ("future", "Re-forming")
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


def announce(slug, status, day, note, by=None):
    group = GovernanceGroup.objects.get(slug=slug)
    group.status_effective_from = day
    return change_group_status(group=group, status=status, note=note, by=by, at=AT)


def test_announced_changes_make_a_timeline_read_on_each_day(seeded, monkeypatch):
    announce("cdwg", "ad_hoc", date(2027, 2, 1), "Paused")
    announce("cdwg", "mobilised", date(2027, 4, 1), "Back")
    stored = GovernanceGroup._base_manager.get(slug="cdwg")
    assert (stored.status, stored.status_note) == ("mobilised", ""), "the row says today's"

    def on(day):
        monkeypatch.setattr(clock, "now", lambda: datetime.combine(day, time(9), tzinfo=LONDON))
        group = GovernanceGroup.objects.get(slug="cdwg")
        coming = group.scheduled_status
        return (
            group.status,
            group.status_note,
            coming and (coming.status, coming.effective_from, coming.note),
            list(
                GovernanceGroup.objects.filter(status_today=group.status).values_list(
                    "slug", flat=True
                )
            ).count("cdwg"),
        )

    assert on(date(2027, 1, 31)) == ("mobilised", "", ("ad_hoc", date(2027, 2, 1), "Paused"), 1)
    assert on(date(2027, 2, 1)) == ("ad_hoc", "Paused", ("mobilised", date(2027, 4, 1), "Back"), 1)
    assert on(date(2027, 4, 1)) == ("mobilised", "Back", None, 1)


def test_withdrawing_the_first_announced_change_keeps_the_timeline_whole(seeded, editor):
    first = announce("cdwg", "ad_hoc", date(2027, 2, 1), "Paused")
    announce("cdwg", "future", date(2027, 4, 1), "Re-forming")
    status_change_withdraw(change=first, by=editor, at=AT)
    (left,) = StatusChange.objects.filter(group__slug="cdwg")
    assert (left.from_status, left.to_status) == ("mobilised", "future")
    cdwg = GovernanceGroup.objects.prefetch_related("status_changes").get(slug="cdwg")
    assert cdwg.meeting_periods() == [(None, date(2027, 3, 31))]
    entry = ChangeEntry.objects.get(kind="status_withdrawn")
    assert (entry.before, entry.after, entry.by, entry.reschedules) == (
        "From 1 February 2027: Available for any ad hoc meetings: Paused",
        "Mobilised",
        editor,
        True,
    )


def test_a_change_in_effect_cannot_be_withdrawn(seeded, editor):
    change = announce("cdwg", "ad_hoc", date(2026, 11, 26), "Paused")
    with pytest.raises(ValidationError, match="took effect on 26 November 2026"):
        status_change_withdraw(change=change, by=editor, at=AT)
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_the_past_is_refused_and_only_a_superuser_corrects_it(seeded, editor):
    with pytest.raises(ValidationError, match="1 May 2026 is in the past"):
        announce("cdwg", "ad_hoc", date(2026, 5, 1), "Paused", by=editor)
    group = GovernanceGroup.objects.get(slug="cdwg")
    group.status_effective_from = date(2026, 5, 1)
    with pytest.raises(ValidationError, match="Only an administrator"):
        change_group_status(
            group=group, status="ad_hoc", note="Paused", by=editor, at=AT, correction_reason="Why"
        )
    assert not StatusChange.objects.exists() and not ChangeEntry.objects.exists()


def test_a_stale_group_with_a_past_date_is_refused_as_stale(seeded, editor):
    """The version is checked before the date: a stale edit is stale, whatever it says."""
    first = GovernanceGroup.objects.get(slug="torwg")
    stale = GovernanceGroup.objects.get(slug="torwg")
    change_group_status(group=first, status="future", note="Re-forming", by=editor, at=AT)
    stale.status_effective_from = date(2026, 5, 1)
    with pytest.raises(RecordModifiedError):
        change_group_status(group=stale, status="ad_hoc", note="Paused", by=editor, at=AT)


@pytest.mark.parametrize("note", ["", "   "])
def test_a_new_status_without_a_note_is_refused(seeded, editor, note):
    dag = GovernanceGroup.objects.get(slug="dag")
    with pytest.raises(ValidationError, match="A new status needs its own note"):
        change_group_status(group=dag, status="mobilised", note=note, by=editor, at=AT)
    assert not StatusChange.objects.exists() and not ChangeEntry.objects.exists()


def test_a_new_status_with_the_old_note_is_refused_but_a_note_alone_may_change(seeded, editor):
    dag = GovernanceGroup.objects.get(slug="dag")
    old_note = dag.status_note
    with pytest.raises(ValidationError, match="is the old status's"):
        change_group_status(group=dag, status="mobilised", note=old_note, by=editor, at=AT)
    assert not StatusChange.objects.exists()
    dag = GovernanceGroup.objects.get(slug="dag")
    change = change_group_status(group=dag, status="ad_hoc", note="Slot kept", by=editor, at=AT)
    assert change.is_note_only
