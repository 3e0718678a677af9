from django.contrib import admin
from django.urls import include, path

from directory import search
from directory import urls as directory_urls
from directory import views as directory_views
from groups import urls as groups_urls
from records import urls as records_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", directory_views.healthz, name="healthz"),
    path("healthz/deep", directory_views.healthz_deep, name="healthz_deep"),
    path("search/", search.search, name="search"),
    path("", include(([*groups_urls.urlpatterns, *directory_urls.group_pages], "groups"))),
    path("", include("meetings.urls")),
    path("", include(([*records_urls.urlpatterns, *directory_urls.record_pages], "records"))),
    path("", include("escalations.urls")),
    path("", include("representation.urls")),
]

handler400 = "mhhs_gov.errors.bad_request"
handler403 = "mhhs_gov.errors.permission_denied"
handler404 = "mhhs_gov.errors.page_not_found"
handler500 = "mhhs_gov.errors.server_error"
