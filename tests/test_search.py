"""Site-wide search (/search/?q=): what it finds, how it ranks and highlights, bad input, and
a constant number of queries; on SQLite (the portable fallback) and on PostgreSQL (full-text
search).

This module is also the URL conf of its tests (ROOT_URLCONF="tests.test_search"): the
project's URLs with the search page added."""

import re
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

import mhhs_gov.urls
from core import clock
from core.forms import SingleValueForm
from directory.search import backends
from directory.search.backends import highlight_excerpt, score_fields, site_search
from directory.search.dates import BadDate, parse_when
from directory.search.query import MAX_RESULTS, query_words
from directory.search.view import MAX_QUERY_LENGTH, SearchForm, search
from escalations.models import GuidanceSection
from groups.models import GovernanceGroup, Mailbox
from meetings.models import Cancellation, MeetingSeries, Move
from meetings.services import cancellation_save, move_save
from records.models import Action, Decision, Document, MeetingRecord
from records.services import action_save, decision_save, document_delete, document_save
from tests.conftest import LONDON, PINNED_NOW
from tests.factories import add_seed_copies
from tests.queries import query_counts_at_1x_and_10x
from tests.sample_records import PAST, PDF, sample_records

urlpatterns = [path("search/", search, name="search"), *mhhs_gov.urls.urlpatterns]
handler400 = mhhs_gov.urls.handler400
handler403 = mhhs_gov.urls.handler403
handler404 = mhhs_gov.urls.handler404
handler500 = mhhs_gov.urls.handler500

# A <script> element without a src: inline code or embedded data.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
# groups, mailboxes, guidance sections, worked examples, decisions, papers, actions: one each
KINDS = 7
NAMING = 1  # the groups a query may name (directory/search/meetings.py)
# Where a group is named: its series, their cancellations and moves, its status history, and
# its one-off meetings.
SCHEDULE = 5


@pytest.fixture(autouse=True)
def _search_urls():
    with override_settings(ROOT_URLCONF=__name__):
        yield


def titles(results):
    return [r.title for r in results]


def of_kind(results, kind):
    return [r for r in results if r.kind == kind]


PUBLISHED = datetime(2026, 11, 20, 9, tzinfo=LONDON)  # before the pinned now
LATER = datetime(2026, 12, 10, 9, tzinfo=LONDON)  # after it: embargoed until then


def add_document(record, kind, title, publish_at=PUBLISHED):
    document = Document(
        record=record,
        kind=kind,
        title=title,
        file=SimpleUploadedFile(f"{kind}.pdf", PDF),
        publish_at=publish_at,
    )
    return document_save(document=document, by=None)


def add_decision(record, title, *, published_at=PUBLISHED, **fields):
    values = {"summary": f"Agreed: {title}.", "rationale": "Set out in the papers.", **fields}
    decision = Decision(
        group=record.group,
        record=record,
        date=record.date,
        title=title,
        published_at=published_at,
        **values,
    )
    return decision_save(decision=decision, by=None)


def add_action(record, description, **fields):
    values = {"owner": "PMO", "due": date(2026, 12, 16), **fields}
    return action_save(action=Action(record=record, description=description, **values), by=None)


@pytest.fixture
def records(seeded, settings, tmp_path):
    """The sample meeting records (PSG's meeting of 4 November 2026 with its papers,
    decisions and actions), uploads in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return sample_records()


def get(client, query_string):
    return client.get(f"/search/?{query_string}")


# What it finds and how it ranks ------------------------------------------------------------


def test_dip_finds_the_sims_and_ems_mailbox(seeded):
    results = site_search("DIP")
    mailbox = next(r for r in results if r.kind == "Mailbox")
    assert mailbox.title == "Sims.Ems mailbox: Sims.Ems@mhhsprogramme.co.uk"
    assert mailbox.url == "/contact/"
    assert "<mark>DIP</mark> Simulator" in mailbox.excerpt_html
    assert results[0] == mailbox  # nothing else in the seed says DIP


def test_dip_simulator_finds_sims_ems_and_not_the_testing_mailbox(seeded):
    """A question about the DIP simulator is Sims.Ems's, as the Contact Us list says."""
    results = site_search("DIP simulator")
    assert results[0].title == "Sims.Ems mailbox: Sims.Ems@mhhsprogramme.co.uk"
    assert "<mark>DIP</mark> <mark>Simulator</mark>" in results[0].excerpt_html
    assert not any("Testing@" in r.title for r in results)


