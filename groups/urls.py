from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.home, name="home"),
    path("groups/", views.group_list, name="list"),
    path("groups/export.csv", views.group_list_csv, name="csv"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("workstreams/", views.workstream_list, name="workstreams"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream"),
    path("contact/", views.contact, name="contact"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("api/groups/", views.group_list_json, name="api_list"),
    path("api/groups/<slug:slug>/", views.group_detail_json, name="api_detail"),
]
