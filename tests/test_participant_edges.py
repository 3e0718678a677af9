"""A participant's last rough edges: calendar entries that name the group and say who may
attend, cancelled and moved meetings said in words, a Microsoft 365 subscribe link, My
calendar one press away, the change log's date and category filters, the route finder's
words on the IPA and the Change Request form, and one breadcrumb trail."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html as lxml_html

from changelog import kinds
from changelog.services import record_change
from core import clock
from groups.enums import GroupChangeKind
from groups.models import GovernanceGroup
from meetings.enums import MeetingChangeKind
from meetings.models import Cancellation, MeetingSeries, Move
from meetings.selectors import upcoming
from meetings.services import cancellation_save, move_save
from records.enums import RecordChangeKind
from representation.enums import RepresentationChange
from tests.conftest import LONDON
from tests.sample_records import sample_records


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def day_entries(tree, day: date) -> list[str]:
    """The text of each meeting entry on one day of the month page."""
    cell = tree.xpath(f'//table[@class="month"]//td[.//time[@datetime="{day:%Y-%m-%d}"]]')[0]
    return [text(li) for li in cell.xpath('.//ul[@class="day-meetings"]/li')]


# Calendar entries: the group's name and who may attend.


def test_month_entry_reads_the_groups_name_and_open_to_all_or_closed(client, seeded, now):
    tree = page(client, "/calendar/2026/11/")
    entries = day_entries(tree, date(2026, 11, 26))
    dcwg = next(e for e in entries if "DCWG" in e)
    assert "Data Cleanse Working Group" in dcwg
    dcwg_group = GovernanceGroup.objects.get(slug="dcwg")
    assert dcwg_group.get_attendance_display() in dcwg
    psg = next(e for e in day_entries(tree, date(2026, 12, 2)) if "PSG" in e)
    assert "Programme Steering Group" in psg and "Closed" in psg and "Open to all" not in psg


def test_month_entries_name_attendance_for_every_group_as_its_page_does(client, seeded, now):
    tree = page(client, "/calendar/2026/12/")
    entries = tree.xpath('//ul[@class="day-meetings"]/li[not(@class="moved-away")]')
    assert entries
    groups = {g.short_name: g for g in GovernanceGroup.objects.all()}
    for li in entries:
        acronym = text(li.xpath('.//span[@class="entry-acronym"]')[0])
        marks = text(li.xpath('.//span[@class="entry-marks"]')[0])
        assert groups[acronym].get_attendance_display() in marks or "not stated" in marks, marks


def test_a_series_whose_attendance_the_source_does_not_give_says_so(client, seeded, now):
    webinar = MeetingSeries.objects.filter(group__slug="psg", title__icontains="webinar")
    assert webinar.update(attendance_not_stated=True) == 1
    entries = day_entries(page(client, "/calendar/2026/11/"), date(2026, 11, 26))
    webinar = next(e for e in entries if "webinar" in e.lower())
    assert "Attendance not stated" in webinar and "Closed" not in webinar


@pytest.fixture
def changed_meetings(seeded):
    """PSG's 2 December meeting cancelled; SITWG's 3 December meeting moved to the 4th."""
    psg = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    cancellation_save(
        cancellation=Cancellation(series=psg, date=date(2026, 12, 2), note="No quorum"), by=None
    )
    sitwg = MeetingSeries.objects.get(group__slug="sitwg", slug="meeting")
    move_save(
        move=Move(
            series=sitwg,
            original_date=date(2026, 12, 3),
            start=datetime(2026, 12, 4, 14, tzinfo=LONDON),
            end=datetime(2026, 12, 4, 16, tzinfo=LONDON),
        ),
        by=None,
    )


def test_cancelled_and_moved_meetings_say_so_on_the_month_page(client, changed_meetings, now):
    tree = page(client, "/calendar/2026/12/")
    psg = next(e for e in day_entries(tree, date(2026, 12, 2)) if "PSG" in e and "Cancelled" in e)
    assert "Programme Steering Group" in psg
    moved = next(e for e in day_entries(tree, date(2026, 12, 4)) if "SITWG" in e)
    assert "Moved from Thursday 3 December" in moved
    left = next(e for e in day_entries(tree, date(2026, 12, 3)) if "SITWG" in e)
    assert left.startswith("SITWG") and "Moved to Friday 4 December, 14:00" in left


def test_the_workstream_page_shows_a_cancelled_meeting_marked_cancelled(client, seeded, now):
    test = GovernanceGroup.objects.get(slug="sitwg").workstream
    first = upcoming(now=clock.now(), count=6, workstream=test)[0]
    assert not first.is_cancelled
    cancellation_save(
        cancellation=Cancellation(series=first.series, date=first.local_start.date()), by=None
    )
    tree = page(client, f"/workstreams/{test.slug}/")
    items = [text(li) for li in tree.xpath('//ul[@class="meetings"]/li')]
    day = f"{first.local_start:%A %-d %B %Y, %H:%M}"
    shown = [i for i in items if day in i and first.group.short_name in i]
    assert len(shown) == 1 and "Cancelled" in shown[0]
    assert first.group.get_attendance_display() in shown[0]
    # The six meetings still shown besides it: a cancelled one takes no meeting's place.
    assert len([i for i in items if "Cancelled" not in i]) == 6


def test_the_workstream_page_names_groups_and_says_moved(client, changed_meetings, now):
    items = [
        text(li) for li in page(client, "/workstreams/test/").xpath('//ul[@class="meetings"]/li')
    ]
    sitwg = next(i for i in items if "SITWG" in i and "4 December 2026" in i)
    assert "Systems Integration Testing Working Group (SITWG)" in sitwg
    assert "Moved from Thursday 3 December" in sitwg


# The Subscribe panel.


def _hrefs(tree, label):
    return [a.get("href") for a in tree.xpath("//a") if text(a) == label]


def test_subscribe_panel_has_a_microsoft_365_link_whose_url_is_the_feed(client, seeded, now):
    tree = page(client, "/groups/sitwg/")
    (href,) = _hrefs(tree, "Add to Microsoft 365")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "outlook.office.com",
        "/calendar/0/addfromweb",
    )
    query = parse_qs(parts.query)
    assert query == {"url": ["http://testserver/groups/sitwg/calendar.ics"], "name": ["MHHS SITWG"]}
    feed = client.get(urlsplit(query["url"][0]).path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    # Outlook.com beside it, the same feed; each says which accounts it is for.
    (outlook,) = _hrefs(tree, "Add to Outlook.com")
    assert urlsplit(outlook).netloc == "outlook.live.com"
    assert parse_qs(urlsplit(outlook).query) == query
    panel = text(tree.xpath('//details[contains(@class, "subscribe-panel")]')[0])
    assert "Add to Microsoft 365 (Outlook on the web with a work or school account)" in panel
    assert "Add to Outlook.com (a personal Microsoft account" in panel


# My calendar.


def test_my_calendar_is_in_the_main_menu(client, seeded, now):
    tree = page(client, "/")
    menu = tree.xpath('//nav[@aria-label="Main"]//a')
    assert ("My calendar", "/my-calendar/") in [(text(a), a.get("href")) for a in menu]
    mine = page(client, "/my-calendar/").xpath('//nav[@aria-label="Main"]//a[@aria-current]')
    assert [text(a) for a in mine] == ["My calendar"]


def test_choosing_groups_opens_the_subscribe_panel_in_one_press(client, seeded, now):
    before = page(client, "/my-calendar/")
    form = before.xpath('//form[@class="choose-groups"]')[0]
    assert form.get("action") == "/my-calendar/#feed-heading"
    assert not before.xpath('//details[contains(@class, "subscribe-panel")]')
    after = page(client, "/my-calendar/?groups=psg&groups=sitwg")
    (panel,) = after.xpath('//details[contains(@class, "subscribe-panel")]')
    assert panel.get("open") is not None
    # Elsewhere the panel stays closed until asked for.
    (group_panel,) = page(client, "/groups/psg/").xpath('//details[contains(@class, "subscribe")]')
    assert group_panel.get("open") is None


# The change log's filters.


@pytest.fixture
def log(seeded):
    """One entry of each category around the UK days of 1 July 2026 (summer time) and
    1 December 2026 (winter), written in time order as the log keeps them."""
    at = [
        (
            "gov-before",
            GroupChangeKind.MAILBOX_CHANGED,
            datetime(2026, 6, 30, 23, 30, tzinfo=LONDON),
        ),
        (
            "meeting-first",
            MeetingChangeKind.MEETING_CANCELLED,
            datetime(2026, 7, 1, 0, 30, tzinfo=LONDON),
        ),
        (
            "paper-last",
            RecordChangeKind.DOCUMENT_ADDED,
            datetime(2026, 7, 1, 23, 50, tzinfo=LONDON),
        ),
        (
            "gov-after",
            RepresentationChange.SEATS_CHANGED,
            datetime(2026, 7, 2, 0, 10, tzinfo=LONDON),
        ),
        (
            "decision-winter",
            RecordChangeKind.DECISION_PUBLISHED,
            datetime(2026, 12, 1, 0, 5, tzinfo=LONDON),
        ),
    ]
    for summary, kind, when in at:
        entry = record_change(kind=kind, summary=summary, url="/", at=when)
        assert abs(entry.visible_at - when) < timedelta(seconds=5)
    return [summary for summary, _kind, _when in at]


def summaries(client, query, status=200):
    tree = page(client, "/changes/?" + query, status)
    return [text(p) for p in tree.xpath('//p[@class="change-summary"]')]


def test_a_date_range_is_whole_uk_days_both_ends_included(client, log, now):
    assert summaries(client, "from_date=2026-07-01&to_date=2026-07-01") == [
        "paper-last",
        "meeting-first",
    ]
    # UK dates as typed, too.
    assert summaries(client, "from_date=01/07/2026&to_date=2/7/2026") == [
        "gov-after",
        "paper-last",
        "meeting-first",
    ]
    assert summaries(client, "from_date=2026-12-01") == ["decision-winter"]
    assert "gov-before" in summaries(client, "to_date=2026-06-30")
    assert "meeting-first" not in summaries(client, "to_date=2026-06-30")


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("governance", ["gov-after", "gov-before"]),
        ("meetings", ["meeting-first"]),
        ("records", ["decision-winter", "paper-last"]),
    ],
)
def test_a_category_keeps_its_kinds_apart(client, log, now, category, expected):
    found = [s for s in summaries(client, f"category={category}") if s in log]
    assert found == expected


def test_every_registered_kind_has_a_category_and_entries_are_labelled(client, log, now):
    assert all(kinds.category(kind) is not None for kind, _label in kinds.all_kinds())
    assert kinds.category("document_added") == kinds.Category.RECORDS
    assert kinds.category("status_changed") == kinds.Category.GOVERNANCE
    assert kinds.category("seats_changed") == kinds.Category.GOVERNANCE
    assert kinds.category("meeting_moved") == kinds.Category.MEETINGS
    tree = page(client, "/changes/?from_date=2026-07-01&to_date=2026-07-02")
    heads = {
        text(li.xpath('.//p[@class="change-summary"]')[0]): text(
            li.xpath('.//span[@class="change-category"]')[0]
        )
        for li in tree.xpath('//ol[@class="changes"]/li')
    }
    assert heads == {
        "gov-after": "Governance changes",
        "paper-last": "Papers and records",
        "meeting-first": "Meetings",
    }


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "from_date=31/02/2026",
            "from_date",
            "“31/02/2026” is not a date: enter a real date as day, month and year, "
            "like 26/11/2026.",
        ),
        ("to_date=yesterday", "to_date", "“yesterday” is not a date: enter a real date"),
        ("from_date=1066-10-14", "from_date", "Enter a date from 1/1/2000 to 31/12/2100."),
        ("to_date=9999-12-31", "to_date", "Enter a date from 1/1/2000 to 31/12/2100."),
        (
            "from_date=2026-07-02&to_date=2026-07-01",
            "to_date",
            "The “to” date is before the “from” date (2/7/2026).",
        ),
        ("category=minutes", "category", "There is no such kind of change"),
        ("from_date=2026-07-01&from_date=2026-07-02", "from_date", "Give from_date once"),
    ],
)
def test_a_bad_filter_shows_the_form_with_a_helpful_error(client, log, now, query, field, message):
    tree = page(client, "/changes/?" + query, status=400)
    error = tree.xpath(f'//p[@id="id_{field}-error"]')
    assert error and message in text(error[0])
    (shown,) = tree.xpath(f'//input[@name="{field}"] | //select[@name="{field}"]')
    if shown.get("type") == "date":  # a date input holds a date or nothing
        assert shown.get("value") in (None, "") or date.fromisoformat(shown.get("value"))
    assert not tree.xpath('//ol[@class="changes"]')


def test_the_date_inputs_are_date_inputs_and_keep_the_choice(client, log, now):
    tree = page(client, "/changes/?from_date=01/07/2026&category=meetings")
    (start,) = tree.xpath('//input[@name="from_date"]')
    assert (start.get("type"), start.get("value")) == ("date", "2026-07-01")
    assert tree.xpath('//select[@name="category"]/option[@selected]/@value') == ["meetings"]
    assert tree.xpath('//label[@for="id_from_date"]')


def test_the_json_takes_the_same_filters_and_stays_as_it_was(client, log, now):
    everything = client.get("/api/changes/").json()
    assert {"count", "changes"} == set(everything)
    assert set(everything["changes"][0]) == {
        "id",
        "at",
        "recorded_at",
        "visible_at",
        "kind",
        "group",
        "summary",
        "before",
        "after",
        "url",
    }
    meetings = client.get("/api/changes/?category=meetings&from_date=2026-07-01").json()
    assert [c["summary"] for c in meetings["changes"]] == ["meeting-first"]
    assert client.get("/api/changes/?from_date=nope").status_code == 400


def test_the_atom_feed_is_unchanged_by_the_filters(client, log, now):
    assert client.get("/changes.atom?category=meetings").content == (
        client.get("/changes.atom").content
    )


# The route finder's words on the IPA and the Change Request form.


IPA_GAP = "it does not say what the letters IPA stand for and gives no email address"
CR_GAP = "it does not reproduce the form, list its fields or say where to get it"


def test_the_ipa_note_is_true_of_the_source(seeded):
    """The groups the note says the IPA attends are those whose attendees name it."""
    named = {g.short_name for g in GovernanceGroup.objects.all() if "IPA" in g.attendees}
    assert named == {"PSG", "DAG", "SITAG", "MCAG", "QAG", "CCAG", "GLIG"}


@pytest.mark.parametrize(
    "path",
    [
        "/escalations/route/?group=psg&kind=formal",
        "/escalations/route/?group=sitwg&kind=formal",
        "/escalations/",
    ],
)
def test_where_the_route_names_the_ipa_it_says_what_the_source_does_not_give(
    client, seeded, now, path
):
    html = text(page(client, path))
    assert IPA_GAP in html
    assert "PSG, DAG, SITAG, MCAG, QAG, CCAG and the GLIG SIT agenda" in html
    assert "The directory's suggestion (not the source's): ask the PMO" in html


def test_a_query_without_the_ipa_has_no_ipa_note(client, seeded, now):
    html = text(page(client, "/escalations/route/?group=sitwg&kind=query"))
    assert IPA_GAP not in html and CR_GAP not in html


@pytest.mark.parametrize("kind", ["formal", "informal"])
def test_an_escalation_says_what_to_include_and_what_the_source_does_not_give(
    client, seeded, now, kind
):
    tree = page(client, f"/escalations/route/?group=sitwg&kind={kind}")
    (block,) = tree.xpath('//div[contains(@class, "what-to-include")]')
    assert [text(li) for li in block.xpath(".//li")] == [
        "clear context;",
        "your rationale;",
        "any impacts if no action is taken.",
    ]
    assert CR_GAP in text(block)
    assert "could be used as a guide for the information required" in text(block)


# One breadcrumb trail.


def trail(client, path):
    nav = page(client, path).xpath('//nav[@aria-label="Breadcrumb"]')
    assert len(nav) == 1, path
    return [(text(li), (li.xpath("./a/@href") or [None])[0]) for li in nav[0].xpath(".//li")]


def test_the_group_and_its_meeting_pages_share_one_trail(client, seeded, now):
    sample_records()
    home, groups = ("Home", "/"), ("Groups", "/groups/")
    assert trail(client, "/groups/psg/") == [home, groups, ("PSG", None)]
    assert trail(client, "/groups/psg/meetings/") == [
        home,
        groups,
        ("PSG", "/groups/psg/"),
        ("Meetings", None),
    ]
    assert trail(client, "/groups/psg/meetings/2026-11-04/") == [
        home,
        groups,
        ("PSG", "/groups/psg/"),
        ("Meetings", "/groups/psg/meetings/"),
        ("4 November 2026", None),
    ]
