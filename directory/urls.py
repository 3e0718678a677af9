"""The pages that compose the apps. ``group_pages`` join the groups app's namespace, so a
group's address stays ``groups:detail`` whichever app serves it."""

from django.urls import path, re_path

from . import views

group_pages = [
    path("", views.home, name="home"),
    path("groups/", views.group_list, name="list"),
    path("groups/export.csv", views.group_list_csv, name="csv"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("api/groups/", views.group_list_json, name="api_list"),
    path("api/groups/<slug:slug>/", views.group_detail_json, name="api_detail"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream"),
]

# The decision's page joins the records app's namespace (``records:decision``): it composes
# the decision with its escalation route.
record_pages = [
    re_path(r"^decisions/(?P<reference>[^/]+)/$", views.decision_detail, name="decision"),
]
