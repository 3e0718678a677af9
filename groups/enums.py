from django.db import models


class Status(models.TextChoices):
    """The diagram's key, plus "replaced" for a group that another took over and
    "not stated" for a group whose status the source's text does not give."""

    MOBILISED = "mobilised", "Mobilised"
    MOBILISING = "mobilising", "Mobilisation in progress"
    FUTURE = "future", "To be mobilised in future"
    MAY_BE_MOBILISED = "may_be_mobilised", "May be mobilised"
    AD_HOC = "ad_hoc", "Available for any ad hoc meetings"
    REPLACED = "replaced", "Replaced"
    NOT_STATED = "not_stated", "Not stated in the source"


# The diagram's key: the five statuses the source itself names, in its order.
SOURCE_KEY = (
    Status.MOBILISED,
    Status.MOBILISING,
    Status.FUTURE,
    Status.MAY_BE_MOBILISED,
    Status.AD_HOC,
)


class Kind(models.TextChoices):
    SPONSOR = "sponsor", "Sponsor"
    GOVERNANCE = "governance", "Governance group"
    SUB_GROUP = "sub_group", "Sub group"
    NON_GOVERNANCE = "non_governance", "Non-governance group"
    NON_GOVERNANCE_DELIVERY = "non_governance_delivery", "Non-governance delivery group"


class Attendance(models.TextChoices):
    OPEN = "open", "Open to all"
    CLOSED = "closed", "Closed"


class NoteKind(models.TextChoices):
    DIFFERENCE = "difference", "Sources differ"
    SINGLE_SOURCE = "single_source", "Stated in one source only"
    INFERRED = "inferred", "Inferred (not stated in the source document)"
    CORRECTION = "correction", "Typing error in the source (kept, marked [sic])"


# The statuses under which a group holds its regular meetings.
MEETS_REGULARLY = frozenset({Status.MOBILISED})
# The statuses under which a group keeps a held slot for meetings called when needed.
HOLDS_SLOTS = frozenset({Status.AD_HOC})

# The mailboxes the rules name: the PMO's (chairs, and the feeds' organizer) and PPC's.
PMO_MAILBOX = "pmo"
PPC_MAILBOX = "ppc"

# How a group without a level (the overview's "NA") is listed beside the levels.
NO_LEVEL = "No level (NA)"


class ChangeKind(models.TextChoices):
    """What a change-log entry records; the value is the JSON's ``kind``."""

    STATUS_CHANGED = "status_changed", "Status changed"
    STATUS_WITHDRAWN = "status_withdrawn", "Announced status change withdrawn"
    STATUS_CORRECTED = "status_corrected", "Status record corrected"
    GROUP_ADDED = "group_added", "Group added"
    GROUP_REPLACED = "group_replaced", "Group replaced"
    MAILBOX_CHANGED = "mailbox_changed", "Mailbox changed"
    SCHEDULE_CHANGED = "schedule_changed", "Schedule changed"
    MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
    CANCELLATION_WITHDRAWN = "cancellation_withdrawn", "Cancellation withdrawn"
    MEETING_MOVED = "meeting_moved", "Meeting moved"
    MOVE_CHANGED = "move_changed", "Moved meeting changed"
    MOVE_WITHDRAWN = "move_withdrawn", "Move withdrawn"
    ONE_OFF_ADDED = "one_off_added", "One-off meeting added"
    ONE_OFF_CHANGED = "one_off_changed", "One-off meeting changed"
    ONE_OFF_REMOVED = "one_off_removed", "One-off meeting removed"
    DOCUMENT_ADDED = "document_added", "Document added"
    DOCUMENT_CHANGED = "document_changed", "Document changed"
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    DECISION_PUBLISHED = "decision_published", "Decision published"
    DECISION_CHANGED = "decision_changed", "Decision changed"
    DECISION_WITHDRAWN = "decision_withdrawn", "Decision withdrawn"
    DECISION_SUPERSEDED = "decision_superseded", "Decision superseded"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_CHANGED = "action_changed", "Action changed"
    ACTION_CLOSED = "action_closed", "Action closed"
