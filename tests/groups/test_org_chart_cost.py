"""The org chart (the home page) builds today's status annotations a fixed number of
times whatever the number of groups: the groups' replacements come through one queryset,
not a related manager per group, each of which would build them anew."""

from django.core.cache import cache

from groups.querysets import GovernanceGroupQuerySet
from tests.factories import add_seed_copies


def test_the_home_page_builds_the_status_annotations_the_same_times_with_more_groups(
    client, seeded, monkeypatch
):
    built = []
    original = GovernanceGroupQuerySet.with_status_today

    def counting(queryset):
        built.append(1)
        return original(queryset)

    monkeypatch.setattr(GovernanceGroupQuerySet, "with_status_today", counting)

    def cold_home() -> int:
        cache.clear()
        built.clear()
        response = client.get("/")
        assert response.status_code == 200
        return len(built)

    cold_home()  # the first request builds a few more, once for the process
    before = cold_home()
    add_seed_copies(5)  # 110 more groups, among them copies of the replaced groups
    assert cold_home() == before
