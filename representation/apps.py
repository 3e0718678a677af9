from django.apps import AppConfig

from representation.roles import PROGRAMME_OFFICE_REPRESENTATION_PERMISSIONS


class RepresentationConfig(AppConfig):
    name = "representation"
    verbose_name = "Representation"
    programme_office_permissions = PROGRAMME_OFFICE_REPRESENTATION_PERMISSIONS  # groups.roles
