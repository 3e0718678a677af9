"""The change log as one stream: its own app, entries naming their group by keys, kinds
declared by each app, and every reader following when an entry became visible."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models

from changelog import kinds
from changelog.models import ChangeEntry
from changelog.services import (
    RESOLUTION,
    paused,
    record_change,
    redact_subject,
    subject_of,
    withdraw_pending,
)
from core import clock
from groups.enums import GroupChangeKind
from groups.models import GovernanceGroup
from meetings.models import MeetingSeries, Move, OneOffMeeting
from records.models import Decision, MeetingRecord
from representation.models import Constituency, Membership, Seat
from tests.conftest import PINNED_NOW

SECRET = "Merger of the code groups"
LATER = PINNED_NOW + timedelta(hours=2, seconds=30)


def publish_later(group, *, at=LATER, title=SECRET):
    """A decision whose publication time is later: written now, public at ``at``."""
    return record_change(
        kind="decision_published",
        summary=f"Decision PSG-2026-009 published: {title}",
        url="/decisions/PSG-2026-009/",
        group=group,
        after=title,
        subject="decision:PSG-2026-009",
        visible_at=at,
    )


def pin(monkeypatch, moment):
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_the_entry_is_the_changelog_apps_and_keeps_its_table():
    assert ChangeEntry._meta.app_label == "changelog"
    assert ChangeEntry._meta.db_table == "groups_changeentry"
    with pytest.raises(LookupError):
        apps.get_model("groups", "ChangeEntry")
    # No foreign key to a group: the stream needs nothing of the apps above it.
    assert not any(
        f.is_relation and f.related_model is GovernanceGroup for f in ChangeEntry._meta.fields
    )


def test_an_entry_names_its_group_and_workstream_as_they_were(seeded):
    psg = GovernanceGroup.objects.select_related("workstream").get(slug="psg")
    entry = record_change(
        kind=GroupChangeKind.STATUS_CHANGED, summary="PSG paused", url="/", group=psg
    )
    GovernanceGroup.objects.filter(pk=psg.pk).update(acronym="PSG2", name="Renamed")
    entry.refresh_from_db()
    assert (entry.group_slug, entry.group_name) == ("psg", "PSG")
    assert (entry.workstream_slug, entry.workstream_name) == ("programme", "Programme")
    assert entry.recorded_at == entry.visible_at == PINNED_NOW


def test_a_programme_wide_entry_names_no_group(seeded):
    entry = record_change(kind=GroupChangeKind.MAILBOX_CHANGED, summary="PMO moved", url="/")
    assert (entry.group_slug, entry.workstream_slug) == ("", "")


def test_an_unregistered_kind_is_refused_and_nothing_stored(seeded):
    with pytest.raises(ValueError, match="not a registered change kind"):
        record_change(kind="made_up", summary="x", url="/")
    assert not ChangeEntry.objects.exists()


def test_kinds_are_declared_per_app_and_a_clash_is_refused():
    assert kinds.label("status_changed") == "Status changed"
    assert ("mailbox_changed", "Mailbox changed") in kinds.all_kinds()
    assert kinds.label("never_declared") == "never_declared"

    class Clash(models.TextChoices):
        STATUS_CHANGED = "status_changed", "Something else"

    with pytest.raises(ValueError, match="already registered"):
        kinds.register(kinds.Category.GOVERNANCE)(Clash)
    assert kinds.label("status_changed") == "Status changed"


def test_kind_is_a_plain_string_column():
    """Adding a kind needs no migration: the column has no choices."""
    assert ChangeEntry._meta.get_field("kind").choices is None


def test_subjects_are_spelled_in_one_place_as_stored_rows_have_them(seeded):
    psg = GovernanceGroup.objects.get(slug="psg")
    series = MeetingSeries.objects.select_related("group").filter(group=psg).first()
    assert subject_of(psg) == "status:psg"
    assert subject_of(series) == f"series:psg/{series.slug}"
    day = date(2026, 12, 2)
    assert subject_of(Move(series=series, original_date=day)) == (
        f"move:psg/{series.slug}/2026-12-02"
    )
    assert subject_of(OneOffMeeting(pk=7, group=psg)) == "one-off:7"
    assert subject_of(MeetingRecord(group=psg, date=day)) == "record:psg/2026-12-02"
    assert subject_of(Decision(reference="PSG-2026-009")) == "decision:PSG-2026-009"
    assert subject_of(Constituency(pk=3)) == "constituency:3"
    assert subject_of(Seat(pk=4)) == "seat:4"
    assert subject_of(Membership(pk=5)) == "membership:5"
    with pytest.raises(ValueError) as refused:
        subject_of(psg.workstream)
    assert str(refused.value) == "A groups.Workstream has no change-log subject."


def test_entries_written_together_are_a_second_apart(seeded):
    first = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="one", url="/")
    second = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="two", url="/")
    assert second.recorded_at - first.recorded_at == RESOLUTION
    assert second.visible_at - first.visible_at == RESOLUTION


def test_an_entry_becoming_visible_beside_another_is_a_second_apart(seeded):
    """A change now, with an entry due half a second later: the change is shown at once
    and the later entry moves to a second after it, so each moves Last-Modified (whole
    seconds) and a poller that read the change still reads the later entry after it."""
    later = publish_later(None, at=PINNED_NOW + timedelta(milliseconds=500))
    assert later.visible_at == PINNED_NOW + timedelta(milliseconds=500)
    now = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="now", url="/")
    later.refresh_from_db()
    assert list(ChangeEntry.objects.visible(PINNED_NOW)) == [now]
    assert later.visible_at == now.visible_at + RESOLUTION


def test_two_later_entries_half_a_second_apart_are_a_second_apart(seeded):
    first = publish_later(None, at=PINNED_NOW + timedelta(hours=1))
    second = publish_later(None, at=PINNED_NOW + timedelta(hours=1, milliseconds=500))
    together = publish_later(None, at=PINNED_NOW + timedelta(hours=1))
    assert second.visible_at == first.visible_at + RESOLUTION
    assert together.visible_at == first.visible_at


def test_a_change_right_after_another_is_shown_at_once(seeded):
    """Two changes in one instant: the second's time is a second ahead, and it is shown
    on the next request all the same."""
    first = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="one", url="/")
    second = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="two", url="/")
    assert second.visible_at > PINNED_NOW
    assert list(ChangeEntry.objects.visible(PINNED_NOW)) == [second, first]


def test_a_publication_time_already_past_is_visible_from_when_it_is_recorded(seeded):
    """What a poller has already read past is never added behind it."""
    entry = publish_later(None, at=PINNED_NOW - timedelta(days=3))
    assert entry.visible_at == entry.recorded_at == PINNED_NOW


def test_entries_while_paused_are_not_written(seeded):
    with paused():
        assert record_change(kind=GroupChangeKind.GROUP_ADDED, summary="x", url="/") is None
    assert not ChangeEntry.objects.exists()


PUBLIC = (
    "/changes/",
    "/api/changes/",
    "/changes.atom",
    "/groups/psg/changes.atom",
    "/workstreams/programme/changes.atom",
    "/groups/psg/",
    "/changes/?group=psg",
    "/api/changes/?workstream=programme",
)


def test_a_later_entry_is_hidden_everywhere_until_its_time_then_shown(seeded, client, monkeypatch):
    publish_later(GovernanceGroup.objects.get(slug="psg"))
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.content.decode(), f"{path} leaked it early"
    # Half a minute before its time, the same minute as the last requests would be cached.
    pin(monkeypatch, LATER - timedelta(seconds=1))
    assert SECRET not in client.get("/changes/").content.decode()
    pin(monkeypatch, LATER + timedelta(seconds=1))
    for path in PUBLIC:
        assert SECRET in client.get(path).content.decode(), f"{path} did not show it"


def test_the_page_cache_does_not_keep_a_page_past_an_entrys_time(seeded, client, monkeypatch):
    """The page cache keys on the minute; an entry due within that minute shows at once."""
    publish_later(None, at=PINNED_NOW + timedelta(seconds=30))
    pin(monkeypatch, PINNED_NOW + timedelta(seconds=10))
    assert SECRET not in client.get("/changes/").content.decode()
    pin(monkeypatch, PINNED_NOW + timedelta(seconds=40))
    assert SECRET in client.get("/changes/").content.decode()


def api(client, **params):
    response = client.get("/api/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()["changes"]


def test_since_follows_visibility_so_a_poller_sees_each_entry_once(seeded, client, monkeypatch):
    psg = GovernanceGroup.objects.get(slug="psg")
    now = record_change(kind=GroupChangeKind.STATUS_CHANGED, summary="PSG now", url="/", group=psg)
    publish_later(psg)

    (seen,) = api(client)
    assert seen["summary"] == "PSG now"
    assert seen["at"] == seen["visible_at"] == seen["recorded_at"] == now.visible_at.isoformat()
    assert api(client, since=seen["at"]) == []

    pin(monkeypatch, LATER + timedelta(minutes=5))
    (published,) = api(client, since=seen["at"])
    assert SECRET in published["summary"]
    assert published["at"] == published["visible_at"] == LATER.isoformat()
    assert published["recorded_at"] == (PINNED_NOW + RESOLUTION).isoformat()
    assert published["group"] == "psg"
    assert api(client, since=published["at"]) == []
    assert [c["summary"] for c in api(client)] == ["PSG now", published["summary"]]


def test_the_page_lists_by_visible_time_newest_first(seeded, client, monkeypatch):
    psg = GovernanceGroup.objects.get(slug="psg")
    publish_later(psg, at=PINNED_NOW + timedelta(minutes=5))
    record_change(kind=GroupChangeKind.STATUS_CHANGED, summary="Recorded later", url="/", group=psg)
    pin(monkeypatch, PINNED_NOW + timedelta(minutes=6))
    page = client.get("/changes/").content.decode()
    assert page.index(SECRET) < page.index("Recorded later")


def test_the_admin_shows_entries_read_only(seeded, root):
    record_change(kind=GroupChangeKind.MAILBOX_CHANGED, summary="PMO mailbox moved", url="/")
    listing = root.get("/admin/changelog/changeentry/?kind=mailbox_changed")
    assert listing.status_code == 200
    assert "PMO mailbox moved" in listing.content.decode()
    assert "Mailbox changed" in listing.content.decode()  # the kind filter, from the registry
    assert root.get("/admin/changelog/changeentry/add/").status_code == 403


def test_redacting_a_subject_leaves_its_entries_only_the_summary_given(seeded):
    psg = GovernanceGroup.objects.get(slug="psg")
    entry = record_change(
        kind="decision_published",
        summary=f"Decision PSG-2026-009 published: {SECRET}",
        url="/decisions/PSG-2026-009/",
        group=psg,
        before="An earlier title",
        after=SECRET,
        subject="decision:PSG-2026-009",
    )
    other = record_change(
        kind="decision_published",
        summary="Decision PSG-2026-010 published: Kept",
        url="/decisions/PSG-2026-010/",
        group=psg,
        before="old",
        after="Kept",
        subject="decision:PSG-2026-010",
    )
    assert redact_subject("decision:PSG-2026-009", summary="Removed. " + "x" * 400) == 1
    entry.refresh_from_db()
    assert (entry.summary, entry.before, entry.after) == ("Removed. " + "x" * 291, "", "")
    assert (entry.kind, entry.url, entry.visible_at) == (
        "decision_published",
        "/decisions/PSG-2026-009/",
        PINNED_NOW,
    )
    other.refresh_from_db()
    assert (other.before, other.after) == ("old", "Kept")


def test_withdrawing_drops_only_the_pending_entries_of_that_subject_and_kind(seeded):
    psg = GovernanceGroup.objects.get(slug="psg")
    pending = publish_later(psg)
    shown = publish_later(psg, at=PINNED_NOW, title="Already public")
    other_subject = record_change(
        kind="decision_published",
        summary="Another decision",
        url="/",
        group=psg,
        subject="decision:PSG-2026-010",
        visible_at=LATER,
    )
    other_kind = record_change(
        kind="decision_changed",
        summary="A change for later",
        url="/",
        group=psg,
        subject="decision:PSG-2026-009",
        visible_at=LATER,
    )
    withdrawn = withdraw_pending(  # a minute on: the public one is seconds old
        subject="decision:PSG-2026-009",
        kind="decision_published",
        now=PINNED_NOW + timedelta(minutes=1),
    )
    assert withdrawn == 1
    assert not ChangeEntry.objects.filter(pk=pending.pk).exists()
    assert set(ChangeEntry.objects.values_list("pk", flat=True)) >= {
        shown.pk,
        other_subject.pk,
        other_kind.pk,
    }


def test_an_entry_keeps_what_it_was_given_and_no_more(seeded):
    """A programme-wide entry names no group or workstream; a summary is cut to 300
    characters; a change with nothing before or after stores neither; an unsaved user
    (nobody in particular) is not its author."""
    entry = record_change(
        kind=GroupChangeKind.MAILBOX_CHANGED, summary="s" * 301, url="/", by=User(username="x")
    )
    entry.refresh_from_db()
    assert (entry.group_slug, entry.group_name) == ("", "")
    assert (entry.workstream_slug, entry.workstream_name) == ("", "")
    assert (entry.before, entry.after, entry.by) == ("", "", None)
    assert entry.summary == "s" * 300


def test_a_change_after_a_later_entry_became_visible_comes_a_second_after_it(seeded, monkeypatch):
    """The later entry is shown from its time; a change half a second after that time is
    recorded a second after it, so a poller who read the later entry reads this one too."""
    later = publish_later(None)
    pin(monkeypatch, later.visible_at + timedelta(milliseconds=500))
    change = record_change(kind=GroupChangeKind.GROUP_ADDED, summary="next", url="/")
    assert change.visible_at == change.recorded_at == later.visible_at + RESOLUTION


def test_a_publication_time_equal_to_the_recording_time_is_at_once(seeded):
    """It is shown when recorded, and an entry due within a second moves after it."""
    soon = publish_later(None, at=PINNED_NOW + RESOLUTION + timedelta(milliseconds=500))
    # Recorded a second after the first entry: a publication time of that moment.
    now = record_change(
        kind=GroupChangeKind.GROUP_ADDED,
        summary="now",
        url="/",
        visible_at=PINNED_NOW + RESOLUTION,
    )
    assert now.visible_at == now.recorded_at == PINNED_NOW + RESOLUTION
    soon.refresh_from_db()
    assert soon.visible_at == now.visible_at + RESOLUTION
