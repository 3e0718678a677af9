"""The group admin, composed: the group's own admin with its meeting series inline."""

from django.contrib import admin

from groups.admin import GovernanceGroupAdmin
from groups.models import GovernanceGroup
from meetings.admin import MeetingSeriesInline


@admin.register(GovernanceGroup)
class DirectoryGroupAdmin(GovernanceGroupAdmin):
    inlines = [MeetingSeriesInline, *GovernanceGroupAdmin.inlines]
    inlines_for_status_editors = (
        MeetingSeriesInline,
        *GovernanceGroupAdmin.inlines_for_status_editors,
    )
