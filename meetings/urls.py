from django.urls import path, re_path

from . import views

app_name = "meetings"

urlpatterns = [
    path("calendar/", views.this_month, name="this_month"),
    path("calendar/pattern/", views.pattern, name="pattern"),
    re_path(r"^calendar/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.month, name="month"),
    re_path(
        r"^api/calendar/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.month_json,
        name="api_month",
    ),
    path("calendar.ics", views.calendar_ics, name="ical"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("groups/<slug:slug>/calendar.ics", views.group_ics, name="group_ical"),
    path("workstreams/<slug:slug>/calendar.ics", views.workstream_ics, name="workstream_ical"),
]
