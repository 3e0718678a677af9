"""Publication deadlines: only where the programme office sets a policy, from its date.

Working days (England and Wales), each group's policies and their history, a document's
first published date (a paper added after the event is never late), the meeting and group
pages, the admin's Overdue documents and policy form, and a fresh seed that calls nothing
late or overdue anywhere.
"""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from records.deadlines import (
    Deadline,
    add_working_days,
    deadlines,
    due_dates,
    policy_for,
    policy_note,
)
from records.enums import DocumentKind
from records.models import DeadlinePolicy, Document
from tests.conftest import LONDON, PINNED_NOW
from tests.forms import form_fields
from tests.public_pages import GROUP_SLUGS, MAIN_PAGES
from tests.records.conftest import (
    PSG_DAY,
    group,
    make_document,
    make_policy,
    make_record,
)

NO_POLICY = "The programme office has set no publication deadlines for this group."
NOT_HERE = "not published here yet"


def at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


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


def test_without_a_policy_nothing_is_due():
    assert due_dates(date(2027, 1, 6), None) == {}
    assert deadlines(date(2027, 1, 6), None, [], now=PINNED_NOW) == []
    assert policy_note([], date(2027, 1, 6)) == NO_POLICY


def test_a_policy_judges_meetings_from_its_date_and_a_later_one_takes_over(seeded):
    first = make_policy(effective_from=date(2026, 10, 1))
    later = make_policy(effective_from=date(2027, 1, 1), agenda_before=3, papers_before=None)
    policies = list(group("psg").deadline_policies.all())
    assert policy_for(policies, date(2026, 9, 30)) is None
    assert policy_for(policies, date(2026, 10, 1)) == first
    assert policy_for(policies, date(2026, 12, 31)) == first
    assert policy_for(policies, date(2027, 1, 6)) == later
    assert due_dates(date(2027, 1, 6), first) == {
        DocumentKind.AGENDA: date(2026, 12, 29),
        DocumentKind.PAPERS: date(2026, 12, 29),
        DocumentKind.HEADLINE_REPORT: date(2027, 1, 8),
        DocumentKind.MINUTES: date(2027, 1, 13),
    }
    # 3 working days before Wednesday 6 January, over New Year's Day; no papers deadline.
    assert due_dates(date(2027, 1, 6), later) == {
        DocumentKind.AGENDA: date(2026, 12, 31),
        DocumentKind.HEADLINE_REPORT: date(2027, 1, 8),
        DocumentKind.MINUTES: date(2027, 1, 13),
    }
    assert policy_for(list(group("sitwg").deadline_policies.all()), date(2027, 1, 6)) is None


def test_the_note_says_who_set_the_deadlines_when_and_from_when(seeded):
    make_policy(effective_from=date(2026, 10, 1), minutes_after=1, headline_report_after=None)
    make_policy(effective_from=date(2027, 2, 1))
    policies = list(group("psg").deadline_policies.all())
    assert policy_note(policies, date(2026, 12, 2)) == (
        "Publication deadlines set by the programme office on 1 October 2026, for meetings "
        "from 1 October 2026: agenda 5 working days before, papers 5 working days before, "
        "minutes 1 working day after the meeting."
    )
    assert policy_note(policies, date(2026, 9, 2)) == (
        "The programme office has set publication deadlines for this group from "
        "1 October 2026 (on 1 October 2026); none apply to its earlier meetings."
    )
    assert "on 26 November 2026, for meetings from 1 February 2027" in policy_note(
        policies, date(2027, 2, 3)
    )


@pytest.mark.parametrize(
    ("published", "back_filled", "today", "late", "missing", "state"),
    [
        (None, False, date(2026, 11, 25), False, False, "Due 25 November 2026"),
        (None, False, date(2026, 11, 26), True, True, f"Late: due 25 November 2026, {NOT_HERE}"),
        (
            date(2026, 11, 25),
            False,
            date(2026, 12, 9),
            False,
            False,
            "Published 25 November 2026 (due 25 November 2026)",
        ),
        (
            date(2026, 11, 26),
            False,
            date(2026, 12, 9),
            True,
            False,
            "Published 26 November 2026: late (due 25 November 2026)",
        ),
        # Added here after the event: never late, whenever it was first published.
        (
            date(2026, 11, 26),
            True,
            date(2026, 12, 9),
            False,
            False,
            "First published 26 November 2026, before it was added here (due 25 November 2026)",
        ),
    ],
)
def test_a_deadline_is_late_only_after_its_day(published, back_filled, today, late, missing, state):
    deadline = Deadline(
        kind=DocumentKind.AGENDA,
        due=date(2026, 11, 25),
        published=published,
        back_filled=back_filled,
    )
    assert deadline.is_late(today) is late
    assert deadline.is_missing(today) is missing
    assert deadline.state(today) == state


