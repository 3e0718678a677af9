from django.contrib import admin
from django.urls import include, path

from directory.urls import ALIASES as DIRECTORY_ALIASES
from groups import urls as groups_urls
from records import urls as records_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("operations.urls")),
    path("", include("directory.urls")),
    path("", include(([*groups_urls.urlpatterns, *DIRECTORY_ALIASES["groups"]], "groups"))),
    path("", include("meetings.urls")),
    path("", include(([*records_urls.urlpatterns, *DIRECTORY_ALIASES["records"]], "records"))),
    path("", include("escalations.urls")),
    path("", include("representation.urls")),
    path("follow/", include("follow.urls")),
    *DIRECTORY_ALIASES[""],
]

handler400 = "mhhs_gov.errors.bad_request"
handler403 = "mhhs_gov.errors.permission_denied"
handler404 = "mhhs_gov.errors.page_not_found"
handler500 = "mhhs_gov.errors.server_error"
