"""Site-wide search (/search/?q=): what it finds, how it ranks and highlights, bad input, and
a constant number of queries; on SQLite (the portable fallback) and on PostgreSQL (full-text
search).

This module is also the URL conf of its tests (ROOT_URLCONF="tests.test_search"): the
project's URLs with the search page added."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

import mhhs_gov.urls
from core.forms import SingleValueForm
from directory.search import backends
from directory.search.backends import highlight_excerpt, score_fields, site_search
from directory.search.query import MAX_RESULTS, query_words
from directory.search.view import MAX_QUERY_LENGTH, SearchForm, search
from escalations.models import GuidanceSection
from groups.models import GovernanceGroup, Mailbox
from tests.factories import add_seed_copies

urlpatterns = [path("search/", search, name="search"), *mhhs_gov.urls.urlpatterns]
handler400 = mhhs_gov.urls.handler400
handler403 = mhhs_gov.urls.handler403
handler404 = mhhs_gov.urls.handler404
handler500 = mhhs_gov.urls.handler500

# A <script> element without a src: inline code or embedded data.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
KINDS = 5  # groups, mailboxes, guidance sections, worked examples, decisions: one each


@pytest.fixture(autouse=True)
def _search_urls():
    with override_settings(ROOT_URLCONF=__name__):
        yield


def titles(results):
    return [r.title for r in results]


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
    assert 'role="status"> 1 result for “DIP”, best match first.' in " ".join(html.split())
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
    with django_assert_num_queries(KINDS):
        assert site_search("design group")
    with django_assert_num_queries(0):
        assert site_search("") == []


SEARCHED_TABLES = (
    "groups_governancegroup",
    "groups_mailbox",
    "escalations_guidancesection",
    "escalations_workedexample",
    "records_decision",
)


@pytest.mark.parametrize("query", ["PSG", "design group programme"])
def test_page_queries_are_constant_at_1x_and_10x(client, seeded, query):
    counts, searches = {}, {}
    for size in ("1x", "10x"):
        if size == "10x":
            add_seed_copies(9)
        cache.clear()  # the page cache would answer without a query
        with CaptureQueriesContext(connection) as queries:
            response = get(client, f"q={query}")
        assert response.status_code == 200
        assert response.context["results"]
        counts[size] = len(queries)
        searches[size] = [
            q["sql"] for q in queries if any(table in q["sql"] for table in SEARCHED_TABLES)
        ]
    assert counts["1x"] == counts["10x"], counts
    assert len(searches["1x"]) == len(searches["10x"]) == KINDS


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
    assert len(queries) == KINDS
    assert all("to_tsvector" in q["sql"] and "ts_rank" in q["sql"] for q in queries)
    assert all("ts_headline" in q["sql"] for q in queries)
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