def test_the_first_published_document_of_a_kind_counts_and_a_future_one_does_not(seeded, now):
    policy = make_policy()
    record = make_record()
    make_document(record, kind="agenda", publish_at=at(date(2026, 11, 24)))
    make_document(
        record,
        kind="agenda",
        publish_at=at(date(2026, 11, 25)),
        first_published=date(2026, 11, 20),
    )
    make_document(record, kind="papers", publish_at=now + timedelta(hours=1))
    for order in (1, -1):  # whichever comes first
        documents = sorted(record.documents.all(), key=lambda d: d.publish_at)[::order]
        found = {d.kind: d for d in deadlines(PSG_DAY, policy, documents, now=now)}
        assert found["agenda"].published == date(2026, 11, 20)
        assert found["agenda"].back_filled
    assert found["papers"].published is None


def test_a_document_public_exactly_now_is_published(seeded, now):
    policy = make_policy(agenda_before=1, papers_before=None)
    record = make_record()
    make_document(record, kind="agenda", publish_at=now)
    found = {d.kind: d for d in deadlines(PSG_DAY, policy, record.documents.all(), now=now)}
    assert found["agenda"].published == now.date()
    assert found["agenda"].due == date(2026, 12, 1)
    assert "papers" not in found


def test_first_published_may_be_earlier_than_public_from_never_later(seeded):
    record = make_record()
    document = make_document(record, first_published=date(2026, 11, 20))  # public from the 20th
    assert not document.is_back_filled
    document.first_published = date(2026, 11, 21)
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert refused.value.message_dict["first_published"] == [
        "It is public here from 20 November 2026, so it was first published on that day or before."
    ]
    document.first_published = date(2024, 3, 1)
    document.full_clean()
    assert document.is_back_filled and document.published_on == date(2024, 3, 1)


def test_without_a_policy_the_meeting_page_accuses_no_one(client, seeded, now):
    record = make_record()
    make_document(record, kind="papers", publish_at=at(date(2026, 11, 26)))
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert NO_POLICY in html
    assert "When papers are due" not in html
    assert not re.search(r"\blate\b|\boverdue\b", html, re.IGNORECASE)


def test_the_meeting_page_shows_each_due_date_late_and_who_set_them(client, seeded, now):
    make_policy(effective_from=date(2026, 10, 1))
    record = make_record()
    make_document(record, kind="papers", publish_at=at(date(2026, 11, 24)))
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "When papers are due" in html
    assert f'<strong class="late">Late: due 25 November 2026, {NOT_HERE}</strong>' in html
    assert "Published 24 November 2026 (due 25 November 2026)" in html
    assert "Due 4 December 2026" in html and "Due 9 December 2026" in html
    assert "set by the programme office on 1 October 2026, for meetings from 1 October 2026" in (
        html
    )
    assert NO_POLICY not in html


def test_meetings_before_a_policys_date_are_never_judged(client, seeded, now):
    make_policy(effective_from=PSG_DAY)
    make_record(day=date(2026, 11, 4))  # a record of an earlier meeting changes nothing
    html = client.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert "When papers are due" not in html
    assert not re.search(r"\blate\b|\boverdue\b", html, re.IGNORECASE)
    assert (
        "has set publication deadlines for this group from 2 December 2026 "
        "(on 26 November 2026); none apply to its earlier meetings." in html
    )
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert f"Late: due 25 November 2026, {NOT_HERE}" in html
    # Another group's meetings are judged by its own policies only: SITWG has none.
    html = client.get("/groups/sitwg/meetings/2026-12-03/").content.decode()
    assert NO_POLICY in html and "When papers are due" not in html


