"""The admin home: the programme office's week ("This week and next"), over HTTP.

The pinned now is Thursday 26 November 2026, 09:00 UK: the week runs to Sunday 6 December.
"""

from datetime import date, datetime, time, timedelta

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from follow.models import SendRun
from groups.models import GovernanceGroup
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from operations.office_week import office_week, week_end
from records.enums import ActionStatus
from records.models import Action, Decision, MeetingRecord
from records.selectors import overdue_documents
from records.services import action_save, decision_save
from representation.enums import Role
from representation.models import Constituency, Membership, Person, Seat
from tests.conftest import LONDON
from tests.factories import add_seed_copies
from tests.sample_records import sample_records

HOME = "/admin/"
SCREEN = "/admin/records/meetingrecord/meetings/"  # a meeting's screen: + group/date/


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def page(client):
    response = client.get(HOME)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def section(tree, heading_id) -> lxml.html.HtmlElement:
    found = tree.xpath(f'//section[@aria-labelledby="{heading_id}"]')
    assert len(found) == 1, heading_id
    return found[0]


def text(element) -> str:
    return " ".join(element.text_content().split())


def meeting_lines(tree) -> list[str]:
    return [text(li) for li in section(tree, "week-meetings").xpath(".//li[@class]")]


def one_off(slug, day, title):
    group = GovernanceGroup.objects.get(slug=slug)
    return OneOffMeeting.objects.create(
        group=group, title=title, start=at(day), end=at(day, 11), note=""
    )


def series(slug):
    return MeetingSeries.objects.regular().get(group__slug=slug, title="")


def draft_decision(record, title):
    return decision_save(
        decision=Decision(
            group=record.group,
            record=record,
            date=record.date,
            title=title,
            summary="Agreed.",
            rationale="Papers.",
        ),
        by=None,
    )


def add_action(record, description, due, status=ActionStatus.OPEN):
    return action_save(
        action=Action(record=record, description=description, owner="PMO", due=due, status=status),
        by=None,
    )


def term(person, end, group="psg", constituency="Large Supplier"):
    seat, _ = Seat.objects.get_or_create(
        group=GovernanceGroup.objects.get(slug=group),
        constituency=Constituency.objects.get_or_create(
            name=constituency, defaults={"slug": constituency.lower().replace(" ", "-")}
        )[0],
    )
    return Membership.objects.create(
        seat=seat,
        person=Person.objects.create(name=person),
        organisation="Example Energy",
        role=Role.MEMBER,
        start=date(2025, 1, 1),
        end=end,
    )


@pytest.mark.parametrize(
    ("today", "end"),
    [
        (date(2026, 11, 23), date(2026, 12, 6)),  # Monday
        (date(2026, 11, 26), date(2026, 12, 6)),  # Thursday
        (date(2026, 11, 29), date(2026, 12, 6)),  # Sunday: this week ends today
        (date(2026, 11, 30), date(2026, 12, 13)),  # Monday
    ],
)
def test_the_week_ends_on_the_sunday_after_next(today, end):
    assert week_end(today) == end


def test_the_week_lists_meetings_from_today_to_the_sunday_after_next(office, seeded):
    one_off("mwg", date(2026, 12, 6), "Sunday cutover call")  # the last day: in
    one_off("mwg", date(2026, 12, 7), "Monday cutover call")  # the day after: out
    tree = page(office)
    lines = meeting_lines(tree)
    listed = " | ".join(lines)
    assert "DCWG" in listed  # today, 26 November
    assert "CCAG" not in listed  # yesterday
    assert "MWG: Sunday cutover call" in listed and "Monday cutover call" not in listed
    days = [text(h) for h in section(tree, "week-meetings").xpath(".//h4")]
    assert days == [
        "Thursday 26 November (today)",
        "Wednesday 2 December",
        "Thursday 3 December",
        "Friday 4 December",
        "Sunday 6 December",
    ]
    psg = [line for line in lines if line.startswith("10:00 to 12:00 PSG")]
    assert len(psg) == 1  # 2 December; the webinar of 26 November is its own line
    assert "11:30 to 12:00 Programme Steering Group (PSG) pre-meeting webinar" in listed
    glig = next(line for line in lines if "GLIG" in line)
    assert "Tentative date" in glig


