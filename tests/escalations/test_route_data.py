"""A route answer reads only the groups its route walks through: the same steps and notes
as from every group loaded, for every group, workstream and kind, with the groups it does
not walk through left unread."""

import pytest

from escalations.enums import RouteKind
from escalations.routes import (
    RouteData,
    escalation_route,
    route_notes,
    workstream_route,
)
from groups.enums import Status
from groups.models import GovernanceGroup, Workstream
from groups.services import change_group_status
from tests.factories import add_seed_copies

KINDS = list(RouteKind)


def same(steps, others):
    """The steps as a participant reads them, with the group each links to."""
    return [(s, s.url) for s in steps] == [(s, s.url) for s in others]


@pytest.mark.parametrize("copies", [0, 2])
def test_every_group_s_route_is_the_same_as_from_every_group_loaded(seeded, now, copies):
    add_seed_copies(copies)  # copies share their original's workstream and parent
    dag = GovernanceGroup.objects.get(slug="dag")  # today's status, not the stored one
    change_group_status(group=dag, status=Status.REPLACED, note="Test", by=None, at=now)
    everything = RouteData.load()
    for group in GovernanceGroup.objects.all():
        for kind in KINDS:
            narrow = RouteData.around(kind=kind, groups=[group])
            assert same(
                escalation_route(data=narrow, group=group, kind=kind),
                escalation_route(data=everything, group=group, kind=kind),
            ), (group.slug, kind)
            assert route_notes(narrow, narrow.groups[group.pk], kind) == route_notes(
                everything, everything.groups[group.pk], kind
            )


def test_every_workstream_s_route_is_the_same_as_from_every_group_loaded(seeded):
    add_seed_copies(1)
    everything = RouteData.load()
    for slug in Workstream.objects.values_list("slug", flat=True):
        for kind in KINDS:
            narrow = RouteData.around(kind=kind, workstream_slug=slug)
            assert same(
                workstream_route(data=narrow, workstream_slug=slug, kind=kind),
                workstream_route(data=everything, workstream_slug=slug, kind=kind),
            ), (slug, kind)


def test_a_group_s_formal_route_reads_only_the_groups_above_it_and_the_steering_group(seeded):
    add_seed_copies(3)
    sitwg = GovernanceGroup.objects.get(slug="sitwg")
    data = RouteData.around(kind=RouteKind.FORMAL, groups=[sitwg])
    above = {g.slug for g in sitwg.ancestors()}
    assert set(s.slug for s in data.groups.values()) == {"sitwg", "psg", *above}
    assert len(data.groups) < GovernanceGroup.objects.count() / 4