def test_design_issue_notifications_finds_drg_first(seeded):
    results = site_search("Design Issue Notifications")
    assert results[0].title == "Design Resolution Group (DRG)"
    assert results[0].kind == "Group"
    assert results[0].url == "/groups/drg/"
    for word in ("Design", "Issue", "Notifications"):
        assert f"<mark>{word}</mark>" in results[0].excerpt_html


def test_psg_ranks_the_programme_steering_group_first(seeded):
    results = site_search("PSG")
    assert results[0].title == "Programme Steering Group (PSG)"
    assert results[0].url == "/groups/psg/"
    # PSG is also in GLIG's purpose and in a worked example's answer: found, ranked lower.
    assert "Go-Live Implementation Group (GLIG)" in titles(results[1:])
    example = next(r for r in results if r.kind == "Worked example")
    assert example.url == "/escalations/#example-dag-decision"
    assert "<mark>PSG</mark> Chair" in example.excerpt_html


def test_results_are_ranked_best_first(seeded):
    scores = [r.score for r in site_search("design")]
    assert len(scores) > 3
    assert scores == sorted(scores, reverse=True)


def test_guidance_and_contact_text_are_searched(seeded):
    results = site_search("Ofgem decision-making escalation criteria")
    note = next(r for r in results if r.kind == "Escalation guidance")
    assert note.title == "Note"
    assert note.url == "/escalations/#escalation-heading"
    assert site_search("triage")[0].url == "/contact/"  # the contact page's introduction
    mailbox = site_search("PPC@mhhsprogramme.co.uk")
    assert mailbox[0].title.startswith("Programme Party Coordinator (PPC) mailbox")


def test_stop_words_alone_find_nothing(seeded):
    assert site_search("the and of") == []
    assert site_search("   ") == []


def test_a_word_matches_at_the_start_of_a_word_only(seeded):
    Mailbox.objects.filter(slug="sims-ems").update(purpose="for the BDIP team")
    assert [r for r in site_search("DIP") if r.kind == "Mailbox"] == []
    Mailbox.objects.filter(slug="sims-ems").update(purpose="for the DIPs")
    assert [r.title for r in site_search("DIP")] == [
        "Sims.Ems mailbox: Sims.Ems@mhhsprogramme.co.uk"
    ]


# The page ---------------------------------------------------------------------------------


def test_page_lists_results_in_order_with_kind_link_and_highlighted_excerpt(client, seeded):
    response = get(client, "q=DIP")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<input type="search" name="q" value="DIP"' in html
    assert '<label for="id_q">' in html
    assert 'aria-describedby="id_q_helptext"' in html
    assert '<ol class="search-results">' in html
    assert 'role="status"> 1 result for “DIP”, by kind, the best match first.' in " ".join(
        html.split()
    )
    assert '<a href="/contact/">Sims.Ems mailbox: Sims.Ems@mhhsprogramme.co.uk</a>' in html
    assert '<span class="kind-label">Mailbox</span>' in html
    assert "<mark>DIP</mark>" in html
    assert response.context["query"] == "DIP"
    assert [r.title for r in response.context["results"]] == titles(site_search("DIP"))


def test_page_ranks_psg_first(client, seeded):
    html = get(client, "q=PSG").content.decode()
    first = html.index('<ol class="search-results">')
    assert html.index('href="/groups/psg/"', first) < html.index('href="/groups/glig/"', first)


@pytest.mark.parametrize("query_string", ["", "q=", "q=+++"])
def test_empty_or_missing_query_shows_the_form_without_results(client, seeded, query_string):
    response = get(client, query_string)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="search" name="q"' in html
    assert "search-results" not in html
    assert 'role="status"' not in html
    assert response.context["results"] == []


