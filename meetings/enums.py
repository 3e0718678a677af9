from django.db import models

from changelog import kinds


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly on the n-th weekday"
    EVERY_N_WEEKS = "every_n_weeks", "Every N weeks from an anchor date"
    AD_HOC = "ad_hoc", "Ad hoc (no regular schedule)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Ordinal(models.IntegerChoices):
    FIRST = 1, "1st"
    SECOND = 2, "2nd"
    THIRD = 3, "3rd"
    FOURTH = 4, "4th"
    LAST = -1, "Last"  # no "5th": Outlook cannot say it, and most months have none


class Source(models.TextChoices):
    OVERVIEW = "overview", "Overview for Level 2-4 Groups"
    MONTHLY_TABLE = "monthly_table", "Monthly schedule by week of the month"


ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# The years the calendar, the meeting pages and the decision register cover.
MIN_YEAR, MAX_YEAR = 2000, 2100


class OccurrenceStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    # A held slot's date, or a meeting whose date rests on an inference (with a note why).
    TENTATIVE = "tentative", "Tentative"


# The fields of a series' rule: a change to any of them takes effect from a date.
RULE_FIELDS = ("frequency", "ordinal", "weekday", "interval_weeks", "anchor_date")
TIME_FIELDS = ("start_time", "end_time")


@kinds.register(kinds.Category.MEETINGS)
class MeetingChangeKind(models.TextChoices):
    """The change log's kinds for meetings: schedules and single meetings."""

    SCHEDULE_CHANGED = "schedule_changed", "Schedule changed"
    MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
    CANCELLATION_WITHDRAWN = "cancellation_withdrawn", "Cancellation withdrawn"
    MEETING_MOVED = "meeting_moved", "Meeting moved"
    MOVE_CHANGED = "move_changed", "Moved meeting changed"
    MOVE_WITHDRAWN = "move_withdrawn", "Move withdrawn"
    ONE_OFF_ADDED = "one_off_added", "One-off meeting added"
    ONE_OFF_CHANGED = "one_off_changed", "One-off meeting changed"
    ONE_OFF_REMOVED = "one_off_removed", "One-off meeting removed"
