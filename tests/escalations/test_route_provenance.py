"""Route steps mark what they rest on that the source does not state, in the words every
other surface uses ("Not stated in the source: we assume ..."): a workstream's mailbox (the
source says each workstream owns one, never which), a group's inferred workstream, and an
inferred parent."""

import html as html_lib

import pytest

from groups.models import GovernanceGroup, SourceNote
from groups.provenance import INFERRED_LEAD, FactField

TESTING = (
    f"{INFERRED_LEAD} the Test workstream's mailbox is Testing@mhhsprogramme.co.uk, matched "
    "by name."
)
PROGRAMME = f"{INFERRED_LEAD} the Programme workstream's mailbox is PMO@mhhsprogramme.co.uk."
QUALIFICATION = (
    f"{INFERRED_LEAD} the Qualification workstream's queries go to the PPC team until the "
    "programme office names its mailbox."
)
LQTSG_WORKSTREAM = f"{INFERRED_LEAD} LQTSG belongs to the Qualification workstream, from its name."


def api_steps(client, query):
    response = client.get(f"/api/escalations/route/?{query}")
    assert response.status_code == 200, response.content
    return [(step["target"], step["inferred"]) for step in response.json()["steps"]]


def page(client, query):
    response = client.get(f"/escalations/route/?{query}")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("group=sitag&kind=query", [("testing", [TESTING])]),
        ("group=sitwg&kind=query", [("testing", [TESTING])]),
        ("group=psg&kind=query", [("pmo", [PROGRAMME])]),
        ("group=glig&kind=query", [("pmo", [PROGRAMME])]),
        ("group=qwg&kind=query", [("ppc", [QUALIFICATION])]),
        ("group=lqtsg&kind=query", [("ppc", [LQTSG_WORKSTREAM, QUALIFICATION])]),
        ("workstream=test&kind=query", [("testing", [TESTING])]),
        ("workstream=qualification&kind=query", [("ppc", [QUALIFICATION])]),
        # The Qualification workstream's lowest level of governance: QWG.
        ("group=lqtsg&kind=informal", [("qwg", [LQTSG_WORKSTREAM])]),
        ("group=qwg&kind=informal", [("qwg", [])]),
    ],
)
def test_a_step_marks_the_mailbox_or_workstream_it_rests_on(client, seeded, query, expected):
    assert api_steps(client, query) == expected
    html = page(client, query)
    for _target, said in expected:
        for sentence in said:
            assert f'<p class="note inferred">{sentence}</p>' in html


def test_the_qualification_route_does_not_contradict_the_source(client, seeded):
    # The source: "Each workstream owns a mailbox"; the extract just does not list it.
    html = page(client, "group=qwg&kind=query")
    assert "gives the Qualification workstream no mailbox" not in html.replace(
        "Contact Us list gives", ""
    )
    assert "The Contact Us list gives the Qualification workstream no mailbox." in html


def test_a_mailbox_the_source_names_for_the_workstream_is_not_marked(client, seeded):
    SourceNote.objects.filter(slug="test-mailbox").delete()
    assert api_steps(client, "group=sitag&kind=query") == [("testing", [])]


def test_parent_marks_are_the_groups_own_provenance(client, seeded):
    """The same sentence as the group page's "Reports to" mark, from the note's
    ``assumption`` on the field "parent" (not its ``fact``, nor its ``explanation``)."""
    note = SourceNote.objects.get(slug="sitwg-parent")
    note.fact = "line to the advisory group"  # the fact's wording is free
    note.assumption = "SITWG answers to SITAG, as its working group"
    note.save()
    sitwg = GovernanceGroup.objects.prefetch_related("source_notes").get(slug="sitwg")
    said = sitwg.provenance(FactField.PARENT).sentence
    assert said == f"{INFERRED_LEAD} SITWG answers to SITAG, as its working group."
    steps = dict(api_steps(client, "group=sitwg&kind=formal"))
    assert steps["sitag"] == [said]
    group_page = html_lib.unescape(client.get("/groups/sitwg/").content.decode())
    assert said in group_page