def test_no_results_is_a_friendly_line_with_suggestions(client, seeded):
    response = get(client, "q=zebra")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status">No results for “zebra”.' in html
    assert "Check the spelling" in html
    assert 'href="/groups/"' in html


def test_query_is_escaped_and_never_marked_up(client, seeded):
    response = get(client, "q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert INLINE_SCRIPT.search(html) is None


def test_stored_text_is_escaped_around_the_highlight(client, seeded):
    GovernanceGroup.objects.filter(slug="drg").update(
        purpose='<img src=x onerror="alert(1)"> Design <b>Issue</b> Notifications & 5 < 6 "q"'
    )
    result = site_search("Notifications")[0]
    assert result.title == "Design Resolution Group (DRG)"
    # PostgreSQL's ts_headline leaves tags out; the fallback shows them escaped
    assert "<img" not in result.excerpt_html and "<b>" not in result.excerpt_html
    if "img" in result.excerpt_html:
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in result.excerpt_html
    marked = "<mark>Notifications</mark> &amp; 5 &lt; 6 &quot;q&quot;"
    assert marked in result.excerpt_html
    html = get(client, "q=Notifications").content.decode()
    assert "<img" not in html and "<b>" not in html
    assert marked in html


def test_too_long_query_is_a_400_with_a_clear_message(client, seeded):
    response = get(client, "q=" + "a" * (MAX_QUERY_LENGTH + 1))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert">Search for at most 200 characters; this search has 201.' in html
    assert 'aria-describedby="id_q-error id_q_helptext"' in html
    assert '<p class="help" id="id_q_helptext">' in html
    assert 'aria-invalid="true"' in html
    assert response.context["results"] == []
    assert get(client, "q=" + "a" * MAX_QUERY_LENGTH).status_code == 200


def test_query_given_twice_is_a_400(client, seeded):
    response = get(client, "q=PSG&q=DAG")
    assert response.status_code == 400
    assert "Give q once; it was given 2 times." in response.content.decode()
    assert response.context["results"] == []


def test_null_character_is_a_400_not_a_500(client, seeded):
    assert get(client, "q=PSG%00").status_code == 400


def test_only_get_and_head(client, seeded):
    assert client.post("/search/", {"q": "PSG"}).status_code == 405
    assert client.head("/search/?q=PSG").status_code == 200


def test_page_is_html_and_json_free(client, seeded):
    response = get(client, "q=PSG")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "application/json" not in html
    assert INLINE_SCRIPT.search(html) is None  # no inline script, no embedded JSON data
    assert "style=" not in html  # strict CSP: no inline style


def test_form_is_a_single_value_form():
    assert issubclass(SearchForm, SingleValueForm)
    form = SearchForm({"q": "  PSG  "})
    assert form.is_valid()
    assert form.cleaned_data["q"] == "PSG"


# Queries ----------------------------------------------------------------------------------


def test_one_query_per_kind_of_record(seeded, django_assert_num_queries):
    with django_assert_num_queries(KINDS + NAMING):
        assert site_search("design group")
    with django_assert_num_queries(KINDS + NAMING + SCHEDULE):  # names PSG: its meetings
        assert site_search("PSG March")
    with django_assert_num_queries(0):
        assert site_search("") == []


def more_records(copies: int) -> None:
    """``copies`` more papers (one embargoed of each two), decisions (a draft of each two)
    and actions at PSG's last meeting and each copy of PSG."""
    record = MeetingRecord.objects.get(group__slug="psg", date=PAST)
    for n in range(copies):
        public = n % 2 == 0
        add_document(record, "minutes", f"Minutes copy {n}", PUBLISHED if public else LATER)
        published_at = PUBLISHED if public else None
        add_decision(record, f"Design decision copy {n}", published_at=published_at)
        add_action(record, f"Design action copy {n}")


@pytest.mark.parametrize(
    "query", ["PSG", "design group programme", "SITWG March", "minutes", "when does PSG meet"]
)
def test_page_queries_are_constant_at_1x_and_10x(client, seeded, records, query):
    counts = {}
    for size in ("1x", "10x"):
        if size == "10x":
            add_seed_copies(9)
            more_records(20)
        cache.clear()  # the page cache would answer without a query
        with CaptureQueriesContext(connection) as queries:
            response = get(client, f"q={query}")
        assert response.status_code == 200
        assert response.context["results"]
        counts[size] = len(queries)
    assert counts["1x"] == counts["10x"], counts


def test_page_query_counts_with_the_shared_helper(client, seeded, records):
    counts = query_counts_at_1x_and_10x(client, "/search/?q=PSG+March")
    assert counts["1x"] == counts["10x"], counts


def test_results_are_capped_and_ranked_at_10x(seeded):
    add_seed_copies(9)
    results = site_search("group")
    assert len(results) == MAX_RESULTS
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)


