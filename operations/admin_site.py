"""The admin site: staff-only behind the second factor (``core.two_factor``), opening on the
programme office's week (``operations.office_week``). Composed here, in the top app, since
the week reads meetings, records, representation and follow, which core cannot know."""

from core import clock
from core.two_factor import StaffAdminSite

from .office_week import office_week

# What a user must be able to see to be shown the week: it names draft and embargoed
# decisions, actions and their owners, representatives and the last send run. The
# Programme office role holds all of these; staff without them see Django's app list only.
WEEK_PERMISSIONS = (
    "records.view_meetingrecord",
    "records.view_decision",
    "records.view_action",
    "representation.view_membership",
)


class OfficeAdminSite(StaffAdminSite):
    """``StaffAdminSite`` whose home opens on "This week and next", above the app list."""

    def index(self, request, extra_context=None):
        context = dict(extra_context or {})
        if request.user.has_perms(WEEK_PERMISSIONS):
            context["week"] = office_week(now=clock.now())
        return super().index(request, context)
