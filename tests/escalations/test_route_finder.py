"""The route finder starts from the question: what it is about, and what you want to do."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from escalations.routes import MAIL_BODY


def steps_of(client, query):
    response = client.get(f"/api/escalations/route/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_form_asks_the_question_first(client, seeded):
    html = client.get("/escalations/route/").content.decode()
    assert html.index("What is it about?") < html.index("What do you want to do?")
    assert html.index("What do you want to do?") < html.index("Which group is it about?")
    for answer in (
        "Challenge a decision",
        "Raise a concern about activity or approach",
        "Ask a question",
        "I don&#x27;t know",
    ):
        assert answer in html


def test_design_and_challenge_a_decision_reaches_psg_with_a_ready_email(client, seeded, now):
    data = steps_of(client, "workstream=design&kind=formal")
    assert (data["group"], data["workstream"], data["kind"]) == (None, "design", "formal")
    assert [s["target"] for s in data["steps"]] == ["psg", "ipa"]
    html = client.get("/escalations/route/?workstream=design&kind=formal").content.decode()
    assert "decisions are made by DAG" in html
    mailto = html.split('class="button secondary" href="', 1)[1].split('"', 1)[0]
    parts = urlsplit(mailto.replace("&amp;", "&"))
    assert parts.scheme == "mailto" and parts.path == "PMO@mhhsprogramme.co.uk"
    query = parse_qs(parts.query)
    assert "cc" not in query  # PSG's workstream mailbox is the PMO's own
    assert query["subject"] == [
        "Formal escalation to Programme Steering Group (PSG): Design workstream"
    ]
    assert query["body"] == [MAIL_BODY]
    assert "Impact if no action is taken" in unquote(mailto)
    assert "PSG next meets" in html


@pytest.mark.parametrize(
    ("query", "targets"),
    [
        ("workstream=test&kind=informal", ["sitwg"]),
        ("workstream=test&kind=query", ["testing"]),
        ("workstream=qualification&kind=query", ["ppc"]),
        ("workstream=unknown&kind=query", ["ppc"]),
        ("workstream=unknown&kind=formal", ["ppc"]),
        ("workstream=migration&kind=formal", ["psg", "ipa"]),
        ("group=dag&kind=formal", ["psg", "ipa"]),
        ("group=sitwg&kind=formal&workstream=design", ["sitag", "psg", "ipa"]),
    ],
)
def test_routes_by_workstream_or_group(client, seeded, query, targets):
    assert [s["target"] for s in steps_of(client, query)["steps"]] == targets


def test_a_replaced_group_says_so_and_points_to_its_successors(client, seeded, now):
    html = client.get("/escalations/route/?group=tmag&kind=formal").content.decode()
    assert "TMAG was replaced by MCAG, QAG, SITAG" in html
    for slug in ("sitag", "mcag", "qag"):
        assert f'href="/groups/{slug}/"' in html.split('class="route-result"')[1]


def test_a_group_that_makes_no_decisions_explains_where_they_were_made(client, seeded, now):
    html = client.get("/escalations/route/?group=glig&kind=formal").content.decode()
    assert "GLIG does not make governance decisions" in html
    page = client.get("/groups/glig/").content.decode()
    assert "Escalating a decision of GLIG" not in page
    assert "Challenging a decision about GLIG's work" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=formal", "Choose what it is about, or the group"),
        ("workstream=design", "Choose what you want to do"),
        ("workstream=nowhere&kind=query", "There is no such workstream"),
    ],
)
def test_errors_follow_the_pattern(client, seeded, query, message):
    response = client.get(f"/escalations/route/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary and 'href="#' in summary
    assert response.content.decode().count(message) >= 2  # in the summary and by the field
    api = client.get(f"/api/escalations/route/?{query}")
    assert api.status_code == 400 and "Give one group" in api.json()["error"]


def test_a_step_in_another_workstream_copies_its_mailbox(client, seeded):
    html = client.get("/escalations/route/?group=sitwg&kind=formal").content.decode()
    mailto = html.split('class="button secondary" href="', 1)[1].split('"', 1)[0]
    query = parse_qs(urlsplit(mailto.replace("&amp;", "&")).query)
    assert query["cc"] == ["Testing@mhhsprogramme.co.uk"]
    assert query["subject"][0].startswith("Formal escalation to Systems Integration")
