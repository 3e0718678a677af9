from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Governance groups"

    def ready(self):
        from . import signals  # noqa: F401
