from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Meeting records"

    def ready(self):
        from . import changes, storage

        changes.connect()
        storage.connect()
