"""A route answer's cold cost does not grow with groups it does not show: the same
queries, the same groups built as model instances and the same groups' next meetings
computed, with 200 more groups off the route. The form lists every group as plain values,
drawn without Django's per-option templates but in the same markup."""

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escalations import answers
from escalations.forms import GroupSelect
from groups.models import GovernanceGroup
from meetings.models import MeetingSeries
from tests.factories import add_seed_copies

ROUTE = "/escalations/route/?group=dag&kind=formal"  # DAG, then PSG and the IPA
API = "/api/escalations/route/?group=dag&kind=formal"


@pytest.fixture
def cost(monkeypatch):
    """Counts, per request: the groups and series built as model instances, and the groups
    whose next meetings the answer computes."""
    built = {"groups": 0, "series": 0, "next_meetings_of": []}

    def counting(model, key):
        original = model.from_db.__func__

        def from_db(cls, *args):
            built[key] += 1
            return original(cls, *args)

        monkeypatch.setattr(model, "from_db", classmethod(from_db))

    counting(GovernanceGroup, "groups")
    counting(MeetingSeries, "series")
    next_meeting_by_group = answers.next_meeting_by_group

    def next_meetings(*, now, **scope):
        found = next_meeting_by_group(now=now, **scope)
        built["next_meetings_of"].append(sorted(scope["group_slugs"]))
        return found

    monkeypatch.setattr(answers, "next_meeting_by_group", next_meetings)
    return built


def cold(client, path, cost) -> dict:
    """One cold request's queries and what it built."""
    cache.clear()
    cost.update(groups=0, series=0, next_meetings_of=[])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return {**cost, "queries": len(queries), "options": response.content.count(b"<option ")}


@pytest.mark.parametrize("path", [ROUTE, API])
def test_the_answer_costs_the_same_with_200_more_groups_off_its_route(client, seeded, cost, path):
    before = cold(client, path, cost)
    add_seed_copies(10)  # 220 more groups, each with its series; none on DAG's route
    after = cold(client, path, cost)
    assert before["next_meetings_of"] == after["next_meetings_of"] == [["psg"]]
    assert before["queries"] == after["queries"]
    assert before["series"] == after["series"]
    # The group asked about, the groups its route reads (DAG and PSG) and PSG again with
    # its series; never the groups the form lists.
    assert before["groups"] == after["groups"] < 10
    if path == ROUTE:  # the form lists every group still, one option each
        assert after["options"] == GovernanceGroup.objects.count() + 1
    else:
        assert after["options"] == 0


def test_the_form_reads_the_groups_as_values_only_when_drawn(client, seeded, cost):
    add_seed_copies(10)
    empty = cold(client, "/escalations/route/", cost)
    assert empty["options"] == GovernanceGroup.objects.count() + 1
    assert empty["groups"] == 0 and empty["series"] == 0
    assert empty["next_meetings_of"] == []
    bad = client.get("/api/escalations/route/?group=no-such-group&kind=formal")
    assert bad.status_code == 400
    assert cost["groups"] == 0


@pytest.mark.parametrize("value", ["no-such-group", " dag", "dag/", "dag\x00", "PSG"])
def test_a_group_not_in_the_list_is_refused_with_the_list_s_message(client, seeded, value):
    for path in ("/escalations/route/", "/api/escalations/route/"):
        response = client.get(path, {"group": value, "kind": "formal"})
        assert response.status_code == 400
    errors = response.json()["errors"]["group"]
    assert errors == [
        {
            "message": f"There is no group {value}: choose one from the list.",
            "code": "invalid_choice",
        }
    ]


CHOICES = [
    ("", "I don't know, or any group"),
    ("Level 3: <Advisory> & 'Groups'", [('a"b', "A & <B>"), ("b", "B's")]),
    ("c", "C"),
    ("No level", [("d", "D"), ("b", "B again")]),
]


@pytest.mark.parametrize("value", [None, "", "b", 'a"b', "d", "no-such", ["b"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_group"}, {"id": "id_group", "aria-invalid": "true", "x": False}]
)
def test_the_group_select_is_drawn_as_django_s_select(value, attrs):
    fast = GroupSelect()
    fast.choices = CHOICES
    stock = forms.Select(choices=CHOICES)
    assert fast.render("group", value, attrs) == stock.render("group", value, attrs)


def test_a_workstream_s_answer_grows_only_by_the_deciders_it_names(client, seeded, cost):
    """The copies of DAG are the design workstream's deciders too (same workstream, level
    and decisions): the answer names each, and builds each; nothing else grows."""
    path = "/api/escalations/route/?workstream=design&kind=formal"
    before = cold(client, path, cost)
    add_seed_copies(10)
    after = cold(client, path, cost)
    assert before["queries"] == after["queries"]
    assert before["series"] == after["series"]
    assert before["next_meetings_of"] == after["next_meetings_of"] == [["psg"]]
    assert after["groups"] == before["groups"] + 10  # DAG1 to DAG10, one each
    steps = client.get(path).json()["steps"]
    assert [s["label"] for s in steps].count("Programme Steering Group (PSG)") == 11
