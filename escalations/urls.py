from django.urls import path

from . import views

app_name = "escalations"

urlpatterns = [
    path("escalations/", views.guidance, name="guidance"),
    path("escalations/route/", views.route, name="route"),
    path("api/escalations/route/", views.route_json, name="api_route"),
]
