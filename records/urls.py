from django.urls import path, re_path

from . import views

app_name = "records"

DAY = r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})"

urlpatterns = [
    path("groups/<slug:slug>/meetings/", views.group_meetings_page, name="group_meetings"),
    re_path(rf"^groups/(?P<slug>[-a-zA-Z0-9_]+)/meetings/{DAY}/$", views.meeting, name="meeting"),
    re_path(
        rf"^groups/(?P<slug>[-a-zA-Z0-9_]+)/meetings/{DAY}/documents/(?P<pk>[0-9]+)/$",
        views.document,
        name="document",
    ),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/export.csv", views.decisions_csv, name="decisions_csv"),
    path("api/decisions/", views.decisions_json, name="api_decisions"),
    path("api/actions/", views.actions_json, name="api_actions"),
]
