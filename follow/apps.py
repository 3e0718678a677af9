from django.apps import AppConfig

from follow.roles import PROGRAMME_OFFICE_FOLLOW_PERMISSIONS


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = "Following by email"
    # Subscriptions and deliveries are bookkeeping no public page shows: writing them must
    # not move the page cache's data version (operations.signals.tracked_apps).
    page_data = False
    programme_office_permissions = PROGRAMME_OFFICE_FOLLOW_PERMISSIONS  # groups.roles

    def ready(self):
        from . import checks  # noqa: F401 - registers the email deploy checks
