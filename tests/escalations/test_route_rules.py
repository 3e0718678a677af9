"""Each escalation and query rule, step by step: whom to write to, at which addresses, and
the sentence that explains why, exactly as the route finder and the group pages show it."""

from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from escalations.routes import (
    UNKNOWN_WORKSTREAM,
    RouteData,
    deciders,
    escalation_route,
    route_notes,
    step_mailto,
    workstream_route,
)
from groups.models import GovernanceGroup

PMO = "PMO@mhhsprogramme.co.uk"
PPC = "PPC@mhhsprogramme.co.uk"
TESTING = "Testing@mhhsprogramme.co.uk"
MIGRATION = "Migration@mhhsprogramme.co.uk"
RULE = (
    "The source's rule: a formal escalation goes \"to the next level of Programme governance "
    'or to the IPA".'
)
SUGGESTION = "The directory's suggestion, not the source's rule:"
NO_ADDRESS = "The source document gives no address for the IPA, who attends PSG."
PPC_HELP = "If you do not know where to direct a query, the PPC team can help."


def route(slug, kind):
    data = RouteData.load()
    return escalation_route(data=data, group=GovernanceGroup.objects.get(slug=slug), kind=kind)


def shown(steps):
    """What a participant reads of each step: where, at which addresses, why, and the link."""
    return [(s.target, s.label, s.contacts, s.detail, s.url) for s in steps]


def marks(steps):
    """Whether each step is the directory's suggestion, and what it assumes."""
    return [(s.target, s.suggested, s.inferred) for s in steps]


def test_formal_route_names_each_chair_representative_and_workstream_mailbox(seeded):
    assert shown(route("sitwg", "formal")) == [
        (
            "sitag",
            "Systems Integration and Testing Advisory Group (SITAG)",
            (PMO, TESTING),
            "SITAG is the nearest group above SITWG that makes decisions: a formal escalation "
            "about SITWG's work goes there. Write to the SITAG chair via the PMO mailbox, "
            "through your SITAG constituency representative and copying the Test workstream's "
            "mailbox.",
            "/groups/sitag/",
        ),
        (
            "psg",
            "Programme Steering Group (PSG)",
            (PMO,),
            f"{SUGGESTION} should SITAG not resolve it, PSG is the next level of governance "
            "above SITAG. Write to the PSG chair via the PMO mailbox and through your PSG "
            "constituency representative.",
            "/groups/psg/",
        ),
        (
            "ipa",
            "IPA",
            (),
            f"{SUGGESTION} the IPA, should the groups above not resolve it. {NO_ADDRESS}",
            None,
        ),
    ]


def test_a_chair_without_representatives_or_workstream_mailbox_is_written_to_alone(seeded):
    """QAG's workstream (Qualification) has no mailbox: its chair via the PMO, and the rep."""
    assert shown(route("lqtsg", "formal"))[:1] == [
        (
            "qag",
            "Qualification Advisory Group (QAG)",
            (PMO,),
            "QAG is the nearest group above LQTSG that makes decisions: a formal escalation "
            "about LQTSG's work goes there. Write to the QAG chair via the PMO mailbox and "
            "through your QAG constituency representative.",
            "/groups/qag/",
        ),
    ]
    GovernanceGroup.objects.filter(slug="qag").update(constituency_representatives=False)
    assert route("lqtsg", "formal")[0].detail.endswith(
        "Write to the QAG chair via the PMO mailbox."
    )


def test_a_decision_above_a_group_with_no_stated_parent_is_suggested_to_the_steering_group(
    seeded,
):
    """A decision-making group under Commercial Impacts Group (which has no parent): the
    next level is the source's rule, PSG after it only the directory's suggestion."""
    cig = GovernanceGroup.objects.get(slug="commercial-impacts-group")
    GovernanceGroup.objects.filter(slug="saqtsg").update(parent=cig, decision_making=True)
    assert shown(route("saqtsg", "formal")) == [
        (
            "commercial-impacts-group",
            "Commercial Impacts Group",
            (PMO,),
            f"{RULE} Commercial Impacts Group is the next level of governance above SAQTSG. "
            "Write to the Commercial Impacts Group chair via the PMO mailbox.",
            "/groups/commercial-impacts-group/",
        ),
        (
            "psg",
            "Programme Steering Group (PSG)",
            (PMO,),
            f"{SUGGESTION} the source document does not say which group Commercial Impacts "
            "Group reports to; PSG is the steering group. Write to the PSG chair via the PMO "
            "mailbox and through your PSG constituency representative.",
            "/groups/psg/",
        ),
        (
            "ipa",
            "IPA",
            (),
            f"{RULE} Escalate to the IPA instead of Commercial Impacts Group, or should "
            f"Commercial Impacts Group not resolve it. {NO_ADDRESS}",
            None,
        ),
    ]
    assert [s.suggested for s in route("saqtsg", "formal")] == [False, True, False]


