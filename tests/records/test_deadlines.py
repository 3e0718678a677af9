"""Publication deadlines in working days (England and Wales), late and overdue documents."""

from datetime import date, datetime, timedelta

import pytest

from records.deadlines import Deadline, add_working_days, deadlines, due_dates
from records.enums import DocumentKind
from records.models import PublicationDeadlines
from tests.conftest import LONDON
from tests.records.conftest import PSG_DAY, group, make_document, make_record


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 12, 2), -5, date(2026, 11, 25)),  # Wednesday to Wednesday
        (date(2026, 12, 2), 2, date(2026, 12, 4)),
        (date(2026, 12, 2), 5, date(2026, 12, 9)),
        # New Year's Day (Friday) and the Boxing Day substitute (Monday 28th) are skipped.
        (date(2027, 1, 6), -5, date(2026, 12, 29)),
        (date(2026, 12, 23), 2, date(2026, 12, 29)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 4, 1), -5, date(2027, 3, 23)),
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # From a weekend day: the next working day counts as the first.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        (date(2026, 11, 28), -1, date(2026, 11, 27)),
        (date(2026, 12, 2), 0, date(2026, 12, 2)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, count, expected):
    assert add_working_days(start, count) == expected


def test_the_defaults_are_five_before_and_two_and_five_after():
    assert due_dates(date(2027, 1, 6), None) == {
        DocumentKind.AGENDA: date(2026, 12, 29),
        DocumentKind.PAPERS: date(2026, 12, 29),
        DocumentKind.HEADLINE_REPORT: date(2027, 1, 8),
        DocumentKind.MINUTES: date(2027, 1, 13),
    }


def test_a_groups_own_deadlines_and_a_kind_it_does_not_publish(seeded):
    policy = PublicationDeadlines(
        group=group("psg"),
        agenda_before=3,
        papers_before=None,
        headline_report_after=None,
        minutes_after=10,
    )
    assert due_dates(date(2026, 12, 2), policy) == {
        DocumentKind.AGENDA: date(2026, 11, 27),
        DocumentKind.MINUTES: date(2026, 12, 16),
    }


NOT_HERE = "not published here yet"


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("published", "today", "late", "missing", "state"),
    [
        (None, date(2026, 11, 25), False, False, "Due 25 November 2026"),
        (None, date(2026, 11, 26), True, True, f"Late: due 25 November 2026, {NOT_HERE}"),
        (
            at(date(2026, 11, 25), 23),
            date(2026, 12, 9),
            False,
            False,
            "Published 25 November 2026 (due 25 November 2026)",
        ),
        (
            at(date(2026, 11, 26), 0),
            date(2026, 12, 9),
            True,
            False,
            "Published 26 November 2026: late (due 25 November 2026)",
        ),
    ],
)
def test_a_deadline_is_late_only_after_its_day(published, today, late, missing, state):
    deadline = Deadline(kind=DocumentKind.AGENDA, due=date(2026, 11, 25), published=published)
    assert deadline.is_late(today) is late
    assert deadline.is_missing(today) is missing
    assert deadline.state(today) == state


def test_the_first_public_document_of_a_kind_counts_and_a_future_one_does_not(seeded, now):
    record = make_record()
    for day in (date(2026, 11, 20), date(2026, 11, 24)):
        make_document(record, kind="agenda", publish_at=at(day))
    make_document(record, kind="papers", publish_at=now + timedelta(hours=1))
    for order in (1, -1):  # whichever comes first
        documents = sorted(record.documents.all(), key=lambda d: d.publish_at)[::order]
        found = {d.kind: d for d in deadlines(PSG_DAY, None, documents, now=now)}
        assert found["agenda"].published == at(date(2026, 11, 20))
    assert found["papers"].published is None


def test_the_meeting_page_shows_each_due_date_and_late(client, seeded, now):
    record = make_record()
    make_document(record, kind="papers", publish_at=at(date(2026, 11, 24)))
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "When papers are due" in html
    assert f'<strong class="late">Late: due 25 November 2026, {NOT_HERE}</strong>' in html
    assert "Published 24 November 2026 (due 25 November 2026)" in html
    assert "Due 4 December 2026" in html and "Due 9 December 2026" in html


def test_meetings_before_the_first_record_are_never_late(client, seeded, now):
    html = client.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert "When papers are due" not in html
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "Late: due 25 November 2026, not published here yet" in html  # from today on


def test_a_cancelled_meeting_has_no_deadlines(client, seeded, now):
    series = group("psg").series.get(slug="meeting")
    series.cancellations.create(date=PSG_DAY)
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "Cancelled" in html
    assert "When papers are due" not in html


def test_overdue_documents_lists_what_is_due_and_missing(office, seeded, now):
    make_document(make_record(day=date(2026, 11, 4)), kind="agenda")
    response = office.get("/admin/records/meetingrecord/overdue/")
    assert response.status_code == 200
    rows = [
        (r["item"].group.slug, r["item"].day, r["item"].deadline.kind)
        for r in response.context["rows"]
    ]
    # PSG's 4 November meeting: agenda published; papers, headline report, minutes missing.
    assert ("psg", date(2026, 11, 4), "agenda") not in rows
    for kind in ("papers", "headline_report", "minutes"):
        assert ("psg", date(2026, 11, 4), kind) in rows
    # PSG's 2 December meeting: its agenda and papers were due on 25 November.
    assert ("psg", PSG_DAY, "agenda") in rows and ("psg", PSG_DAY, "minutes") not in rows
    # Nothing from before the first record (4 November), nothing of a held slot (DAG).
    assert all(day >= date(2026, 11, 4) for _, day, _ in rows)
    assert not any(slug == "dag" for slug, _, _ in rows)
    html = response.content.decode()
    assert "Overdue documents" in html and "Add the meeting's record" in html


def test_overdue_documents_is_for_staff_only(client, staff_user, seeded):
    assert client.get("/admin/records/meetingrecord/overdue/").status_code == 302


def test_a_document_public_exactly_now_is_published_and_the_groups_policy_applies(seeded, now):
    record = make_record()
    make_document(record, kind="agenda", publish_at=now)
    policy = PublicationDeadlines(group=group("psg"), agenda_before=1, papers_before=None)
    found = {d.kind: d for d in deadlines(PSG_DAY, policy, record.documents.all(), now=now)}
    assert found["agenda"].published == now
    assert found["agenda"].due == date(2026, 12, 1)
    assert "papers" not in found
