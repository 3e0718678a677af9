import csv
import io
import re

import pytest
from django.utils.html import escape

from groups.models import GovernanceGroup
from groups.templatetags.provenance import sic
from tests.public_pages import GROUP_SLUGS
from tests.queries import query_counts_at_1x_and_10x

GROUP_KEYS = {
    "next_meeting",
    "slug",
    "acronym",
    "name",
    "level",
    "level_note",
    "kind",
    "workstream",
    "parent",
    "children",
    "status",
    "status_label",
    "status_note",
    "status_changed_at",
    "attendance",
    "decision_making",
    "purpose",
    "attendees",
    "timeframe",
    "inferred",
    "scheduled_status",
    "schedules",
    "url",
    "calendar_url",
}
SCHEDULE_KEYS = {"title", "text", "rrule", "start_time", "end_time"}
ALL_SLUGS = GROUP_SLUGS


def slugs(response):
    return [g["slug"] for g in response.json()["groups"]]


def test_all_slugs_are_spec_slugs(seeded):
    assert sorted(GovernanceGroup.objects.values_list("slug", flat=True)) == sorted(ALL_SLUGS)


@pytest.mark.parametrize("slug", ALL_SLUGS)
def test_group_page_shows_every_fact(client, seeded, now, slug):
    group = GovernanceGroup.objects.get(slug=slug)
    response = client.get(f"/groups/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(group.display_name) in html
    for fact in (group.attendees, group.timeframe, group.status_note):
        assert escape(fact) in html
    assert sic(group.purpose) in html  # as written, any typing error marked [sic]
    assert group.get_status_display() in html
    for series in group.series.all():
        assert sic(series.schedule_text) in html
    for note in group.source_notes.all():
        assert escape(note.explanation) in html
    if 'class="no-feed"' in html:  # no meetings: the page says why instead of Subscribe
        assert f"{group.short_name} " in html.split('class="no-feed"')[1][:300]
        assert group.slug in {"ofgem", "tmag", "dag", "bprwg-tdwg", "sdwg", "drg"} or (
            not group.is_meeting_regularly
        )
    else:
        assert f'href="/groups/{slug}/calendar.ics"' in html
        assert "webcal://" in html


def test_group_page_breadcrumb_children_and_replacements(client, seeded, now):
    html = client.get("/groups/sitwg/").content.decode()
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert '<li aria-current="page">SITWG</li>' in " ".join(crumbs.split())
    assert 'href="/groups/"' in crumbs and 'href="/groups/sitag/"' not in crumbs
    assert "Open to all: any programme participant may attend." in html
    tmag = client.get("/groups/tmag/").content.decode()
    assert "This group has been replaced by" in tmag
    assert 'href="/groups/sitag/"' in tmag
    assert "Replaced" in client.get("/groups/qag/").content.decode()
    psg = client.get("/groups/psg/").content.decode()
    assert "Groups reporting to PSG" in psg and 'href="/groups/glig/"' in psg


def test_group_page_next_three_meetings(client, seeded, now):
    html = client.get("/groups/psg/").content.decode()
    # Pinned now is Thursday 26 November 2026: the webinar (4th Thursday) is today at 11:30.
    assert "Thursday 26 November 2026, 11:30" in html
    assert "Wednesday 2 December 2026, 10:00" in html
    assert "Thursday 24 December 2026, 11:30" in html
    assert "Wednesday 6 January 2027" not in html


def test_org_chart(client, seeded):
    html = client.get("/").content.decode()
    for heading in (
        "Level 1: Sponsor",
        "Level 2: Steering Group",
        "Level 3: Advisory Groups",
        "Level 4: Working Groups",
        "outside governance",
    ):
        assert heading in html
    assert "Decision-making with closed attendance of nominated constituency reps" in html
    assert "Non-decision-making with attendance open to all (except SDWG and GLIG)" in html
    assert "*SITAG, MCAG, QAG replaced the Testing and Migration Advisory Group (TMAG)" in html
    assert 'aria-label="Groups under QWG"' in html
    for label in (
        "Mobilised",
        "Mobilisation in progress",
        "To be mobilised in future",
        "May be mobilised",
        "Available for any ad hoc meetings",
    ):
        assert label in html
    assert "Groups by level and workstream" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=3", ["ccag", "dag", "mcag", "qag", "sitag", "tmag"]),
        ("level=3&status=replaced", ["tmag"]),
        ("level=4&attendance=closed", ["sdwg"]),
        ("level=na", ["drg", "glig"]),
        ("workstream=migration&level=4", ["dcwg", "mwg", "torwg"]),
        ("status=ad_hoc", ["dag", "bprwg-tdwg", "sdwg", "drg"]),
        ("decision_making=true&level=2", ["psg"]),
        ("q=sandbox", ["qwg"]),
        ("q=constituency+IPA&workstream=code", ["ccag"]),
        ("status=replaced", ["tmag"]),
    ],
)
def test_filters(client, seeded, query, expected):
    response = client.get(f"/api/groups/?{query}")
    assert response.status_code == 200
    assert sorted(slugs(response)) == sorted(expected)
    html = client.get(f"/groups/?{query}").content.decode()
    assert f"{len(expected)} group" in html


