from django.apps import AppConfig

from records.roles import PROGRAMME_OFFICE_RECORDS_PERMISSIONS


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Meeting records"
    programme_office_permissions = PROGRAMME_OFFICE_RECORDS_PERMISSIONS  # groups.roles

    def ready(self):
        from . import storage

        storage.connect()
