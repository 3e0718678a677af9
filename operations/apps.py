from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: the data version and the page cache it keys, health checks,
    seeding and integrity checks, backups and the ``migrate`` that creates the database."""

    name = "operations"
    verbose_name = "Site operations"

    def ready(self):
        from . import signals

        signals.connect()
