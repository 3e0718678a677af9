"""The one walk of the hierarchy, and the pages and checks that use it."""

import re

from groups.hierarchy import walk_up
from groups.models import GovernanceGroup

PARENTS = {"sitwg": "sitag", "sitag": "psg", "psg": "ofgem", "ofgem": None}


def test_walk_up_from_a_working_group_to_the_top():
    walk = walk_up("sitwg", PARENTS.get)
    assert walk.chain == ("sitag", "psg", "ofgem")
    assert not walk.loops


def test_walk_up_stops_at_a_loop_and_says_so():
    looped = {**PARENTS, "ofgem": "sitag"}
    walk = walk_up("sitwg", looped.get)
    assert walk.chain == ("sitag", "psg", "ofgem")
    assert walk.loops
    assert walk_up("a", {"a": "a"}.get).loops


def test_breadcrumb_is_the_sites_trail_and_reports_to_names_the_parent(client, seeded, now):
    """One trail for a group and its meetings (Home › Groups › the group); where the group
    sits in the hierarchy is its "Reports to"."""
    page = client.get("/groups/lqtsg/").content.decode()
    crumbs = page.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/groups/"]
    reports_to = page.split("<dt>Reports to</dt>")[1].split("</dd>")[0]
    assert 'href="/groups/qwg/"' in reports_to


def test_breadcrumb_survives_a_loop_of_parents(client, seeded, now):
    groups = GovernanceGroup.objects
    groups.filter(slug="psg").update(parent=groups.get(slug="sitwg"))
    assert client.get("/groups/sitwg/").status_code == 200
    groups = {g.pk: g for g in GovernanceGroup.objects.all()}
    sitwg = next(g for g in groups.values() if g.slug == "sitwg")
    assert [g.slug for g in sitwg.ancestors(groups)] == ["sitag", "psg"]
    assert [g.slug for g in sitwg.ancestors()] == ["sitag", "psg"]
