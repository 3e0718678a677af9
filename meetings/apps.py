from django.apps import AppConfig

from meetings.roles import PROGRAMME_OFFICE_MEETINGS_PERMISSIONS


class MeetingsConfig(AppConfig):
    name = "meetings"
    programme_office_permissions = PROGRAMME_OFFICE_MEETINGS_PERMISSIONS  # groups.roles
