"""The group admin, composed: the group's own admin with its meeting series inline."""

from django.contrib import admin

from groups.admin import GovernanceGroupAdmin
from groups.models import GovernanceGroup
from meetings.admin import MeetingSeriesInline

admin.site.site_header = "MHHS governance directory: programme office"
admin.site.site_title = "MHHS governance directory admin"
admin.site.index_title = "Keep the directory current"


@admin.register(GovernanceGroup)
class DirectoryGroupAdmin(GovernanceGroupAdmin):
    inlines = [MeetingSeriesInline, *GovernanceGroupAdmin.inlines]
    inlines_for_status_editors = (
        MeetingSeriesInline,
        *GovernanceGroupAdmin.inlines_for_status_editors,
    )
