"""A query on a topic the source's Contact Us list gives its own mailbox goes to that mailbox:
simulators and emulators, the DIP simulator and Show & Tell to Sims.Ems; strategy,
governance or the programme as a whole to SRO; the website, The Clock, the Design Newsletter
or media relations to Comms; programme meetings or planning, dPMO, to PMO."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from escalations.models import WorkedExample
from escalations.routes import TOPICS
from groups.models import Mailbox
from tests.escalations.counts import cold_and_warm
from tests.queries import query_counts_at_1x_and_10x

ADDRESSES = {
    "sims-ems": "Sims.Ems@mhhsprogramme.co.uk",
    "sro": "SRO@mhhsprogramme.co.uk",
    "comms": "Comms@mhhsprogramme.co.uk",
    "pmo": "PMO@mhhsprogramme.co.uk",
}


def test_the_topics_are_the_fixtures_specialist_mailboxes():
    fixture = Path(settings.BASE_DIR) / "fixtures" / "02_mailboxes.json"
    mailboxes = {
        row["fields"]["slug"]: row["fields"]["address"]
        for row in json.loads(fixture.read_text())
        if row["model"] == "groups.mailbox"
    }
    assert list(TOPICS) == ["sims-ems", "sro", "comms", "pmo"]
    assert {slug: mailboxes[slug] for slug in TOPICS} == ADDRESSES


@pytest.mark.parametrize("topic", list(ADDRESSES))
def test_a_query_on_a_topic_reaches_its_mailbox(client, seeded, topic):
    mailbox = Mailbox.objects.get(slug=topic)
    answer = client.get(f"/api/escalations/route/?kind=query&topic={topic}").json()
    assert (answer["kind"], answer["topic"], answer["group"], answer["workstream"]) == (
        "query",
        topic,
        None,
        None,
    )
    assert answer["steps"] == [
        {
            "target": topic,
            "label": f"{mailbox.name} mailbox",
            "contacts": [ADDRESSES[topic]],
            "detail": "The source's Contact Us list asks you to use the most suitable address. "
            f"The source document says this mailbox is {mailbox.purpose.rstrip('.')}.",
            "suggested": False,
            "inferred": [],
        }
    ]


def test_the_dip_simulator_reaches_sims_ems_not_testing(client, seeded):
    """The issue's case: a question about the DIP simulator, even from the Test workstream."""
    for query in (
        "kind=query&topic=sims-ems",
        "kind=query&topic=sims-ems&workstream=test",
        "kind=query&topic=sims-ems&group=sitwg",
    ):
        answer = client.get(f"/api/escalations/route/?{query}").json()
        assert [s["contacts"] for s in answer["steps"]] == [["Sims.Ems@mhhsprogramme.co.uk"]]
    html = client.get("/escalations/route/?kind=query&topic=sims-ems&workstream=test")
    result = html.content.decode().split('class="route-result"', 1)[1].split("</section>", 1)[0]
    assert "DIP Simulator demo" in result
    assert 'href="mailto:Sims.Ems@mhhsprogramme.co.uk' in result
    assert "Testing@" not in result


def test_the_form_offers_the_topics_with_the_sources_words(client, seeded):
    html = client.get("/escalations/route/").content.decode().replace("&amp;", "&")
    assert 'id="topic-field"' in html
    assert "If you have a question, is it about one of these? (optional)" in html
    for slug, label in TOPICS.items():
        assert f'name="topic" value="{slug}"' in html
        assert label in html
        assert Mailbox.objects.get(slug=slug).purpose in html.replace("&#x27;", "'")
    assert html.index("What do you want to do?") < html.index('id="topic-field"')
    assert html.index('id="topic-field"') < html.index("Which group is it about?")


def test_the_form_answers_a_topic_with_a_ready_email(client, seeded):
    html = client.get("/escalations/route/?kind=query&topic=comms").content.decode()
    assert "Ask a question: The MHHS website, The Clock, the Design Newsletter or media" in html
    assert 'href="mailto:Comms@mhhsprogramme.co.uk?subject=Query%20to%20Comms%20mailbox' in html
    assert re.search(r'<input type="radio" name="topic" value="comms"[^>]* checked', html)


def test_worked_example_4_stays_with_the_ppc_not_comms(client, seeded):
    """Improving the communications process for consultations: the source says PPC."""
    example = WorkedExample.objects.get(key="comms-proposals")
    answer = client.get(f"/api/escalations/route/?kind=query&group={example.group.slug}").json()
    assert [s["target"] for s in answer["steps"]] == ["ppc"] == example.expected_targets.split(",")
    assert answer["topic"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "kind=query&topic=simulators",
            "There is no topic simulators: choose sims-ems, sro, comms, pmo (the specialist "
            "mailboxes the source&#x27;s Contact Us list gives), or leave it out.",
        ),
        (
            "kind=query&topic=testing",  # a mailbox, but not one for a topic
            "There is no topic testing: choose sims-ems, sro, comms, pmo (the specialist "
            "mailboxes the source&#x27;s Contact Us list gives), or leave it out.",
        ),
        (
            "kind=formal&topic=sro",
            "A topic is for a question: choose &quot;Ask a question&quot;, or leave the topic out.",
        ),
        ("kind=query&topic=sro&topic=pmo", "Give topic once; it was given 2 times."),
    ],
)
def test_a_bad_topic_is_a_400_saying_what_to_give(client, seeded, query, message):
    response = client.get(f"/escalations/route/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary and 'href="#topic-field"' in summary
    api = client.get(f"/api/escalations/route/?{query}")
    assert api.status_code == 400
    body = api.json()
    assert "or, for a query, a topic (sims-ems, sro, comms, pmo)" in body["error"]
    (error,) = body["errors"]["topic"]
    assert error["message"] == message.replace("&#x27;", "'").replace("&quot;", '"')


@pytest.mark.parametrize("path", ["/escalations/route/", "/api/escalations/route/"])
def test_a_topic_costs_what_a_workstream_query_costs(client, seeded, now, path):
    topic = query_counts_at_1x_and_10x(client, f"{path}?kind=query&topic=sims-ems")
    assert topic["1x"] == topic["10x"]
    assert topic["10x"] == cold_and_warm(client, f"{path}?kind=query&workstream=test")


def test_the_guidance_links_each_topic_to_its_route(client, seeded):
    html = client.get("/escalations/").content.decode()
    queries = html.split('id="queries-heading"', 1)[1].split("</section>", 1)[0]
    for slug, label in TOPICS.items():
        link = f'<a href="/escalations/route/?kind=query&amp;topic={slug}">'
        assert f"{link}{label.replace('&', '&amp;')}</a>" in queries
        assert f'href="mailto:{ADDRESSES[slug]}"' in queries
        assert client.get(f"/escalations/route/?kind=query&topic={slug}").status_code == 200
