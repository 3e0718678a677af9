"""The pages that compose the apps, under this app's namespace (``directory:``).

``ALIASES`` serve the same views under the names they had when they joined the groups and
records apps' namespaces (``groups:detail``, ``records:decision``, ...): templates and the
lower apps' ``get_absolute_url`` still reverse those names. mhhs_gov/urls.py includes them
after this app's own patterns, so a request resolves to ``directory:``.
"""

from django.urls import path, re_path

from . import views
from .search import view as search

app_name = "directory"

GROUP = "groups/<slug:slug>/"
DECISION = r"^decisions/(?P<reference>[^/]+)/$"

urlpatterns = [
    path("", views.home, name="home"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/export.csv", views.group_list_csv, name="group_csv"),
    path(GROUP, views.group_detail, name="group_detail"),
    path("api/groups/", views.group_list_json, name="api_groups"),
    path("api/groups/<slug:slug>/", views.group_detail_json, name="api_group"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream_detail"),
    # A decision with its challenge route: the formal route from the group that made it.
    re_path(DECISION, views.decision_detail, name="decision_detail"),
    path("search/", search.search, name="search"),
]

# The old names: (namespace, patterns). Only those still reversed elsewhere are kept.
ALIASES = {
    "groups": [
        path("", views.home, name="home"),
        path("groups/", views.group_list, name="list"),
        path(GROUP, views.group_detail, name="detail"),
        path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream"),
    ],
    "records": [re_path(DECISION, views.decision_detail, name="decision")],
    "": [path("search/", search.search, name="search")],
}
