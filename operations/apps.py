from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class OperationsConfig(AppConfig):
    """Running the site: the data version and the page cache it keys, health checks,
    seeding and integrity checks, backups and the ``migrate`` that creates the database."""

    name = "operations"
    verbose_name = "Site operations"

    def ready(self):
        from . import signals

        signals.connect()


class OfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site is ``operations.admin_site.OfficeAdminSite``: staff only,
    past the second factor, opening on the programme office's week. Not the operations
    app's own config (``default``)."""

    default = False
    default_site = "operations.admin_site.OfficeAdminSite"
