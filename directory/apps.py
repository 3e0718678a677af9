from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The composition layer: what ties groups, meetings and escalations together."""

    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from . import signals

        signals.connect()
