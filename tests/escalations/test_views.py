import pytest

from escalations.models import WorkedExample


def test_guidance_page(client, seeded):
    html = client.get("/escalations/").content.decode()
    assert "Formal escalations relating to a decision made via Programme governance" in html
    assert "participants should avoid directing concerns to specific points of contact" in html
    assert "the format of the Change Request form could be used as a guide" in html
    assert "Note: this process is separate to Ofgem decision-making escalation criteria" in html
    assert "PPC@mhhsprogramme.co.uk" in html
    for example in WorkedExample.objects.all():
        assert example.scenario in html
        assert example.seed_action in html


def test_route_form_empty_then_answered(client, seeded):
    empty = client.get("/escalations/route/")
    assert empty.status_code == 200
    html = empty.content.decode()
    assert '<optgroup label="Level 3: Advisory Groups">' in html
    assert 'type="radio"' in html and "About a decision made through programme governance." in html
    answered = client.get("/escalations/route/?group=sitwg&kind=formal").content.decode()
    steps = answered.split('<ol class="route">')[1].split("</ol>")[0]
    assert steps.index("/groups/sitag/") < steps.index("/groups/psg/") < steps.index(">IPA")
    assert 'href="mailto:Testing@mhhsprogramme.co.uk"' in steps


def test_route_api(client, seeded):
    data = client.get("/api/escalations/route/?group=dag&kind=formal").json()
    assert data["group"] == "dag" and data["kind"] == "formal"
    assert [s["target"] for s in data["steps"]] == ["psg", "ipa"]
    # The spec's keys, and the third stage's: whether a step is a suggestion, and what the
    # step assumes that the source does not state.
    assert set(data["steps"][0]) == {
        "target",
        "label",
        "contacts",
        "detail",
        "suggested",
        "inferred",
    }
    assert data["steps"][0]["contacts"] == ["PMO@mhhsprogramme.co.uk"]
    assert [s["suggested"] for s in data["steps"]] == [False, False]
    assert set(data) == {
        "group",
        "workstream",
        "kind",
        "decision",
        "topic",
        "constituency",  # the third stage's (representation), null when not given
        "notes",
        "steps",
    }
    assert (data["topic"], data["notes"]) == (None, [])


def test_group_page_shows_formal_route_and_query_mailbox(client, seeded, now):
    html = client.get("/groups/sitwg/").content.decode()
    section = html.split('id="route-heading"')[1].split("</section>")[0]
    assert "to the next level of Programme governance or to the IPA" in section
    route = section.split('<ol class="route">')[1]
    assert route.index("/groups/sitag/") < route.index("/groups/psg/") < route.index("IPA")
    assert (
        'href="mailto:Testing@mhhsprogramme.co.uk">Testing@mhhsprogramme.co.uk</a> '
        "(Testing mailbox)" in html
    )


BAD = [
    "group=nope&kind=formal",
    "group=dag&kind=shout",
    "group=dag",
    "kind=formal",
    "group=dag&kind=formal&kind=query",
    "group=dag&group=psg&kind=formal",
    "group=%00&kind=formal",
    "group=" + "x" * 3000 + "&kind=formal",
    "foo=bar",
]


@pytest.mark.parametrize("query", BAD)
def test_bad_route_requests_get_400(client, seeded, query):
    page = client.get(f"/escalations/route/?{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()
    api = client.get(f"/api/escalations/route/?{query}")
    assert api.status_code == 400
    assert "Give one group" in api.json()["error"]