# The two implementations ------------------------------------------------------------------


def test_query_words():
    assert query_words("The Design of the  DIP, design!") == ["design", "dip"]
    assert query_words("a b 2 PSG's") == ["2", "psg"]
    assert len(query_words(" ".join(f"word{n}" for n in range(50)))) == 10


def test_fallback_scoring_weighs_fields_words_and_exact_names():
    fields = {"acronym": "A", "name": "A", "purpose": "B", "attendees": "C"}
    psg = {"acronym": "PSG", "name": "Programme Steering Group", "purpose": "", "attendees": ""}
    glig = {
        "acronym": "GLIG",
        "name": "Go-Live Implementation Group",
        "purpose": "convened by the Programme Steering Group (PSG), where the PSG would like",
        "attendees": "",
    }

    def score(values, words, phrase=""):
        return score_fields(values, fields, words, exact=("acronym", "name"), phrase=phrase)

    # a heavier field beats more occurrences in a lighter one; the exact acronym adds more
    assert score(psg, ["psg"]) == 1.0
    assert score(glig, ["psg"]) == pytest.approx(0.8)
    assert score(psg, ["psg"], phrase="psg") == 2.0
    # more of the query's words beats fewer
    drg = {"acronym": "DRG", "name": "Design Resolution Group", "purpose": "", "attendees": ""}
    dag = {"acronym": "DAG", "name": "Design Advisory Group", "purpose": "", "attendees": ""}
    assert score(drg, ["design", "resolution"]) > score(dag, ["design", "resolution"]) > 0
    # a word matches at the start of a word, case-insensitively, a few times at most
    assert score({"purpose": "Designs"}, ["design"]) == pytest.approx(0.4)
    assert score({"purpose": "redesign"}, ["design"]) == 0.0
    assert score({"purpose": "dip " * 10}, ["dip"]) == pytest.approx(1.2)
    assert score(psg, []) == 0.0


def test_fallback_ranks_the_seed_as_expected(seeded):
    """The portable implementation, whatever the database (icontains works on both)."""
    ranked = backends._portable_search(["psg"], "PSG")
    ranked.sort(key=lambda r: -r.score)
    assert ranked[0].title == "Programme Steering Group (PSG)"
    assert ranked[0].score > ranked[1].score
    ranked = backends._portable_search(["design", "issue", "notifications"], "")
    ranked.sort(key=lambda r: -r.score)
    assert ranked[0].title == "Design Resolution Group (DRG)"
    assert ranked[0].excerpt_html.startswith("Non-governance forum")


def test_fallback_excerpt_is_short_escaped_and_marked():
    text = " ".join(f"w{n}" for n in range(100)) + " <b>PSG</b> & PSGs " + "end " * 50
    html = highlight_excerpt(text, ["psg"])
    assert html.startswith("… ") and html.endswith(" …")
    assert "&lt;b&gt;<mark>PSG</mark>&lt;/b&gt; &amp; <mark>PSGs</mark>" in html
    assert len(html.split()) < 45
    assert highlight_excerpt("short & sweet", ["zebra"]) == "short &amp; sweet"
    assert highlight_excerpt("", ["psg"]) == ""


