"""The source's own escalation rule, and only it, as the rule.

"Formal escalations relating to a decision made via Programme governance should be escalated
to the next level of Programme governance or to the IPA." The levels above the next one are
the directory's suggestion (``suggested``, and said in words); a group that makes no
decisions starts at the nearest decision-making group above it; where the source gives none,
PSG and the IPA are only suggestions; a decision of Ofgem is outside this process. Every
parent link the route rests on that the source does not state is said in plain words.
"""

import pytest

from escalations.models import GuidanceSection
from groups.models import GovernanceGroup, SourceNote
from tests.escalations.counts import cold_and_warm
from tests.queries import query_counts_at_1x_and_10x

SUGGESTION = "The directory's suggestion, not the source's rule:"
LEGEND = (
    "Steps marked \"Suggestion\" are the directory's suggestion, not the source's rule, "
    'which is: "to the next level of Programme governance or to the IPA".'
)
OFGEM_QUOTE = '"Note: this process is separate to Ofgem decision-making escalation criteria"'
# Each parent link the source does not state, in the words of every surface.
ASSUMED = {
    "dag": "Not stated in the source: we assume DAG reports to PSG.",
    "sitwg": "Not stated in the source: we assume SITWG reports to SITAG.",
    "sitag": "Not stated in the source: we assume SITAG reports to PSG.",
    "lqtsg": "Not stated in the source: we assume LQTSG reports to QWG.",
    "saqtsg": "Not stated in the source: we assume SAQTSG reports to QWG.",
    "qwg": "Not stated in the source: we assume QWG reports to QAG.",
    "qag": "Not stated in the source: we assume QAG reports to PSG.",
}


def api(client, query):
    response = client.get(f"/api/escalations/route/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def steps(client, query):
    """Each step's target, whether it is a suggestion, and what it assumes."""
    return [(s["target"], s["suggested"], s["inferred"]) for s in api(client, query)["steps"]]


def page(client, query):
    response = client.get(f"/escalations/route/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def route_items(html):
    """The route's steps as the page lists them (one string of HTML each)."""
    listed = html.split('<ol class="route">', 1)[1].split("</ol>", 1)[0]
    return listed.split("<li")[1:]


# Formal: the next level, or the IPA ---------------------------------------------------------


def test_a_decision_goes_to_the_next_level_or_to_the_ipa_both_the_sources_rule(client, seeded):
    """Worked example 1: DAG's decision goes to PSG or the IPA; neither is a suggestion."""
    assert steps(client, "group=dag&kind=formal") == [
        ("psg", False, [ASSUMED["dag"]]),
        ("ipa", False, []),
    ]
    for step in api(client, "group=dag&kind=formal")["steps"]:
        assert step["detail"].startswith(
            "The source's rule: a formal escalation goes \"to the next level of Programme "
            'governance or to the IPA".'
        )


def test_levels_above_the_next_one_are_only_the_directorys_suggestion(client, seeded):
    """Were SITWG to make decisions: SITAG or the IPA by the source's rule, PSG between them
    only as the directory's suggestion, and said so in words on the page."""
    GovernanceGroup.objects.filter(slug="sitwg").update(decision_making=True)
    assert steps(client, "group=sitwg&kind=formal") == [
        ("sitag", False, [ASSUMED["sitwg"]]),
        ("psg", True, [ASSUMED["sitag"]]),
        ("ipa", False, []),
    ]
    sitag, psg, ipa = route_items(page(client, "group=sitwg&kind=formal"))
    assert "Suggestion" not in sitag and "Suggestion" not in ipa
    assert 'class="route-suggested"' in psg and '<span class="note-marker">Suggestion</span>' in psg
    assert SUGGESTION in psg.replace("&#x27;", "'")


def test_worked_example_2_answers_sitag_and_anything_after_is_a_suggestion(client, seeded):
    assert steps(client, "group=sitwg&kind=formal") == [
        ("sitag", False, [ASSUMED["sitwg"]]),
        ("psg", True, [ASSUMED["sitag"]]),
        ("ipa", True, []),
    ]
    html = page(client, "group=sitwg&kind=formal").replace("&#x27;", "'")
    sitag, psg, ipa = route_items(html)
    assert "Suggestion" not in sitag
    assert ASSUMED["sitwg"] in sitag  # the parent link the first step rests on
    for suggested in (psg, ipa):
        assert '<span class="note-marker">Suggestion</span>' in suggested
        assert SUGGESTION in suggested
    assert LEGEND in html.replace("&quot;", '"')
    assert "SITWG does not make governance decisions. The route starts at the nearest " in html


@pytest.mark.parametrize("slug", ["lqtsg", "saqtsg"])
def test_sub_groups_start_at_qag_not_at_qwg_which_makes_no_decisions(client, seeded, slug):
    assert steps(client, f"group={slug}&kind=formal") == [
        ("qag", False, [ASSUMED[slug], ASSUMED["qwg"]]),
        ("psg", True, [ASSUMED["qag"]]),
        ("ipa", True, []),
    ]
    html = page(client, f"group={slug}&kind=formal").replace("&#x27;", "'")
    assert 'href="/groups/qwg/"' not in html.split('<ol class="route">', 1)[1]
    qag = route_items(html)[0]
    assert ASSUMED[slug] in qag and ASSUMED["qwg"] in qag


def test_a_parent_the_source_states_is_not_marked(client, seeded):
    """The marks follow the notes: once SITWG's parent is no longer inferred, none shows."""
    SourceNote.objects.filter(slug="sitwg-parent").delete()
    assert steps(client, "group=sitwg&kind=formal")[0] == ("sitag", False, [])
    assert "Not stated in the source: we assume SITWG" not in page(
        client, "group=sitwg&kind=formal"
    )


def test_glig_goes_to_psg_which_convenes_it_without_a_mark(client, seeded):
    assert steps(client, "group=glig&kind=formal") == [("psg", False, []), ("ipa", True, [])]


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("engagement-and-comms-group", "Engagement and Comms Group"),
        ("commercial-impacts-group", "Commercial Impacts Group"),
        ("drg", "DRG"),
    ],
)
def test_without_a_decision_making_group_above_psg_and_the_ipa_are_suggestions(
    client, seeded, slug, name
):
    answer = api(client, f"group={slug}&kind=formal")
    assert [(s["target"], s["suggested"]) for s in answer["steps"]] == [
        ("psg", True),
        ("ipa", True),
    ]
    said = (
        f"{name} does not make governance decisions, and the source document gives no "
        "decision-making group above it. The steps below are the directory's suggestion, not "
        "the source's rule."
    )
    assert answer["notes"] == [said]
    assert said in page(client, f"group={slug}&kind=formal").replace("&#x27;", "'")


