from django.urls import path

from . import views

app_name = "representation"

urlpatterns = [
    path("constituencies/", views.constituencies, name="constituencies"),
    path("constituencies/<slug:slug>/", views.constituency, name="constituency"),
    path("api/representatives/", views.representatives_json, name="api_representatives"),
    path("api/popolo.json", views.popolo_json, name="api_popolo"),
]
