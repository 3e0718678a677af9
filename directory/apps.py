from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The pages that compose the apps: the group, workstream and decision pages, the group
    list and its exports, the hierarchy, site-wide search and the main menu."""

    name = "directory"
    verbose_name = "Directory"