def test_drg_reaches_dag_once_the_source_states_its_parent(client, seeded):
    """DRG is a non-governance forum whose link to DAG is assumed: no group above it is
    the source's. With the link stated, DAG is the nearest decision-making group."""
    SourceNote.objects.filter(slug="drg-parent").delete()
    assert steps(client, "group=drg&kind=formal") == [
        ("dag", False, []),
        ("psg", True, [ASSUMED["dag"]]),
        ("ipa", True, []),
    ]


def test_a_decision_of_psg_goes_to_the_ipa(client, seeded):
    assert steps(client, "group=psg&kind=formal") == [("ipa", False, [])]


# Ofgem: outside this process ----------------------------------------------------------------


def test_a_decision_of_ofgem_is_not_covered_and_has_no_ipa_step(client, seeded):
    assert OFGEM_QUOTE.strip('"') == GuidanceSection.objects.get(key="ofgem-note").body
    answer = api(client, "group=ofgem&kind=formal")
    assert answer["steps"] == []
    assert answer["notes"] == [
        f"This process does not cover a decision of Ofgem. The source document says: {OFGEM_QUOTE}."
    ]
    html = page(client, "group=ofgem&kind=formal").replace("&quot;", '"')
    result = html.split('class="route-result"', 1)[1].split("</section>", 1)[0]
    assert "This process does not cover a decision of Ofgem. The source document says: " in result
    assert OFGEM_QUOTE in result
    assert '<ol class="route">' not in result and "IPA" not in result
    assert "Write to" not in result


def test_the_group_pages_show_suggestions_and_assumptions_in_words(client, seeded, now):
    html = client.get("/groups/lqtsg/").content.decode().replace("&#x27;", "'")
    route = html.split('id="route-heading"', 1)[1].split("</section>", 1)[0]
    qag, psg, ipa = route_items(route)
    assert 'href="/groups/qag/"' in qag and "Suggestion" not in qag
    assert ASSUMED["lqtsg"] in qag and ASSUMED["qwg"] in qag
    assert SUGGESTION in psg and SUGGESTION in ipa
    assert '<span class="note-marker">Suggestion</span>' in ipa
    assert LEGEND in route.replace("&quot;", '"')
    sitag = client.get("/groups/sitag/").content.decode()
    assert 'note-marker">Suggestion' not in sitag and "Steps marked" not in sitag


def test_the_guidance_states_the_sources_rule_and_example_2s_suggestions(client, seeded):
    html = client.get("/escalations/").content.decode().replace("&#x27;", "'")
    assert "then each level above that up to PSG, then the IPA" not in html
    assert "or to the IPA, as the source says" in html
    example = html.split('id="example-sitwg-activity"', 1)[1].split("</article>", 1)[0]
    sitag, psg, ipa = route_items(example)
    assert "Suggestion" not in sitag and SUGGESTION in psg and SUGGESTION in ipa
    assert "that is the directory's suggestion, not the source's rule" in example


@pytest.mark.parametrize("path", ["/escalations/route/", "/api/escalations/route/"])
def test_the_marks_cost_no_query_per_group_nor_per_mark(client, seeded, now, path):
    """The inferred parent links come with the groups, in the same query: LQTSG's route,
    with three marks and two suggestions, costs what SITAG's (one group, PSG, then the IPA)
    costs, at the seed's size and at ten times it. (PSG's, the IPA alone, costs less: no
    group on it, so no next meeting to read.)"""
    marked = query_counts_at_1x_and_10x(client, f"{path}?group=lqtsg&kind=formal")
    assert marked["1x"] == marked["10x"]
    assert marked["10x"] == cold_and_warm(client, f"{path}?group=sitag&kind=formal")
