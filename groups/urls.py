from django.urls import path

from . import views

app_name = "groups"

# The group and workstream pages show meetings and routes too: the directory app serves
# them, under this namespace (mhhs_gov/urls.py).

urlpatterns = [
    path("", views.home, name="home"),
    path("groups/", views.group_list, name="list"),
    path("groups/export.csv", views.group_list_csv, name="csv"),
    path("workstreams/", views.workstream_list, name="workstreams"),
    path("contact/", views.contact, name="contact"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("api/groups/", views.group_list_json, name="api_list"),
    path("api/groups/<slug:slug>/", views.group_detail_json, name="api_detail"),
]
