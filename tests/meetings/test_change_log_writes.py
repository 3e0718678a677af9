"""Each change to meetings is logged by the service that makes it, in its transaction: one
entry of its kind with its subject, whichever way the programme office makes the change
(the model's own admin page, the series page's inline rows, a bulk delete). A save that
changes nothing writes nothing."""

from datetime import date, datetime, timedelta

import pytest

from changelog.models import ChangeEntry
from changelog.services import subject_of
from core import clock
from groups.models import GovernanceGroup
from meetings.enums import MeetingChangeKind
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from meetings.services import (
    cancellation_save,
    move_save,
    one_off_save,
    series_delete,
    series_reschedule,
)
from tests.conftest import LONDON
from tests.forms import form_fields

ADMIN = "/admin/meetings"


def admin_form(client, url) -> dict:
    """An admin form as a browser would submit it unchanged."""
    return {**form_fields(client.get(url).content.decode()), "_save": "Save"}


def logged(kind) -> list[ChangeEntry]:
    return list(ChangeEntry.objects.filter(kind=kind))


def the_one(kind) -> ChangeEntry:
    (entry,) = logged(kind)
    return entry


@pytest.fixture
def mwg(seeded):
    series = MeetingSeries.objects.select_related("group").get(group__slug="mwg")
    series.cancellations.all().delete()
    series.moves.all().delete()
    return series


def new_cancellation(series):
    return cancellation_save(
        cancellation=Cancellation(series=series, date=date(2027, 1, 14)), by=None
    )


def new_move(series):
    return move_save(
        move=Move(
            series=series,
            original_date=date(2027, 1, 14),
            start=datetime(2027, 1, 15, 14, tzinfo=LONDON),
            end=datetime(2027, 1, 15, 16, tzinfo=LONDON),
        ),
        by=None,
    )


def new_one_off(group):
    return one_off_save(
        meeting=OneOffMeeting(
            group=group,
            title="Extra meeting",
            start=datetime(2027, 1, 20, 10, tzinfo=LONDON),
            end=datetime(2027, 1, 20, 12, tzinfo=LONDON),
        ),
        by=None,
    )


def test_a_cancellation_added_in_the_admin_is_logged(office, mwg, now):
    assert not logged(MeetingChangeKind.MEETING_CANCELLED)
    response = office.post(
        f"{ADMIN}/cancellation/add/", {"series": mwg.pk, "date": "2027-01-14", "note": "Holiday"}
    )
    assert response.status_code == 302
    entry = the_one(MeetingChangeKind.MEETING_CANCELLED)
    assert entry.subject == subject_of(mwg) == "series:mwg/meeting"
    assert entry.reschedules and entry.by.username == "pmo"
    assert entry.summary == "MWG meeting of Thursday 14 January 2027 cancelled"


def test_a_cancellation_changed_and_withdrawn_in_the_admin_is_logged(office, mwg, now):
    cancellation = new_cancellation(mwg)
    url = f"{ADMIN}/cancellation/{cancellation.pk}/change/"
    assert office.post(url, {**admin_form(office, url), "note": "Room lost"}).status_code == 302
    assert len(logged(MeetingChangeKind.MEETING_CANCELLED)) == 2
    assert not logged(MeetingChangeKind.CANCELLATION_WITHDRAWN)
    delete = f"{ADMIN}/cancellation/{cancellation.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 302
    entry = the_one(MeetingChangeKind.CANCELLATION_WITHDRAWN)
    assert entry.subject == "series:mwg/meeting" and entry.reschedules
    assert not Cancellation.objects.filter(pk=cancellation.pk).exists()


def test_a_move_added_changed_and_withdrawn_in_the_admin_is_logged(office, mwg, now):
    fields = {
        "series": mwg.pk,
        "original_date": "2027-01-14",
        "start_0": "2027-01-15",
        "start_1": "14:00",
        "end_0": "2027-01-15",
        "end_1": "16:00",
    }
    assert not logged(MeetingChangeKind.MEETING_MOVED)
    assert office.post(f"{ADMIN}/move/add/", fields).status_code == 302
    move = Move.objects.get(series=mwg)
    assert the_one(MeetingChangeKind.MEETING_MOVED).subject == "move:mwg/meeting/2027-01-14"
    url = f"{ADMIN}/move/{move.pk}/change/"
    assert not logged(MeetingChangeKind.MOVE_CHANGED)
    assert office.post(url, {**admin_form(office, url), "end_1": "17:00"}).status_code == 302
    changed = the_one(MeetingChangeKind.MOVE_CHANGED)
    assert changed.subject == subject_of(move) and changed.reschedules
    assert not logged(MeetingChangeKind.MOVE_WITHDRAWN)
    assert office.post(f"{ADMIN}/move/{move.pk}/delete/", {"post": "yes"}).status_code == 302
    assert the_one(MeetingChangeKind.MOVE_WITHDRAWN).subject == "series:mwg/meeting"