def test_the_steering_group_goes_to_the_ipa_as_the_source_says(seeded):
    assert shown(route("psg", "formal")) == [
        (
            "ipa",
            "IPA",
            (),
            f"{RULE} PSG is the top of programme governance, so a decision of PSG goes to the "
            f"IPA. {NO_ADDRESS}",
            None,
        )
    ]
    assert marks(route("psg", "formal")) == [("ipa", False, ())]
    assert route("psg", "formal")[0].url is None


def test_a_decision_of_the_sponsor_has_no_route(seeded):
    assert route("ofgem", "formal") == []


def test_a_replaced_steering_group_is_not_the_suggestion(seeded):
    """A group with no group above it is offered the steering group in force, not one
    replaced."""
    psg = GovernanceGroup.objects.get(slug="psg")
    new_psg = GovernanceGroup.objects.get(pk=psg.pk)
    new_psg.pk, new_psg.slug, new_psg.acronym = None, "new-psg", "NPSG"
    new_psg.name = "Steering Group (new)"  # listed after the replaced PSG
    new_psg.save()
    GovernanceGroup.objects.filter(pk=psg.pk).update(status="replaced")
    assert marks(route("commercial-impacts-group", "formal")) == [
        ("new-psg", True, ()),
        ("ipa", True, ()),
    ]


def test_a_group_at_the_steering_level_escalates_to_no_other_group(seeded):
    """Even with a parent stated, a level 2 decision-making group goes straight to the IPA."""
    psg = GovernanceGroup.objects.get(slug="psg")
    GovernanceGroup.objects.filter(slug="glig").update(level=psg.level, decision_making=True)
    assert marks(route("glig", "formal")) == [("ipa", False, ())]


def test_informal_route_to_the_single_lowest_group_of_the_workstream(seeded):
    assert shown(route("sitag", "informal")) == [
        (
            "sitwg",
            "Systems Integration Testing Working Group (SITWG)",
            (PMO, TESTING),
            "SITWG is the lowest level of governance in the Test workstream. Write to the "
            "SITWG chair via the PMO mailbox and copying the Test workstream's mailbox.",
            "/groups/sitwg/",
        )
    ]


def test_informal_route_lists_every_lowest_group_by_name(seeded):
    why = (
        "The Migration workstream's lowest level of governance is level 4: DCWG, MWG, TORWG. "
        "Raise it with the one whose remit covers it."
    )
    how = "via the PMO mailbox and copying the Migration workstream's mailbox."
    assert shown(route("mcag", "informal")) == [
        (
            "dcwg",
            "Data Cleanse Working Group (DCWG)",
            (PMO, MIGRATION),
            f"{why} Write to the DCWG chair {how}",
            "/groups/dcwg/",
        ),
        (
            "mwg",
            "Migration Working Group (MWG)",
            (PMO, MIGRATION),
            f"{why} Write to the MWG chair {how}",
            "/groups/mwg/",
        ),
        (
            "torwg",
            "Transition and Operational Readiness Working Group (TORWG)",
            (PMO, MIGRATION),
            f"{why} Write to the TORWG chair {how}",
            "/groups/torwg/",
        ),
    ]


def test_informal_route_leaves_out_sub_groups_and_replaced_groups(seeded):
    """LQTSG and SAQTSG are sub groups at QWG's level; a replaced SITWG is no level."""
    assert [s.target for s in route("qag", "informal")] == ["qwg"]
    GovernanceGroup.objects.filter(slug="sitwg").update(status="replaced")
    (step,) = route("sitag", "informal")
    assert step.target == "sitag"
    assert step.detail.startswith("SITAG is the lowest level of governance in the Test workstream.")


def test_informal_route_leaves_out_a_governance_group_without_a_level(seeded):
    GovernanceGroup.objects.filter(slug="glig").update(kind="governance")
    assert [s.target for s in route("glig", "informal")] == ["psg"]


