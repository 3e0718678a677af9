from django.apps import AppConfig


class ChangelogConfig(AppConfig):
    name = "changelog"
    verbose_name = "Change log"

    def ready(self):
        from . import checks  # noqa: F401 - registers the check that no signal writes the log
