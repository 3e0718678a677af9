from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin, whose site (``admin.site``) asks staff for a second factor
    (``core.two_factor``)."""

    default_site = "core.two_factor.StaffAdminSite"
