"""A status change announced for a later date takes over on its date, without anyone
saving anything, on every surface that shows a group's status, however the group is
reached (its own query, or another model's ``select_related``): the month calendar and
its JSON, the pattern page, the feeds and the meeting page."""

from datetime import date, datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from groups.enums import Status
from groups.models import GovernanceGroup
from groups.services import change_group_status
from meetings.models import MeetingSeries
from meetings.recurrence import series_dates
from tests.conftest import LONDON, PINNED_NOW
from tests.queries import query_counts_at_1x_and_10x

FROM = date(2026, 12, 1)
LATER = datetime(2026, 12, 15, 9, 0, tzinfo=LONDON)
DAG_NOTE = "From December the slot is held on Teams only, called a week ahead."
SITAG_NOTE = "Paused while the test phase is re-planned; it may meet again."


def announce(slug, status, note, by):
    """The programme office announces ``status`` with ``note`` from 1 December, on the
    pinned 26 November; nothing is saved afterwards."""
    group = GovernanceGroup.objects.get(slug=slug)
    group.status_effective_from = FROM
    change_group_status(group=group, status=status, note=note, by=by, at=PINNED_NOW)
    return group


@pytest.fixture
def announced(seeded, pmo_user):
    dag = GovernanceGroup.objects.get(slug="dag")
    sitag = GovernanceGroup.objects.get(slug="sitag")
    old = {"dag": (dag.status, dag.status_note), "sitag": (sitag.status, sitag.status_note)}
    announce("dag", dag.status, DAG_NOTE, pmo_user)
    announce("sitag", Status.MAY_BE_MOBILISED, SITAG_NOTE, pmo_user)
    # Still announced on 26 November: the stored row keeps the old status and note.
    assert GovernanceGroup.objects.get(slug="sitag").status == old["sitag"][0]
    return old


@pytest.fixture
def later(monkeypatch, announced):
    """The clock moves on to 15 December: the announced changes have taken effect."""
    monkeypatch.setattr(clock, "now", lambda: LATER)
    return announced


def dag_slots(data):
    return [o for o in data["occurrences"] if o["group"] == "dag" and o["status"] == "tentative"]


def test_the_json_of_the_group_gives_the_new_note(client, later):
    data = client.get("/api/groups/dag/").json()
    assert DAG_NOTE in str(data)


def test_calendar_json_gives_the_note_holding_on_the_held_slot(client, later):
    old_note = later["dag"][1]
    slots = dag_slots(client.get("/api/calendar/2026/12/").json())
    assert slots, "DAG's held slot shows in December"
    for slot in slots:
        assert DAG_NOTE in slot["note"]
        assert not old_note or old_note not in slot["note"]


def test_calendar_json_keeps_today_note_until_the_change_takes_effect(client, announced):
    """On 26 November the change is only announced: December's slots keep today's note."""
    slots = dag_slots(client.get("/api/calendar/2026/12/").json())
    assert slots
    for slot in slots:
        assert DAG_NOTE not in slot["note"]
        assert announced["dag"][1] in slot["note"]


def test_month_page_gives_the_new_note(client, later):
    html = client.get("/calendar/2026/12/").content.decode()
    assert DAG_NOTE in html
    assert later["dag"][1] not in html


def pattern_entries(html) -> dict[str, str]:
    """Each entry of the pattern table by its group's slug (from its link)."""
    entries = {}
    for entry in html.split("<tbody>")[1].split('<p><a href="/groups/')[1:]:
        entries[entry.split("/")[0]] = entry.split("</p>")[0]
    return entries


def test_pattern_page_shows_today_status(client, later):
    entries = pattern_entries(client.get("/calendar/pattern/").content.decode())
    assert "(May be mobilised)" in entries["sitag"]
    assert "(May be mobilised)" not in entries["qag"]


def test_pattern_page_before_the_date_shows_the_old_status(client, announced):
    entries = pattern_entries(client.get("/calendar/pattern/").content.decode())
    assert "(May be mobilised)" not in entries["sitag"]


def dag_slot_events(body):
    cal = icalendar.Calendar.from_ical(body)
    return [e for e in cal.walk("VEVENT") if str(e.get("uid")).startswith("dag-")]


@pytest.mark.parametrize("path", ["/calendar.ics", "/groups/dag/calendar.ics"])
def test_feed_description_gives_the_new_note(client, later, path):
    events = [e for e in dag_slot_events(client.get(path).content) if "slot" in str(e["uid"])]
    assert events, "DAG's held slot is in the feed"
    for event in events:
        assert event["status"] == "TENTATIVE"
        assert DAG_NOTE in str(event["description"])
        assert later["dag"][1] not in str(event["description"])


def test_meeting_pages_follow_today_status(client, later):
    """SITAG's December meeting is gone from its meeting page, and its meetings page
    gives today's status; November's meeting, before the change, stays."""
    series = MeetingSeries.objects.regular().get(group__slug="sitag")
    (november,) = series_dates(series, date(2026, 11, 1), date(2026, 11, 30))
    (december,) = series_dates(series, FROM, date(2026, 12, 31))
    assert client.get(f"/groups/sitag/meetings/{november:%Y-%m-%d}/").status_code == 200
    gone = client.get(f"/groups/sitag/meetings/{december:%Y-%m-%d}/")
    assert gone.status_code == 404
    html = client.get("/groups/sitag/meetings/").content.decode()
    assert "status is “May be mobilised”" in html


def test_status_on_agrees_with_the_manager_for_every_group(later):
    """One reading: the manager's annotation and ``status_on`` over the prefetched
    timeline give the same status and note today, for every group."""
    today = clock.today()
    annotated = {g.slug: (g.status, g.status_note) for g in GovernanceGroup.objects.all()}
    with CaptureQueriesContext(connection) as queries:
        timeline = {
            g.slug: g.status_on(today)
            for g in GovernanceGroup.objects.prefetch_related("status_changes")
        }
    assert len(queries) == 2
    assert timeline == annotated
    assert annotated["sitag"] == (Status.MAY_BE_MOBILISED, SITAG_NOTE)
    assert annotated["dag"][1] == DAG_NOTE


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/2026/12/",
        "/api/calendar/2026/12/",
        "/calendar/pattern/",
        "/calendar.ics",
        "/groups/dag/calendar.ics",
    ],
)
def test_query_counts_stay_constant_with_a_timeline(client, later, path):
    counts = query_counts_at_1x_and_10x(client, path)
    assert counts["1x"] == counts["10x"]
    cold, warm = counts["1x"]
    assert cold <= 9
    assert warm == 1