def test_a_one_off_meeting_added_changed_and_removed_in_the_admin_is_logged(office, seeded, now):
    dag = GovernanceGroup.objects.get(slug="dag")
    fields = {
        "group": dag.pk,
        "title": "DAG ad hoc meeting",
        "start_0": "2027-07-14",
        "start_1": "10:00",
        "end_0": "2027-07-14",
        "end_1": "12:00",
    }
    assert not logged(MeetingChangeKind.ONE_OFF_ADDED)
    assert office.post(f"{ADMIN}/oneoffmeeting/add/", fields).status_code == 302
    meeting = OneOffMeeting.objects.get(group=dag)
    assert the_one(MeetingChangeKind.ONE_OFF_ADDED).subject == f"one-off:{meeting.pk}"
    url = f"{ADMIN}/oneoffmeeting/{meeting.pk}/change/"
    assert not logged(MeetingChangeKind.ONE_OFF_CHANGED)
    assert office.post(url, {**admin_form(office, url), "title": "DAG on FRP"}).status_code == 302
    changed = the_one(MeetingChangeKind.ONE_OFF_CHANGED)
    assert changed.subject == subject_of(meeting) and not changed.reschedules
    assert not logged(MeetingChangeKind.ONE_OFF_REMOVED)
    delete = f"{ADMIN}/oneoffmeeting/{meeting.pk}/delete/"
    assert office.post(delete, {"post": "yes"}).status_code == 302
    assert the_one(MeetingChangeKind.ONE_OFF_REMOVED).subject == f"one-off:{meeting.pk}"


def test_a_bulk_delete_logs_each_one_off_meeting(office, seeded, now):
    psg = GovernanceGroup.objects.get(slug="psg")
    meetings = [new_one_off(psg), new_one_off(psg)]
    response = office.post(
        f"{ADMIN}/oneoffmeeting/",
        {"action": "delete_selected", "_selected_action": [m.pk for m in meetings], "post": "yes"},
    )
    assert response.status_code == 302
    removed = logged(MeetingChangeKind.ONE_OFF_REMOVED)
    assert sorted(e.subject for e in removed) == sorted(subject_of(m) for m in meetings)


def test_the_series_pages_inline_rows_are_logged(root, mwg, now):
    """A cancellation added, then withdrawn, on the series' own page (its inline rows)."""
    url = f"{ADMIN}/meetingseries/{mwg.pk}/change/"
    fields = admin_form(root, url)
    fields.update(
        {
            "cancellations-TOTAL_FORMS": ["1"],  # a new row, as "Add another" makes it
            "cancellations-0-id": [""],
            "cancellations-0-series": [str(mwg.pk)],
            "cancellations-0-version": [""],
            "cancellations-0-date": ["2027-01-14"],
            "cancellations-0-note": ["Holiday"],
        }
    )
    assert root.post(url, fields).status_code == 302
    cancellation = Cancellation.objects.get(series=mwg)
    assert the_one(MeetingChangeKind.MEETING_CANCELLED).subject == "series:mwg/meeting"
    assert not logged(MeetingChangeKind.SCHEDULE_CHANGED)  # the series itself is unchanged
    fields = admin_form(root, url)
    row = next(k for k, v in fields.items() if k.endswith("-id") and v == [str(cancellation.pk)])
    fields[row.removesuffix("-id") + "-DELETE"] = ["on"]
    assert root.post(url, fields).status_code == 302
    assert not Cancellation.objects.filter(series=mwg).exists()
    assert the_one(MeetingChangeKind.CANCELLATION_WITHDRAWN).subject == "series:mwg/meeting"


def test_a_schedule_change_and_a_series_removed_are_logged(mwg, root, now):
    assert not logged(MeetingChangeKind.SCHEDULE_CHANGED)
    mwg.start_time = mwg.start_time.replace(hour=mwg.start_time.hour - 1)
    series_reschedule(series=mwg, effective_from=date(2026, 12, 1), by=None, at=now)
    assert the_one(MeetingChangeKind.SCHEDULE_CHANGED).subject == "series:mwg/meeting"
    psg = MeetingSeries.objects.select_related("group").get(group__slug="psg", slug="meeting")
    series_delete(series=psg, by=None)
    removed = ChangeEntry.objects.get(subject="series:psg/meeting")
    assert removed.kind == MeetingChangeKind.SCHEDULE_CHANGED and removed.reschedules


@pytest.mark.parametrize("model", [Cancellation, Move, OneOffMeeting])
def test_saving_a_single_meeting_unchanged_writes_nothing(office, mwg, now, model, monkeypatch):
    obj = {
        Cancellation: lambda: new_cancellation(mwg),
        Move: lambda: new_move(mwg),
        OneOffMeeting: lambda: new_one_off(mwg.group),
    }[model]()
    entries = ChangeEntry.objects.count()
    later = now + timedelta(minutes=30)
    monkeypatch.setattr(clock, "now", lambda: later)  # a save would set this time
    url = f"{ADMIN}/{model._meta.model_name}/{obj.pk}/change/"
    assert office.post(url, admin_form(office, url)).status_code == 302
    stored = model.objects.get(pk=obj.pk)
    assert (stored.version, stored.updated_at) == (obj.version, obj.updated_at)
    assert ChangeEntry.objects.count() == entries
