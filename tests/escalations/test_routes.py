import pytest

from escalations.models import WorkedExample
from escalations.routes import RouteData, escalation_route
from groups.models import GovernanceGroup
from tests.groups.test_views import ALL_SLUGS

KINDS = ["formal", "informal", "query"]


def route(slug, kind):
    data = RouteData.load()
    group = GovernanceGroup.objects.get(slug=slug)
    return escalation_route(data=data, group=group, kind=kind)


def targets(steps):
    return [s.target for s in steps]


def the_sources(steps):
    """The steps that are the source's rule, not the directory's suggestion."""
    return [s.target for s in steps if not s.suggested]


def test_the_four_worked_examples_come_out_as_the_seed_states(seeded):
    """The source's answer is the route's every step that is not a suggestion, in order."""
    examples = {e.key: e for e in WorkedExample.objects.select_related("group")}
    assert {key: e.expected_targets for key, e in examples.items()} == {
        "dag-decision": "psg,ipa",
        "sitwg-activity": "sitag",
        "testing-deliverable": "testing",
        "comms-proposals": "ppc",
    }
    for example in examples.values():
        steps = route(example.group.slug, example.kind)
        assert the_sources(steps) == example.expected_targets.split(","), example.key
        assert targets(steps)[: len(the_sources(steps))] == the_sources(steps), example.key


def test_dag_decision_goes_to_psg_then_ipa(seeded):
    steps = route("dag", "formal")
    assert targets(steps) == ["psg", "ipa"]
    assert steps[0].contacts == ("PMO@mhhsprogramme.co.uk",)
    assert "PSG chair via the PMO mailbox" in steps[0].detail
    assert "your PSG constituency representative" in steps[0].detail


def test_sitwg_concern_goes_to_sitag_rep_chair_and_testing_mailbox(seeded):
    steps = route("sitwg", "formal")
    assert targets(steps) == ["sitag", "psg", "ipa"]
    assert [s.suggested for s in steps] == [False, True, True]
    assert steps[0].contacts == ("PMO@mhhsprogramme.co.uk", "Testing@mhhsprogramme.co.uk")
    assert "SITAG constituency representative" in steps[0].detail
    assert "SITAG chair via the PMO mailbox" in steps[0].detail


def test_queries(seeded):
    assert [s.contacts for s in route("sitwg", "query")] == [("Testing@mhhsprogramme.co.uk",)]
    assert targets(route("engagement-and-comms-group", "query")) == ["ppc"]
    assert targets(route("qwg", "query")) == ["ppc"]  # the seed gives no Qualification mailbox
    assert targets(route("cdwg", "query")) == ["code"]
    assert targets(route("psg", "query")) == ["pmo"]


def test_informal_goes_to_the_lowest_level_of_the_workstream(seeded):
    assert targets(route("sitag", "informal")) == ["sitwg"]
    assert targets(route("mcag", "informal")) == ["dcwg", "mwg", "torwg"]
    assert targets(route("dag", "informal")) == ["bprwg-tdwg", "sdwg"]
    assert targets(route("glig", "informal")) == ["psg"]
    assert targets(route("commercial-impacts-group", "informal")) == ["ppc"]


def test_psg_decision_goes_to_the_ipa(seeded):
    assert targets(route("psg", "formal")) == ["ipa"]


def test_routes_of_groups_without_a_stated_parent(seeded):
    steps = route("commercial-impacts-group", "formal")
    assert [(s.target, s.suggested) for s in steps] == [("psg", True), ("ipa", True)]
    assert "gives no decision-making group above Commercial Impacts Group" in steps[0].detail
    assert [(s.target, s.suggested) for s in route("drg", "formal")] == [
        ("psg", True),
        ("ipa", True),
    ]
    assert targets(route("lqtsg", "formal")) == ["qag", "psg", "ipa"]
    assert route("ofgem", "formal") == []


@pytest.mark.parametrize("slug", ALL_SLUGS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_group_and_kind_has_a_route_without_loops(seeded, slug, kind):
    steps = route(slug, kind)
    if (slug, kind) == ("ofgem", "formal"):
        assert steps == []  # outside this process
        return
    assert steps
    assert len(targets(steps)) == len(set(targets(steps)))
    assert all(s.detail for s in steps)
    if kind == "formal":
        assert steps[-1].target == "ipa"
        assert not steps[0].suggested or steps[0].target == "psg"
    else:
        assert not any(s.suggested for s in steps)
        assert all(s.contacts for s in steps)


def test_a_planted_cycle_does_not_loop(seeded):
    GovernanceGroup.objects.filter(slug="sitag").update(
        parent=GovernanceGroup.objects.get(slug="sitwg")
    )
    assert targets(route("sitwg", "formal")) == ["sitag", "ipa"]
    GovernanceGroup.objects.filter(slug="sitag").update(decision_making=False)
    assert targets(route("sitwg", "formal")) == ["psg", "ipa"]  # no decider in the loop


def test_a_level_3_group_under_ofgem_goes_straight_to_the_ipa(seeded):
    """The sponsor is above governance: a decision never escalates to Ofgem."""
    ofgem = GovernanceGroup.objects.get(slug="ofgem")
    GovernanceGroup.objects.filter(slug="dag").update(parent=ofgem)
    assert targets(route("dag", "formal")) == ["ipa"]


def test_the_sponsor_has_no_step_at_all(seeded):
    assert route("ofgem", "formal") == []


def test_informal_route_with_no_governance_group_in_the_workstream_goes_to_ppc(seeded):
    """A workstream whose groups are all replaced or outside governance: no max() of nothing."""
    glig = GovernanceGroup.objects.get(slug="glig")
    GovernanceGroup.objects.filter(workstream=glig.workstream).exclude(pk=glig.pk).update(
        status="replaced"
    )
    assert targets(route("glig", "informal")) == ["ppc"]
    assert "names no governance group" in route("glig", "informal")[0].detail


def test_formal_route_without_a_steering_group_ends_at_the_ipa(seeded):
    """With no steering group stored (no next() without a default), a group with no
    parent goes to the IPA."""
    GovernanceGroup.objects.filter(slug="psg").update(status="replaced")
    GovernanceGroup.objects.filter(slug="engagement-and-comms-group").update(parent=None)
    (ipa,) = route("engagement-and-comms-group", "formal")
    assert (ipa.target, ipa.suggested) == ("ipa", True)


def test_the_nearest_decider_and_the_steering_group_suggestion_are_explained(seeded):
    sitwg = route("sitwg", "formal")
    assert sitwg[0].detail.startswith("SITAG is the nearest group above SITWG that makes")
    commercial = route("commercial-impacts-group", "formal")
    assert commercial[0].target == "psg"
    assert commercial[0].detail.startswith("The directory's suggestion, not the source's rule:")