def test_a_paper_added_after_the_event_is_never_late(client, seeded, now):
    make_policy(effective_from=date(2026, 10, 1))
    record = make_record(day=date(2026, 11, 4))
    # Added today; published elsewhere on 28 October (on time) and 30 October (after its
    # due date): neither is late here. The minutes, first published here today, are.
    make_document(record, kind="agenda", publish_at=now, first_published=date(2026, 10, 28))
    make_document(record, kind="papers", publish_at=now, first_published=date(2026, 10, 30))
    make_document(record, kind="minutes", publish_at=now)
    html = client.get("/groups/psg/meetings/2026-11-04/").content.decode()
    assert "First published 28 October 2026, before it was added here (due 28 October 2026)" in (
        html
    )
    assert "First published 30 October 2026, before it was added here (due 28 October 2026)" in (
        html
    )
    assert '<strong class="late">Published 26 November 2026: late (due 11 November 2026)' in html
    assert f'<strong class="late">Late: due 6 November 2026, {NOT_HERE}</strong>' in html
    assert (
        'first published <time datetime="2026-10-28">28 October 2026</time>, added here '
        '<time datetime="2026-11-26T09:00:00+00:00">26 November 2026</time>' in html
    )
    listed = client.get("/groups/psg/meetings/").content.decode()
    assert "Overdue: headline report" in listed  # not the agenda or papers


def test_a_cancelled_meeting_has_no_deadlines(client, seeded, now):
    make_policy()
    series = group("psg").series.get(slug="meeting")
    series.cancellations.create(date=PSG_DAY)
    html = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "Cancelled" in html
    assert "When papers are due" not in html and "Late" not in html


def test_the_group_pages_list_overdue_papers_only_under_a_policy(client, seeded, now):
    for path in ("/groups/psg/", "/groups/psg/meetings/"):
        html = client.get(path).content.decode()
        assert "Overdue" not in html and NO_POLICY in html
    make_policy(effective_from=date(2026, 11, 10))
    for path in ("/groups/psg/", "/groups/psg/meetings/"):
        html = client.get(path).content.decode()
        assert "Overdue: agenda, papers" in html  # the 2 December meeting's, due 25 November
        assert "set by the programme office on 10 November 2026" in html
    listed = client.get("/groups/psg/meetings/").content.decode()
    # The 4 November meeting came before the policy: nothing is due for it.
    item = listed.split('href="/groups/psg/meetings/2026-11-04/"', 1)[1].split("</li>", 1)[0]
    assert "No papers listed" in item


def test_overdue_documents_lists_nothing_until_a_policy_is_set(office, seeded, now):
    make_document(make_record(day=date(2026, 11, 4)), kind="agenda")
    response = office.get("/admin/records/meetingrecord/overdue/")
    assert response.status_code == 200
    assert response.context["rows"] == []
    html = response.content.decode()
    assert "No group has publication deadlines" in html and "Nothing is overdue" not in html


def test_overdue_documents_lists_what_a_policy_makes_due_and_missing(office, seeded, now):
    make_policy(effective_from=date(2026, 11, 1))
    make_policy("sitwg", effective_from=date(2026, 12, 1))  # not yet in force
    make_document(make_record(day=date(2026, 11, 4)), kind="agenda")
    response = office.get("/admin/records/meetingrecord/overdue/?since=2026-01-01")
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
    # Only PSG's meetings, only from its policy's date, though asked from 1 January.
    assert {slug for slug, _, _ in rows} == {"psg"}
    assert min(day for _, day, _ in rows) == date(2026, 11, 4)
    html = response.content.decode()
    assert "Overdue documents" in html and "Add the meeting's record" in html


def test_overdue_documents_is_for_staff_only(client, staff_user, seeded):
    assert client.get("/admin/records/meetingrecord/overdue/").status_code == 302


def _policy_form(client):
    fields = form_fields(client.get("/admin/records/deadlinepolicy/add/").content.decode())
    fields["_save"] = ["Save"]
    return fields


