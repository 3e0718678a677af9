import pytest

from tests.queries import query_counts_at_1x_and_10x


def test_this_month_redirects_to_the_pinned_month(client, seeded, now):
    response = client.get("/calendar/")
    assert response.status_code == 302
    assert response["Location"] == "/calendar/2026/11/"
    assert (
        client.get("/calendar/?workstream=test")["Location"] == "/calendar/2026/11/?workstream=test"
    )


def test_month_grid(client, seeded, now):
    html = client.get("/calendar/2026/11/").content.decode()
    assert "Meetings in November 2026" in html
    # Monday-first grid: November 2026 starts on a Sunday, so the grid opens on 26 October.
    assert html.index('datetime="2026-10-26"') < html.index('datetime="2026-11-01"')
    assert 'aria-current="date"' in html
    today = html.split('aria-current="date"')[1].split("</td>")[0]
    assert 'datetime="2026-11-26"' in today and "PSG" in today and "DCWG" in today
    assert "pre-meeting webinar" in today
    flat = " ".join(html.split())  # the template spreads the links' attributes over lines
    assert 'rel="prev" href="/calendar/2026/10/"' in flat
    assert 'rel="next" href="/calendar/2026/12/"' in flat


def test_bank_holidays_named(client, seeded, now):
    html = client.get("/calendar/2026/12/").content.decode()
    assert "Christmas Day" in html and "Boxing Day" in html
    html = client.get("/calendar/2027/03/").content.decode()
    good_friday = html.split('datetime="2027-03-26"')[1].split("</td>")[0]
    assert "Good Friday" in good_friday and "GLIG" in good_friday


def test_workstream_filter(client, seeded, now):
    html = client.get("/calendar/2026/12/?workstream=test").content.decode()
    assert "SITAG" in html and "SITWG" in html
    assert ">PSG<" not in html and ">MCAG<" not in html
    assert 'href="/calendar/2027/01/?workstream=test"' in html
    assert "webcal://testserver/workstreams/test/calendar.ics" in html


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/1999/12/",
        "/calendar/2101/01/",
        "/calendar/2026/13/",
        "/calendar/2026/00/",
        "/calendar/99999/01/",
        "/calendar/2026/1/",
        "/api/calendar/2026/13/",
        "/api/calendar/1999/01/",
    ],
)
def test_bad_dates_give_404(client, seeded, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", ["workstream=nowhere", "workstream=test&workstream=code", "workstream=%00"]
)
def test_bad_calendar_filter_gives_400(client, seeded, now, query):
    page = client.get(f"/calendar/2026/11/?{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    api = client.get(f"/api/calendar/2026/11/?{query}")
    assert api.status_code == 400 and "error" in api.json()


def test_edges_of_the_range_have_no_links_beyond(client, seeded, now):
    assert 'rel="prev"' not in client.get("/calendar/2000/01/").content.decode()
    assert 'rel="next"' not in client.get("/calendar/2100/12/").content.decode()


def test_calendar_api(client, seeded):
    data = client.get("/api/calendar/2027/04/").json()
    assert (data["year"], data["month"]) == (2027, 4)
    psg = [o for o in data["occurrences"] if o["group"] == "psg"]
    assert psg == [
        {
            "group": "psg",
            "title": "Programme Steering Group (PSG)",
            "start": "2027-04-07T10:00:00+01:00",
            "end": "2027-04-07T12:00:00+01:00",
            "status": "confirmed",
            "bank_holiday": None,
            "note": None,
        },
        {
            "group": "psg",
            "title": "Programme Steering Group (PSG) pre-meeting webinar",
            "start": "2027-04-22T11:30:00+01:00",
            "end": "2027-04-22T12:00:00+01:00",
            "status": "confirmed",
            "bank_holiday": None,
            "note": None,
        },
    ]


def test_pattern_rebuilds_the_seed_table(client, seeded):
    html = client.get("/calendar/pattern/").content.decode()
    rows = {
        row.split("</th>")[0].split("</a>")[0].split(">")[-1]: row
        for row in html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    }
    assert set(rows) == {"Programme", "Design", "Test", "Migration", "Qualification", "Code"}
    cells = {
        name: [c.split("</td>")[0] for c in row.split("<td ")[1:]] for name, row in rows.items()
    }
    assert "PSG" in cells["Programme"][0] and "10:00–12:00" in cells["Programme"][0]
    assert "pre-meeting webinar" in cells["Programme"][3] and "11:30–12:00" in cells["Programme"][3]
    assert "SITWG" in cells["Test"][0] and "SITAG" in cells["Test"][2]
    assert "TORWG" in cells["Migration"][1] and "MWG" in cells["Migration"][1]
    assert "DCWG" in cells["Migration"][3] and "10:00–12:00" in cells["Migration"][3]
    assert 'sources differ<span class="visually-hidden">: meeting time' in cells["Migration"][3]
    assert "QWG" in cells["Qualification"][1] and "QAG" in cells["Qualification"][2]
    assert "CDWG" in cells["Code"][1] and "CCAG" in cells["Code"][3]
    assert "DAG" in cells["Design"][1] and "Available for any ad hoc meetings" in cells["Design"][1]


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/2026/11/",
        "/api/calendar/2026/11/",
        "/calendar/pattern/",
        "/calendar.ics",
        "/groups/psg/calendar.ics",
        "/workstreams/test/calendar.ics",
    ],
)
def test_query_count_constant_at_seed_and_10x(client, seeded, now, path):
    counts = query_counts_at_1x_and_10x(client, path)
    assert counts["1x"] == counts["10x"]
    cold, warm = counts["1x"]
    # A group's or workstream's feed: the scope, its series with their changes and status
    # history, its one-offs, the change log's history of its events and the organizer.
    assert cold <= 9
    assert warm == 1


def test_subscribe_links_on_pages(client, seeded, now):
    html = client.get("/groups/sitwg/").content.decode()
    assert 'href="webcal://testserver/groups/sitwg/calendar.ics"' in html
    assert (
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftestserver%2Fgroups"
        "%2Fsitwg%2Fcalendar.ics" in html
    )
    assert "Outlook" in html
