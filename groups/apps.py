from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate, pre_migrate

from groups.roles import (
    PROGRAMME_OFFICE_GROUPS_PERMISSIONS,
    existing_permissions,
    grant_new_permissions,
)


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Governance groups"
    programme_office_permissions = PROGRAMME_OFFICE_GROUPS_PERMISSIONS

    def ready(self):
        # Role setup after each migrate: the Programme office role gets the permissions
        # that the run's migrations introduced (groups.roles). The permissions held before
        # the run are noted when it starts: those were offered to the role already.
        self.permissions_before_migrate = {}
        pre_migrate.connect(self._note_permissions, sender=self, dispatch_uid="groups-roles-pre")
        post_migrate.connect(self._grant_new_permissions, dispatch_uid="groups-roles-post")

    def _note_permissions(self, using, apps=global_apps, **kwargs):
        self.permissions_before_migrate[using] = existing_permissions(apps, using)

    def _grant_new_permissions(self, sender, using, apps=global_apps, **kwargs):
        # Only after a migrate (a flush sends post_migrate alone); auth's own receiver has
        # made the sender's permissions just before this one runs.
        before = self.permissions_before_migrate.get(using)
        if before is not None:
            grant_new_permissions(apps, using, sender, before)
        if sender is self._last_to_migrate():
            self.permissions_before_migrate.pop(using, None)

    def _last_to_migrate(self):
        """The app whose post_migrate comes last (Django sends it to each app with models,
        in INSTALLED_APPS order): the run is over after it."""
        return [config for config in self.apps.get_app_configs() if config.models_module][-1]