def test_cancelled_and_moved_meetings_are_marked(office, seeded):
    Cancellation.objects.create(series=series("sitwg"), date=date(2026, 12, 3), note="No quorum")
    Move.objects.create(
        series=series("dcwg"),
        original_date=date(2026, 11, 26),
        start=at(date(2026, 12, 1), 14),
        end=at(date(2026, 12, 1), 15),
        note="",
    )
    lines = meeting_lines(page(office))
    sitwg = next(line for line in lines if "SITWG" in line)
    assert "Cancelled" in sitwg and "Cancelled: no papers due" in sitwg
    dcwg = next(line for line in lines if "DCWG" in line)
    assert dcwg.startswith("14:00 to 15:00 DCWG Moved from 26 November")


def test_papers_are_judged_against_the_groups_deadlines_where_set(office, seeded, now):
    sample_records()  # PSG's deadlines from 1 October; its 2 December agenda published
    tree = page(office)
    meetings = section(tree, "week-meetings")
    psg = next(
        li for li in meetings.xpath(".//li[@class]") if "PSG" in text(li) and "10:00" in text(li)
    )
    assert "Agenda: Published 24 November 2026 (due 25 November 2026)" in text(psg)
    late = [text(s) for s in psg.xpath('.//strong[@class="week-late"]')]
    assert late == ["Papers: Late: due 25 November 2026, not published here yet"]
    sitwg = next(li for li in meetings.xpath(".//li[@class]") if "SITWG" in text(li))
    assert "No deadline set" in text(sitwg)
    assert not sitwg.xpath('.//strong[@class="week-late"]') and "Late" not in text(sitwg)
    assert "Papers, decisions and actions" in text(psg)  # it has a record
    assert psg.xpath(f'.//a[@href="{SCREEN}psg/2026-12-02/"]')
    assert "Add its papers, decisions and actions" in text(sitwg)  # none yet
    assert sitwg.xpath(f'.//a[@href="{SCREEN}sitwg/2026-12-03/"]')
    overdue = section(tree, "week-overdue")
    every = overdue_documents(now=now, since=date(2026, 11, 26) - timedelta(days=91))
    assert f"Overdue documents ({len(every)})" in text(overdue) and len(every) > 10
    shown = [text(li) for li in overdue.xpath(".//li")]
    assert len(shown) == 10
    assert shown[0] == "PSG meeting of 2 December 2026: papers, due 25 November 2026"
    assert overdue.xpath(f'.//a[@href="{SCREEN}psg/2026-12-02/"]')
    assert overdue.xpath('.//a[@href="/admin/records/meetingrecord/overdue/"]')


def test_no_deadline_set_means_nothing_overdue(office, seeded):
    tree = page(office)
    assert "Overdue documents (0)" in text(section(tree, "week-overdue"))
    assert "Late" not in text(section(tree, "week-meetings"))


def test_draft_decisions_are_listed_as_not_public(office, seeded, now):
    sample_records()
    record = MeetingRecord.objects.get(group__slug="psg", date=date(2026, 12, 2))
    draft = draft_decision(record, "Cutover rehearsal dates agreed")
    later = draft_decision(record, "Go-live date confirmed")
    later.published_at = now + timedelta(days=3)
    decision_save(decision=later, by=None)
    tree = page(office)
    drafts = section(tree, "week-drafts")
    assert f"{draft.reference}: Cutover rehearsal dates agreed (PSG, 2 December 2026): " in text(
        drafts
    )
    assert "Draft: not public" in text(drafts)
    assert "Not public until 29 November 2026 09:00" in text(drafts)
    assert "Decisions not public (2)" in text(drafts)
    assert drafts.xpath(f'.//a[@href="/admin/records/decision/{draft.pk}/change/"]')
    assert "Migration plan v2" not in text(drafts)  # published
    psg = next(line for line in meeting_lines(tree) if line.startswith("10:00 to 12:00 PSG"))
    assert f"{draft.reference}: Draft: not public" in psg


def test_actions_due_in_the_week_or_overdue(office, seeded):
    sample_records()  # open: due 20 November and 16 December; closed: 11 November
    record = MeetingRecord.objects.get(group__slug="psg", date=date(2026, 11, 4))
    add_action(record, "Publish the rehearsal plan", date(2026, 12, 6))
    add_action(record, "Book the venue", date(2026, 12, 7))
    add_action(record, "Already done", date(2026, 12, 1), ActionStatus.CLOSED)
    actions = section(page(office), "week-actions")
    listed = text(actions)
    assert "Open actions due by 6 December (2)" in listed
    assert "Report on supplier readiness Overdue: due 20 November 2026" in listed
    assert "Publish the rehearsal plan Due Sunday 6 December" in listed
    assert "Book the venue" not in listed and "Already done" not in listed
    assert "cutover rehearsal" not in listed  # due 16 December
    assert actions.xpath(f'.//a[@href="/admin/records/meetingrecord/{record.pk}/change/"]')


