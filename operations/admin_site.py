"""The admin site: staff-only behind the second factor (``core.two_factor``), opening on the
programme office's week (``operations.office_week``). Composed here, in the top app, since
the week reads meetings, records, representation and follow, which core cannot know."""

from core import clock
from core.two_factor import StaffAdminSite

from .office_week import office_week


class OfficeAdminSite(StaffAdminSite):
    """``StaffAdminSite`` whose home opens on "This week and next", above the app list."""

    def index(self, request, extra_context=None):
        week = office_week(now=clock.now())
        return super().index(request, {"week": week, **(extra_context or {})})