def test_postgresql_uses_full_text_search(seeded, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL full-text search needs PostgreSQL; this is {connection.vendor}")

    def no_fallback(*args):
        raise AssertionError("the portable fallback was used on PostgreSQL")

    monkeypatch.setattr(backends, "_portable_search", no_fallback)
    with CaptureQueriesContext(connection) as queries:
        results = site_search("notification")  # stemmed: finds "Notifications"
    assert len(queries) == KINDS + NAMING
    searches = [q["sql"] for q in queries if "to_tsvector" in q["sql"]]
    assert len(searches) == KINDS
    assert all("ts_rank" in sql for sql in searches)
    # papers and actions are excerpted from a sentence made of them, the others by PostgreSQL
    assert sum("ts_headline" in sql for sql in searches) == KINDS - 2
    assert results[0].title == "Design Resolution Group (DRG)"
    assert "<mark>Notifications</mark>" in results[0].excerpt_html


def test_sqlite_uses_the_fallback(seeded, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the full-text search is used instead")
    calls = []
    real = backends._portable_search
    monkeypatch.setattr(
        backends, "_portable_search", lambda *args: calls.append(args) or real(*args)
    )
    assert site_search("PSG")
    assert calls == [(["psg"], "PSG")]


def test_guidance_section_without_an_anchor_links_to_the_guidance_page(seeded):
    GuidanceSection.objects.create(key="new-section", title="Zebra crossings", body="Zebra")
    result = site_search("zebra")[0]
    assert result.url == "/escalations/"


@pytest.mark.parametrize(("query", "written"), [("1st", "1 st"), ("2nd", "2 nd"), ("3rd", "3 rd")])
def test_postgresql_finds_the_sources_spaced_ordinals_without_an_error(
    client, seeded, query, written
):
    # The source writes "1 st", "2 nd", "3 rd": a search for "1st" looks for both, the
    # spaced one as a phrase (a bare "1 st:*" is not valid tsquery syntax: it was a 500).
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL full-text search needs PostgreSQL; this is {connection.vendor}")
    GuidanceSection.objects.create(key="spaced", title="Spaced", body=f"Meets the {written} Monday")
    GuidanceSection.objects.create(
        key="apart", title="Apart", body=f"Room {written[0]} on the stair"
    )
    response = get(client, f"q={query}")
    assert response.status_code == 200
    assert titles(site_search(query)) == ["Spaced"]


# Meetings, papers, decisions and actions ---------------------------------------------------

SITWG = "Systems Integration Testing Working Group (SITWG)"


def test_sitwg_ranks_the_sitwg_group_first_above_the_worked_example(seeded):
    results = site_search("SITWG")
    assert results[0].title == SITWG
    assert results[0].url == "/groups/sitwg/"
    example = next(r for r in results if r.kind == "Worked example")
    assert "<mark>SITWG</mark>" in example.excerpt_html  # found, but below the group
    assert results.index(example) > 0


def test_when_does_sitwg_meet_gives_sitwg_then_its_next_meetings(seeded):
    results = site_search("when does SITWG meet")
    assert results[0].title == SITWG
    meetings = results[1:4]
    assert [m.kind for m in meetings] == ["Meeting"] * 3
    # The first Thursday of each month, 14:00 to 16:00, from the pinned now (26 November 2026)
    assert [m.title for m in meetings] == [
        "SITWG meeting, Thursday 3 December 2026, 14:00 to 16:00",
        "SITWG meeting, Thursday 7 January 2027, 14:00 to 16:00",
        "SITWG meeting, Thursday 4 February 2027, 14:00 to 16:00",
    ]
    assert meetings[0].url == "/groups/sitwg/meetings/2026-12-03/"
    assert "Open to all." in meetings[0].excerpt_html
    example = next(r for r in results if r.kind == "Worked example")
    assert results.index(example) > 3
    # "meet" asks for its meetings: not searched for (the mailboxes "for ... meetings")
    assert of_kind(results, "Mailbox") == []
    assert of_kind(site_search("when meetings"), "Mailbox")  # no group named: searched


def test_a_group_with_a_month_finds_its_meetings_that_month_first(seeded):
    results = site_search("PSG March")
    meetings = of_kind(results, "Meeting")
    assert results[: len(meetings)] == meetings  # asked for by date: first
    assert titles(meetings) == [
        "PSG meeting, Wednesday 3 March 2027, 10:00 to 12:00",
        "Programme Steering Group (PSG) pre-meeting webinar, Thursday 25 March 2027, "
        "11:30 to 12:00",
    ]
    assert meetings[0].url == "/groups/psg/meetings/2027-03-03/"
    assert "Closed." in meetings[0].excerpt_html
    assert results[len(meetings)].title == "Programme Steering Group (PSG)"


def test_the_full_name_and_a_date_find_the_meeting_that_day(seeded):
    results = site_search("Systems Integration Testing Working Group 4 March 2027")
    assert titles(of_kind(results, "Meeting")) == [
        "SITWG meeting, Thursday 4 March 2027, 14:00 to 16:00"
    ]
    assert titles(of_kind(site_search("SITWG 2027-03-04"), "Meeting")) == titles(
        of_kind(results, "Meeting")
    )
    assert titles(of_kind(site_search("sitwg 4/3/2027"), "Meeting")) == titles(
        of_kind(results, "Meeting")
    )


def test_a_date_without_a_meeting_says_so_and_links_to_the_groups_meetings(seeded):
    results = site_search("SITWG 3 March 2027")
    assert results[0].kind == "Meeting"
    assert results[0].title == "SITWG: no meeting on Wednesday 3 March 2027"
    assert results[0].url == "/groups/sitwg/meetings/"
    assert len(of_kind(results, "Meeting")) == 1


def test_cancelled_and_moved_meetings_say_so(seeded):
    psg = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    cancellation_save(
        cancellation=Cancellation(series=psg, date=date(2027, 3, 3), note="No quorum"), by=None
    )
    sitwg = MeetingSeries.objects.get(group__slug="sitwg", slug="meeting")
    move_save(
        move=Move(
            series=sitwg,
            original_date=date(2027, 3, 4),
            start=datetime(2027, 3, 5, 10, tzinfo=LONDON),
            end=datetime(2027, 3, 5, 12, tzinfo=LONDON),
        ),
        by=None,
    )
    psg_march = of_kind(site_search("PSG March 2027"), "Meeting")
    assert psg_march[0].title == "PSG meeting, Wednesday 3 March 2027, 10:00 to 12:00 (cancelled)"
    assert "Cancelled: No quorum" in psg_march[0].excerpt_html
    sitwg_march = of_kind(site_search("SITWG March"), "Meeting")
    assert titles(sitwg_march) == ["SITWG meeting, Friday 5 March 2027, 10:00 to 12:00 (moved)"]
    assert "Moved from Thursday 4 <mark>March</mark> 2027." in sitwg_march[0].excerpt_html
    # asked for the day it was moved from: where it went
    moved = of_kind(site_search("SITWG 4 March 2027"), "Meeting")
    assert titles(moved) == [
        "SITWG meeting of Thursday 4 March 2027: moved to Friday 5 March 2027, 10:00 to 12:00"
    ]
    assert moved[0].url == "/groups/sitwg/meetings/2027-03-05/"
    # the next meetings leave a cancelled one out
    upcoming = of_kind(site_search("when does PSG meet"), "Meeting")
    assert not any("cancelled" in title for title in titles(upcoming))


def test_a_date_alone_points_to_that_months_calendar(seeded):
    meetings = of_kind(site_search("3 March 2027"), "Meeting")
    assert titles(meetings) == ["Every group's meetings: the calendar for March 2027"]
    assert meetings[0].url == "/calendar/2027/03/"


def test_page_groups_results_by_kind_under_headings(client, seeded, records):
    response = get(client, "q=PSG+March")
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    sections = [s.kind for s in response.context["sections"]]
    assert sections[:2] == ["Meeting", "Group"]  # the meetings asked for, then the group
    assert '<h3 id="results-meeting">Meetings</h3>' in html
    assert '<h3 id="results-group">Groups</h3>' in html
    assert html.index("results-meeting") < html.index("results-group")
    assert '<a href="/groups/psg/meetings/2027-03-03/">PSG meeting, Wednesday 3 March 2027' in html
    assert '<span class="kind-label">Meeting</span>' in html
    assert '<a href="#results-meeting">Meetings (2)</a>' in html
    papers = get(client, "q=minutes").content.decode()
    assert '<h3 id="results-paper">Papers (published documents)</h3>' in papers
    assert '<span class="kind-label">Paper</span>' in papers


def test_minutes_finds_published_minutes_never_embargoed_or_removed(client, seeded, records):
    record = MeetingRecord.objects.get(group__slug="psg", date=PAST)
    add_document(record, "minutes", "Record of the November meeting")  # the kind says minutes
    add_document(record, "minutes", "Embargoed minutes", publish_at=LATER)
    removed = add_document(record, "minutes", "Removed minutes")
    document_delete(document=removed, by=None)
    papers = of_kind(site_search("minutes"), "Paper")
    assert sorted(titles(papers)) == ["Draft minutes", "Record of the November meeting"]
    draft = next(p for p in papers if p.title == "Draft minutes")
    assert draft.url.startswith("/groups/psg/meetings/2026-11-04/documents/")
    assert "<mark>Minutes</mark> of the PSG meeting on Wednesday 4 November 2026" in (
        draft.excerpt_html
    )
    html = get(client, "q=minutes").content.decode()
    assert "Record of the November meeting" in html
    assert "Embargoed minutes" not in html and "Removed minutes" not in html
    assert "Embargoed" not in " ".join(titles(site_search("embargoed")))


def test_an_embargoed_paper_is_found_once_public(seeded, records, monkeypatch):
    record = MeetingRecord.objects.get(group__slug="psg", date=PAST)
    add_document(record, "papers", "Zebra readiness pack", publish_at=LATER)
    assert of_kind(site_search("zebra"), "Paper") == []
    monkeypatch.setattr(clock, "now", lambda: LATER)
    assert titles(of_kind(site_search("zebra"), "Paper")) == ["Zebra readiness pack"]


def test_papers_are_found_by_kind_and_group(seeded, records):
    papers = of_kind(site_search("PSG agenda"), "Paper")
    assert {"PSG agenda, 4 November", "PSG agenda, 2 December"} <= set(titles(papers))
    reports = of_kind(site_search("headline report"), "Paper")
    assert titles(reports)[0] == "Headline report"


def test_decisions_published_only_by_reference_title_or_text(client, seeded, records):
    record = MeetingRecord.objects.get(group__slug="psg", date=PAST)
    add_decision(record, "Quokka draft decision", published_at=None)
    add_decision(record, "Quokka embargoed decision", published_at=LATER)
    assert of_kind(site_search("quokka"), "Decision") == []
    assert "Quokka" not in get(client, "q=quokka").content.decode()
    reference = records["plan"]
    by_reference = site_search(reference)
    assert by_reference[0].kind == "Decision"
    assert by_reference[0].title == f"{reference}: Migration plan v2 approved"
    assert by_reference[0].url == f"/decisions/{reference}/"
    by_title = of_kind(site_search("cutover window"), "Decision")
    assert by_title[0].title.endswith("Cutover window moved to spring (withdrawn)")


def test_actions_found_by_text_and_reference_saying_who_and_when(seeded, records):
    actions = of_kind(site_search("supplier readiness"), "Action")
    assert len(actions) == 1
    action = actions[0]
    reference = Action.objects.get(description="Report on supplier readiness").reference
    assert action.title == f"{reference}: Report on supplier readiness"
    assert action.url == "/groups/psg/meetings/2026-11-04/#actions-heading"
    assert (
        "readiness</mark>. Owner: <mark>Supplier</mark> constituency; due 20 November 2026; open."
        in (action.excerpt_html)
    )
    assert site_search(reference)[0].title == action.title


def test_papers_and_actions_are_escaped(seeded, records):
    record = MeetingRecord.objects.get(group__slug="psg", date=PAST)
    add_document(record, "papers", '<img src=x onerror="alert(1)"> Walrus pack')
    add_action(record, "<script>alert(1)</script> Walrus review")
    for result in of_kind(site_search("walrus"), "Paper") + of_kind(
        site_search("walrus"), "Action"
    ):
        assert "<img" not in result.excerpt_html and "<script" not in result.excerpt_html


# Dates --------------------------------------------------------------------------------------

TODAY = PINNED_NOW.date()  # Thursday 26 November 2026


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("PSG March", date(2027, 3, 1), date(2027, 3, 31)),
        ("PSG november", date(2026, 11, 1), date(2026, 11, 30)),  # this month counts
        ("PSG Dec 2026", date(2026, 12, 1), date(2026, 12, 31)),
        ("SITWG 3 March 2027", date(2027, 3, 3), date(2027, 3, 3)),
        ("SITWG 3rd of March", date(2027, 3, 3), date(2027, 3, 3)),
        ("SITWG March 3, 2027", date(2027, 3, 3), date(2027, 3, 3)),
        ("SITWG 2027-03-03", date(2027, 3, 3), date(2027, 3, 3)),
        ("SITWG 3/3/2027", date(2027, 3, 3), date(2027, 3, 3)),
        ("SITWG 1 November", date(2027, 11, 1), date(2027, 11, 1)),  # past this year: next
        ("PSG 29 February", date(2028, 2, 29), date(2028, 2, 29)),  # the next leap year
        ("PSG today", TODAY, TODAY),
        ("PSG next week", date(2026, 11, 30), date(2026, 12, 6)),
        ("PSG next month", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_dates_and_months_understood(query, start, end):
    when = parse_when(query, today=TODAY)
    assert (when.start, when.end) == (start, end)


@pytest.mark.parametrize(
    "query", ["PSG", "what may PSG decide", "design 2027", "PSG 10:30", "march2027"]
)
def test_no_date_where_none_is_named(query):
    assert parse_when(query, today=TODAY) is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("PSG 31 February", "There is no 31 February: February has at most 29 days."),
        ("PSG 29 February 2027", "There is no 29 February 2027: February 2027 has 28 days."),
        ("SITWG 31/04/2027", "There is no 31 April 2027: April 2027 has 30 days."),
        ("SITWG 2027-13-01", "There is no month 13"),
        ("PSG 0 March", "There is no 0 March"),
        ("PSG March 1850", "Meetings can be searched from 2000 to 2099; 1850 is outside"),
    ],
)
def test_impossible_dates_are_a_400_with_a_helpful_message(client, seeded, query, message):
    with pytest.raises(BadDate, match=re.escape(message)):
        parse_when(query, today=TODAY)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400
    html = " ".join(response.content.decode().split())
    assert f'role="alert">{message}' in html
    assert "Give a date that exists, such as “3 March 2027”" in html
    assert response.context["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        "☃ PSG ~!@#$%^&*()_+{}|:<>?`-=[]\\;',./",
        "SITWG 99/99/9999",
        "PSG 2027-02-31",
        "'; DROP TABLE groups_governancegroup; --",
        "PSG March " * 18,
        "𝔓𝔖𝔊 ünïcödé",
    ],
)
def test_odd_input_never_a_500(client, seeded, records, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'role="alert">' in response.content.decode()


def test_postgresql_searches_papers_and_actions_by_full_text(seeded, records):
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL full-text search needs PostgreSQL; this is {connection.vendor}")
    with CaptureQueriesContext(connection) as queries:
        results = site_search("circulating minute")  # stemmed: "Circulate", "Minutes"
    assert titles(of_kind(results, "Action"))[0].endswith("Circulate the revised migration plan")
    assert "Draft minutes" in titles(of_kind(results, "Paper"))
    for table in ("records_document", "records_action"):
        sql = next(q["sql"] for q in queries if f'FROM "{table}"' in q["sql"])
        assert "to_tsvector" in sql and "ts_rank" in sql
