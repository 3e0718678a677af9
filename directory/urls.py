"""The pages that compose the apps. ``group_pages`` join the groups app's namespace, so a
group's address stays ``groups:detail`` whichever app serves it."""

from django.urls import path

from . import views

group_pages = [
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream"),
]