def test_terms_ending_in_the_week(office, seeded):
    ending = term("Ada Example", date(2026, 12, 6))
    term("Ben Example", date(2026, 12, 7))
    term("Cy Example", date(2026, 11, 25))
    term("Di Example", date(2026, 11, 26))  # today: the last day held
    terms = section(page(office), "week-terms")
    listed = text(terms)
    assert "Representatives' terms ending (2)" in listed
    assert "Di Example, member for PSG seats for Large Supplier: last day Thursday 26 November" in (
        listed
    )
    assert "Ada Example" in listed and "Ben Example" not in listed and "Cy Example" not in listed
    assert terms.xpath(f'.//a[@href="/admin/representation/membership/{ending.pk}/change/"]')


def test_the_last_notification_run(office, seeded, now):
    send = section(page(office), "week-send")
    assert text(send) == (
        "Notification emails Warning: Never run: no notification email has been sent. Check "
        "that manage.py send_notifications runs (or the worker's task)."
    )
    SendRun.objects.create(started_at=now - timedelta(hours=2), finished_at=now, sent=4, failed=1)
    send = section(page(office), "week-send")
    assert "Warning: Last run started 26 November 2026 07:00: 4 sent, 1 failed" in text(send)
    assert "More than an hour ago. Check that manage.py send_notifications runs" in text(send)
    SendRun.objects.create(started_at=now - timedelta(minutes=10), finished_at=now, sent=7)
    send = section(page(office), "week-send")
    assert text(send) == (
        "Notification emails Last run started 26 November 2026 08:50: 7 sent, 0 failed"
    )


def test_the_app_list_stays_below_the_week(office, seeded):
    tree = page(office)
    main = tree.xpath('//div[@id="content-main"]')[0]
    headings = [h.get("id") for h in main.xpath("./section | ./h2")]
    assert headings == [None, "app-list-heading"]
    assert main.xpath('.//a[@href="/admin/groups/governancegroup/"]')


@pytest.mark.parametrize("who", ["office", "root"])
def test_every_link_of_the_week_opens(request, seeded, who):
    client = request.getfixturevalue(who)
    sample_records()
    record = MeetingRecord.objects.get(group__slug="psg", date=date(2026, 12, 2))
    draft_decision(record, "Cutover rehearsal dates agreed")
    term("Ada Example", date(2026, 12, 6))
    SendRun.objects.create(sent=1)
    week = section(page(client), "week-heading")
    links = {a.get("href") for a in week.xpath(".//a") if not a.get("href").startswith("#")}
    assert len(links) >= 8
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


def test_the_week_is_for_signed_in_staff_only(client, staff_user, seeded):
    assert client.get(HOME).status_code == 302
    client.force_login(staff_user)
    response = client.get(HOME)
    # Staff without the office's permissions: no week (it names drafts, owners and
    # representatives), and Django's app list, empty.
    assert response.status_code == 200
    assert "This week and next" not in response.content.decode()


def _grow(now):
    """More of everything the week lists: meetings, records, drafts, actions, terms, runs."""
    copies = add_seed_copies(2)
    for index, group in enumerate(copies[:6]):
        day = date(2026, 11, 27) + timedelta(days=index)
        OneOffMeeting.objects.create(group=group, title="Extra", start=at(day), end=at(day, 11))
        record = MeetingRecord.objects.create(group=group, date=day)
        add_action(record, f"Action {index}", day)
    psg = MeetingRecord.objects.get(group__slug="psg", date=date(2026, 12, 2))
    for index in range(4):
        draft_decision(psg, f"Draft {index}")
        term(f"Person {index}", date(2026, 12, 1), constituency=f"Constituency {index}")
    SendRun.objects.create(started_at=now)


def test_the_home_runs_a_constant_number_of_queries(office, seeded, now):
    sample_records()
    counts = []
    for grow in (lambda: None, lambda: _grow(now)):
        grow()
        with CaptureQueriesContext(connection) as queries:
            tree = page(office)
        counts.append((len(queries), len(meeting_lines(tree))))
    (small, small_meetings), (large, large_meetings) = counts
    assert large_meetings > small_meetings
    assert small == large, counts


def test_the_service_alone_reads_in_a_fixed_number_of_queries(
    seeded, now, django_assert_max_num_queries
):
    sample_records()
    with CaptureQueriesContext(connection) as first:
        office_week(now=now)
    _grow(now)
    with django_assert_max_num_queries(len(first)):
        week = office_week(now=now)
    assert len(week.drafts) == 4 and len(week.terms) == 4
