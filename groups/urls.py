from django.urls import path

from . import changefeeds, views

app_name = "groups"

# The group and workstream pages show meetings and routes too: the directory app serves
# them (``directory:``); their old names here are aliases (directory/urls.py).

urlpatterns = [
    path("workstreams/", views.workstream_list, name="workstreams"),
    path("contact/", views.contact, name="contact"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("changes/", views.changes, name="changes"),
    path("api/changes/", views.changes_json, name="api_changes"),
    path("changes.atom", changefeeds.ChangesFeed(), name="changes_atom"),
    path("groups/<slug:slug>/changes.atom", changefeeds.GroupChangesFeed(), name="group_atom"),
    path(
        "workstreams/<slug:slug>/changes.atom",
        changefeeds.WorkstreamChangesFeed(),
        name="workstream_atom",
    ),
]