def test_informal_route_without_a_workstream_goes_to_the_ppc(seeded):
    assert shown(route("commercial-impacts-group", "informal")) == [
        (
            "ppc",
            "Programme Party Coordinator (PPC)",
            (PPC,),
            f"The source document gives Commercial Impacts Group no workstream. {PPC_HELP}",
            None,
        )
    ]


def test_informal_route_with_no_governance_group_in_the_workstream_goes_to_the_ppc(seeded):
    GovernanceGroup.objects.filter(workstream__slug="test").update(status="replaced")
    assert shown(route("sitwg", "informal")) == [
        (
            "ppc",
            "Programme Party Coordinator (PPC)",
            (PPC,),
            f"The source document names no governance group in the Test workstream. {PPC_HELP}",
            None,
        )
    ]


def test_query_goes_to_the_workstream_mailbox_with_its_purpose(seeded):
    assert shown(route("sitwg", "query")) == [
        (
            "testing",
            "Testing mailbox",
            (TESTING,),
            "The Test workstream owns this mailbox. The source document says this mailbox is "
            "for queries on Testing documents, comments or meetings.",
            None,
        )
    ]


def test_query_without_a_workstream_mailbox_goes_to_the_ppc(seeded):
    assert shown(route("qwg", "query")) == [
        (
            "ppc",
            "Programme Party Coordinator (PPC)",
            (PPC,),
            f"The Contact Us list gives the Qualification workstream no mailbox. {PPC_HELP}",
            None,
        )
    ]
    assert shown(route("engagement-and-comms-group", "query")) == [
        (
            "ppc",
            "Programme Party Coordinator (PPC)",
            (PPC,),
            "The source document gives Engagement and Comms Group no workstream mailbox. "
            f"{PPC_HELP}",
            None,
        )
    ]


def test_every_route_comes_from_one_load_without_further_queries(seeded):
    """The route finder and group pages load the groups, workstreams and mailboxes once,
    then compute any number of routes, and their notes, without touching the database."""
    data = RouteData.load()
    kinds = ("formal", "informal", "query")
    with CaptureQueriesContext(connection) as queries:
        for group in data.groups.values():
            for kind in kinds:
                route_notes(data, group, kind)
                for step in escalation_route(data=data, group=group, kind=kind):
                    assert step.suggested in (True, False)
                    assert step.url is None or step.url.startswith("/groups/")
        for slug in [*data.workstreams, UNKNOWN_WORKSTREAM]:
            for kind in kinds:
                assert workstream_route(data=data, workstream_slug=slug, kind=kind)
    assert len(queries) == 0


def workstream_steps(slug, kind):
    return workstream_route(data=RouteData.load(), workstream_slug=slug, kind=kind)


def test_a_challenge_to_a_workstream_decision_starts_above_the_group_that_makes_them(seeded):
    assert shown(workstream_steps("design", "formal")) == [
        (
            "psg",
            "Programme Steering Group (PSG)",
            (PMO,),
            f"{RULE} PSG is the next level of governance above DAG. Write to the PSG chair via "
            "the PMO mailbox and through your PSG constituency representative.",
            "/groups/psg/",
        ),
        (
            "ipa",
            "IPA",
            (),
            f"{RULE} Escalate to the IPA instead of PSG, or should PSG not resolve it. "
            f"{NO_ADDRESS}",
            None,
        ),
    ]
    assert [s.target for s in workstream_steps("programme", "formal")] == ["ipa"]


def test_the_deciders_are_the_lowest_decision_making_governance_groups_by_name(seeded):
    """Migration's deciders, once its working groups make decisions; not a sub group."""
    GovernanceGroup.objects.filter(slug__in=["torwg", "dcwg", "mwg"]).update(decision_making=True)
    GovernanceGroup.objects.filter(slug="torwg").update(status="replaced")
    data = RouteData.load()
    migration = data.workstreams["migration"]
    assert [g.slug for g in deciders(data, migration)] == ["dcwg", "mwg"]
    GovernanceGroup.objects.filter(slug__in=["lqtsg", "qwg"]).update(decision_making=True)
    GovernanceGroup.objects.filter(slug="qwg").update(kind="sub_group")
    data = RouteData.load()
    assert [g.slug for g in deciders(data, data.workstreams["qualification"])] == ["qag"]


def test_a_workstream_without_a_decision_making_group_sends_a_challenge_to_the_ppc(seeded):
    GovernanceGroup.objects.filter(slug="qag").update(decision_making=False)
    assert shown(workstream_steps("qualification", "formal")) == [
        (
            "ppc",
            "Programme Party Coordinator (PPC)",
            (PPC,),
            "The source document names no decision-making group in the Qualification "
            f"workstream: tell PPC which group made the decision. {PPC_HELP}",
            None,
        )
    ]


