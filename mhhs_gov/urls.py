from django.contrib import admin
from django.urls import include, path

from groups import views as group_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", group_views.healthz, name="healthz"),
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
    path("", include("escalations.urls")),
]

handler400 = "mhhs_gov.errors.bad_request"
handler403 = "mhhs_gov.errors.permission_denied"
handler404 = "mhhs_gov.errors.page_not_found"
handler500 = "mhhs_gov.errors.server_error"