def test_the_programme_office_sets_a_policy_with_the_suggestion_offered_not_applied(
    office, seeded, now
):
    page = office.get("/admin/records/deadlinepolicy/add/").content.decode()
    assert "Suggestion (the REC portal's practice, not applied unless you enter it): 5" in page
    fields = _policy_form(office)
    for name in ("agenda_before", "papers_before", "headline_report_after", "minutes_after"):
        assert fields[name] == [""]  # offered in words, never filled in
    fields.update(
        group=[str(group("sitwg").pk)],
        effective_from=["2026-12-01"],
        agenda_before=["3"],
        minutes_after=["5"],
    )
    response = office.post("/admin/records/deadlinepolicy/add/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = DeadlinePolicy.objects.get(group__slug="sitwg")
    assert (policy.agenda_before, policy.papers_before, policy.minutes_after) == (3, None, 5)
    assert policy.set_on == date(2026, 11, 26)
    assert policy.updated_by.username == "pmo"
    listed = office.get("/admin/records/deadlinepolicy/")
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [policy]
    html = office.get("/groups/sitwg/meetings/2026-12-03/").content.decode()
    assert "set by the programme office on 26 November 2026, for meetings from 1 December" in html
    assert "agenda 3 working days before, minutes 5 working days after the meeting" in html


def test_a_policy_cannot_reach_back_before_the_day_it_is_set(office, seeded, now):
    fields = _policy_form(office)
    fields.update(group=[str(group("psg").pk)], effective_from=["2026-11-25"], agenda_before=["5"])
    response = office.post("/admin/records/deadlinepolicy/add/", fields)
    assert response.status_code == 200
    assert "Choose 26 November 2026 or a later date" in response.content.decode()
    assert not DeadlinePolicy.objects.exists()
    # A policy in force keeps its date when its days are changed.
    policy = make_policy(effective_from=date(2026, 10, 1))
    policy.minutes_after = 7
    policy.full_clean()


# Words that are not about deadlines: the late summer bank holiday.
LEGIT = re.compile(r"Late Summer Bank Holiday", re.IGNORECASE)
ACCUSATION = re.compile(r"\blate\b|\boverdue\b", re.IGNORECASE)


def _accusations(text):
    return ACCUSATION.findall(LEGIT.sub("", text))


def test_a_fresh_seed_calls_nothing_late_or_overdue_anywhere(client, office, seeded, now):
    """Every kind of public page, the JSON, the feeds and the admin's to-do list, on the
    seed alone: no group has a deadline policy, so nothing is late or overdue."""
    assert not DeadlinePolicy.objects.exists() and not Document.objects.exists()
    paths = [
        *MAIN_PAGES,
        "/calendar/2026/12/",
        "/calendar.ics",
        "/api/groups/",
        "/api/calendar/2026/11/",
        "/api/calendar/2026/12/",
        "/api/decisions/",
        "/api/actions/",
        "/groups/export.csv",
        "/changes.atom",
    ]
    for slug in GROUP_SLUGS:
        paths += [
            f"/groups/{slug}/",
            f"/groups/{slug}/meetings/",
            f"/api/groups/{slug}/",
            f"/groups/{slug}/calendar.ics",
        ]
    meetings = set()
    checked = 0
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        assert _accusations(text) == [], path
        checked += 1
        if re.fullmatch(r"/groups/[a-z0-9-]+/|/calendar/[0-9]{4}/[0-9]{2}/", path):
            meetings.update(re.findall(r'href="(/groups/[a-z0-9-]+/meetings/[0-9-]{10}/)"', text))
    assert checked > 100
    # Every meeting the group pages (the next and latest few) and the month calendars link
    # to: past and upcoming, weekly and monthly, pre-meeting webinars.
    assert len(meetings) > 60
    assert "/groups/psg/meetings/2026-12-02/" in meetings
    for path in sorted(meetings):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert _accusations(text) == [], path
        assert NO_POLICY in text or "Cancelled" in text or "Moved" in text, path
    # What used to be listed on 26 November 2026: "Late: due 25 November 2026".
    psg = client.get("/groups/psg/meetings/2026-12-02/").content.decode()
    assert "Due" not in psg.split('id="documents-heading"', 1)[1].split("</section>", 1)[0]
    response = office.get("/admin/records/meetingrecord/overdue/")
    assert response.context["rows"] == []
    assert "Nothing is overdue" not in response.content.decode()