def test_a_concern_or_query_about_a_workstream_goes_where_its_groups_would(seeded):
    assert shown(workstream_steps("test", "informal")) == shown(route("sitag", "informal"))
    assert shown(workstream_steps("test", "query")) == shown(route("sitwg", "query"))


def test_without_the_workstream_everything_starts_with_the_ppc(seeded):
    def unknown(kind):
        (step,) = workstream_steps(UNKNOWN_WORKSTREAM, kind)
        assert (step.target, step.contacts) == ("ppc", (PPC,))
        return step.detail

    assert unknown("formal") == (
        "Tell the PPC team which group made the decision; they will pass it to the right "
        f"level of governance. {PPC_HELP}"
    )
    assert unknown("informal") == (
        "Tell the PPC team what the concern is about; they will pass it to the right group. "
        f"{PPC_HELP}"
    )
    assert unknown("query") == f"The PPC team answer queries that have no obvious home. {PPC_HELP}"


def mail(link):
    parts = urlsplit(link)
    return parts.scheme, parts.path, {k: v for k, [v] in parse_qs(parts.query).items()}


MAIL_BODY = (
    "Context (what happened, where and when):\n\n\n"
    "Rationale (why you disagree or are concerned):\n\n\n"
    "Impact if no action is taken:\n\n"
)


def test_each_step_has_a_ready_email_to_its_contacts(seeded):
    sitag, psg, ipa = route("sitwg", "formal")
    assert mail(step_mailto(sitag, kind="formal", about="SITWG")) == (
        "mailto",
        PMO,
        {
            "subject": "Formal escalation to Systems Integration and Testing Advisory Group "
            "(SITAG): SITWG",
            "cc": TESTING,
            "body": MAIL_BODY,
        },
    )
    assert mail(step_mailto(psg, kind="informal", about="Test workstream")) == (
        "mailto",
        PMO,
        {
            "subject": "Concern to Programme Steering Group (PSG): Test workstream",
            "body": MAIL_BODY,
        },
    )
    (testing,) = route("sitwg", "query")
    assert mail(step_mailto(testing, kind="query", about="SITWG")) == (
        "mailto",
        TESTING,
        {"subject": "Query to Testing mailbox: SITWG"},
    )
    assert step_mailto(ipa, kind="formal", about="SITWG") is None


def notes(slug, kind):
    data = RouteData.load()
    return route_notes(data, data.groups[GovernanceGroup.objects.get(slug=slug).pk], kind)


REPLACED_TMAG = (
    "TMAG was replaced by MCAG, QAG, SITAG. *SITAG, MCAG, QAG replaced the Testing and "
    "Migration Advisory Group (TMAG) in Q1 2024. Choose the group that covers your topic "
    "now; the route below is where TMAG itself reported."
)
NO_DECISIONS = (
    "SITWG does not make governance decisions. The route starts at the nearest "
    "decision-making group above it: SITAG."
)
NONE_ABOVE = (
    "{} does not make governance decisions, and the source document gives no "
    "decision-making group above it. The steps below are the directory's suggestion, not "
    "the source's rule."
)
OFGEM = (
    "This process does not cover a decision of Ofgem. The source document says: "
    '"Note: this process is separate to Ofgem decision-making escalation criteria".'
)


def test_notes_before_a_route_say_a_group_was_replaced_or_makes_no_decisions(seeded):
    assert notes("tmag", "formal") == [REPLACED_TMAG]
    assert notes("tmag", "query") == [REPLACED_TMAG]
    assert notes("sitwg", "formal") == [NO_DECISIONS]
    assert notes("sitwg", "informal") == []
    assert notes("sitag", "formal") == []
    assert notes("drg", "formal") == [NONE_ABOVE.format("DRG")]
    assert notes("ofgem", "formal") == [OFGEM]
    assert notes("ofgem", "query") == []
    GovernanceGroup.objects.get(slug="tmag").replaced_by.clear()
    GovernanceGroup.objects.filter(slug="tmag").update(decision_making=False, replacement_note="")
    assert notes("tmag", "formal") == [
        "TMAG was replaced by other groups.  Choose the group that covers your topic now; the "
        "route below is where TMAG itself reported.",
        NO_DECISIONS.replace("SITWG", "TMAG").replace("SITAG", "PSG"),
    ]
