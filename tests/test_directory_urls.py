"""The composed pages answer to the directory's own URL names; the names they had under the
groups and records apps' namespaces stay as aliases of the same views."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from directory import views
from directory.search import view as search_view

ALIASES = [
    ("groups:home", "directory:home", [], views.home),
    ("groups:list", "directory:group_list", [], views.group_list),
    ("groups:detail", "directory:group_detail", ["psg"], views.group_detail),
    ("groups:workstream", "directory:workstream_detail", ["test"], views.workstream_detail),
    ("records:decision", "directory:decision_detail", ["PSG-2027-001"], views.decision_detail),
    ("search", "directory:search", [], search_view.search),
]


@pytest.mark.parametrize(("old", "new", "args", "view"), ALIASES)
def test_an_old_name_is_an_alias_and_the_path_resolves_to_the_directory(old, new, args, view):
    path = reverse(new, args=args)
    assert reverse(old, args=args) == path
    match = resolve(path)
    assert match.func is view
    assert match.view_name == new


@pytest.mark.parametrize("name", ["groups:csv", "groups:api_list", "groups:api_detail"])
def test_names_nothing_reverses_any_more_are_not_kept(name):
    with pytest.raises(NoReverseMatch):
        reverse(name, args=["psg"] if name.endswith("detail") else [])


def test_health_is_served_by_operations():
    assert resolve("/healthz").func.__module__ == "operations.views"
    assert resolve("/healthz/deep").func.__module__ == "operations.views"