def test_level_three_gives_the_five_advisory_groups_by_name(client, seeded):
    # TMAG is level 3 and replaced: listed too, marked replaced.
    listed = client.get("/api/groups/?level=3").json()["groups"]
    assert [g["slug"] for g in listed] == ["ccag", "dag", "mcag", "qag", "sitag", "tmag"]
    assert listed[-1]["status"] == "replaced"
    assert client.get("/api/groups/").json()["count"] == 22


def test_every_directory_filter_has_its_own_label(client, seeded):
    page = client.get("/groups/").content.decode()
    labels = re.findall(r'<label for="id_([a-z_]+)"[^>]*>([^<]+)</label>', page)
    assert dict(labels) == {
        "q": "Search",
        "level": "Level",
        "workstream": "Workstream",
        "status": "Status",
        "attendance": "Attendance",
        "decision_making": "Decision-making",
    }


def test_directory_orders_by_level_then_name(client, seeded):
    listed = slugs(client.get("/api/groups/"))
    assert listed[:3] == ["ofgem", "psg", "ccag"]
    assert listed[-2:] == ["drg", "glig"]


BAD_INPUT = [
    "level=7",
    "level=abc",
    "workstream=nowhere",
    "status=asleep",
    "attendance=maybe",
    "decision_making=perhaps",
    "q=" + "x" * 3000,
    "q=a%00b",
    "level=3&level=4",
    "workstream=design&workstream=test",
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_filters_get_400(client, seeded, query):
    page = client.get(f"/groups/?{query}")
    assert page.status_code == 400
    assert "No results" in page.content.decode()
    assert 'role="alert"' in page.content.decode()
    api = client.get(f"/api/groups/?{query}")
    assert api.status_code == 400
    assert api.json()["error"] == "Invalid filter."
    assert client.get(f"/groups/export.csv?{query}").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/groups/nope/",
        "/api/groups/nope/",
        "/workstreams/nope/",
        "/groups/%00/",
        "/groups/nope/calendar.ics",
    ],
)
def test_unknown_slugs_get_404(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 404


def test_json_keys_exactly(client, seeded):
    data = client.get("/api/groups/psg/").json()
    assert set(data) == GROUP_KEYS
    assert data["level"] == 2 and data["workstream"] == "programme" and data["parent"] == "ofgem"
    assert data["status"] == "mobilised" and data["attendance"] == "closed"
    assert data["calendar_url"] == "http://testserver/groups/psg/calendar.ics"
    assert {tuple(sorted(s)) for s in data["schedules"]} == {tuple(sorted(SCHEDULE_KEYS))}
    assert data["schedules"][0] == {
        "title": "Programme Steering Group (PSG)",
        "text": "1 st [sic] Wednesday of each month, 1000-1200",
        "rrule": "FREQ=MONTHLY;BYDAY=1WE",
        "start_time": "10:00",
        "end_time": "12:00",
    }
    drg = client.get("/api/groups/drg/").json()
    assert drg["level"] is None and drg["level_note"] == "NA"
    listing = client.get("/api/groups/").json()
    assert listing["count"] == 22
    assert all(set(g) == GROUP_KEYS for g in listing["groups"])


def test_csv_export(client, seeded):
    response = client.get("/groups/export.csv?level=3")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(r["slug"] for r in rows) == ["ccag", "dag", "mcag", "qag", "sitag", "tmag"]


def test_other_pages(client, seeded):
    assert "Testing@mhhsprogramme.co.uk" in client.get("/contact/").content.decode()
    assert "for any queries on Migration Design." in client.get("/contact/").content.decode()
    quality = client.get("/data-quality/").content.decode()
    assert "Week 4: Thurs, 1400-1600" in quality and "Sources differ" in quality
    assert "Inferred (not stated in the source document)" in quality
    assert 'href="/groups/sitwg/"' in client.get("/workstreams/test/").content.decode()
    assert "Testing@mhhsprogramme.co.uk" in client.get("/workstreams/").content.decode()
    health = client.get("/healthz")
    assert (health.status_code, health.content) == (200, b"ok")


def test_post_is_refused(client, seeded):
    assert client.post("/groups/").status_code == 405


PAGES = [
    "/",
    "/groups/",
    "/groups/?level=4&q=open",
    "/groups/psg/",
    "/groups/sitwg/",
    "/workstreams/",
    "/workstreams/test/",
    "/contact/",
    "/data-quality/",
    "/api/groups/",
    "/api/groups/sitwg/",
    "/groups/export.csv",
]


@pytest.mark.parametrize("path", PAGES)
def test_query_count_constant_at_seed_and_10x(client, seeded, now, path):
    counts = query_counts_at_1x_and_10x(client, path)
    assert counts["1x"] == counts["10x"]
    cold, warm = counts["1x"]
    # The group page is the most: the group, 9 prefetches (children, series, regular series
    # with their cancellations and moves, one-offs, replaced-by, replaces, notes, history),
    # the route data (all groups with their replacements, all mailboxes, all workstreams)
    # its five latest changes, and its meetings' records (the group's publication deadlines,
    # its records with their documents, actions and decisions, its open actions and latest
    # decisions), and its constituencies' seats (with their holders, and the PMO's mailbox
    # for their contact, where there are any).
    assert cold <= 25
    assert warm == 1  # the data version, keying the cached page


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_start_a_formula(client, seeded, start):
    """OWASP's CSV injection rule: such a cell gets a leading ' (the JSON keeps the text)."""
    payload = f'{start}HYPERLINK("http://example.org")'
    GovernanceGroup.objects.filter(slug="dag").update(timeframe=payload, name=f"{start}1+1")
    rows = list(csv.DictReader(io.StringIO(client.get("/groups/export.csv").content.decode())))
    (dag,) = [r for r in rows if r["slug"] == "dag"]
    assert dag["timeframe"] == "'" + payload
    assert dag["name"] == f"'{start}1+1"
    assert client.get("/api/groups/dag/").json()["timeframe"] == payload


def test_csv_leaves_ordinary_cells_alone(client, seeded):
    rows = list(csv.DictReader(io.StringIO(client.get("/groups/export.csv").content.decode())))
    psg = next(r for r in rows if r["slug"] == "psg")
    assert psg["name"] == "Programme Steering Group"
    assert not any(value.startswith("'") for row in rows for value in row.values())


def _tree(html):
    """(depth, acronym) of each card in the hierarchy, in document order."""
    import re

    tree = html.split('class="tree"', 1)[1].split("</section>", 1)[0]
    depth, found = 0, []
    for token in re.finditer(r"<ul|</ul>|card-acronym\">([^<]+)<", tree):
        if token.group(0) == "<ul":
            depth += 1
        elif token.group(0) == "</ul>":
            depth -= 1
        else:
            found.append((depth, token.group(1)))
    return found


def test_the_hierarchy_reads_as_a_tree(client, seeded, now):
    html = client.get("/").content.decode()
    tree = _tree(html)
    depth = dict((acronym, d) for d, acronym in tree)
    assert depth["PSG"] < depth["DAG"] < depth["BPRWG/TDWG"]
    assert depth["QAG"] < depth["QWG"] < depth["LQTSG"]
    order = [acronym for _, acronym in tree]
    assert order.index("DAG") < order.index("SDWG") < order.index("SITAG") < order.index("SITWG")
    # Each workstream is a branch under PSG, labelled.
    for workstream in ("Design", "Test", "Migration", "Qualification", "Code"):
        assert f"{workstream} workstream</a>" in html
    # Set apart on their branch: the non-governance groups and TMAG.
    assert html.count('class="tree-node apart"') == 3
    assert "Replaced by" in html
    # Every card says when the group next meets (pinned clock: Thursday 26 November 2026).
    psg_card = html.split('href="/groups/psg/"', 1)[1].split("</a>", 1)[0]
    assert "Next: " in psg_card and 'datetime="2026-11-26T11:30:00+00:00"' in psg_card
    tmag_card = html.split('href="/groups/tmag/"', 1)[1].split("</a>", 1)[0]
    assert "No meetings scheduled" in tmag_card


def test_next_meeting_in_the_list_and_the_json(client, seeded, now):
    page = client.get("/groups/?level=2").content.decode()
    assert 'datetime="2026-11-26T11:30:00+00:00"' in page
    assert "1st Wednesday of each month, 10:00 to 12:00" in page
    assert client.get("/api/groups/psg/").json()["next_meeting"] == "2026-11-26T11:30:00+00:00"
    assert client.get("/api/groups/tmag/").json()["next_meeting"] is None
    listing = {g["slug"]: g["next_meeting"] for g in client.get("/api/groups/").json()["groups"]}
    assert listing["sitwg"] is not None and listing["dag"] is None
