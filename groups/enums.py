from django.db import models

from changelog import kinds


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


@kinds.register(kinds.Category.GOVERNANCE)
class GroupChangeKind(models.TextChoices):
    """The change log's kinds for groups: status, groups themselves and mailboxes."""

    STATUS_CHANGED = "status_changed", "Status changed"
    STATUS_WITHDRAWN = "status_withdrawn", "Announced status change withdrawn"
    STATUS_CORRECTED = "status_corrected", "Status record corrected"
    GROUP_ADDED = "group_added", "Group added"
    GROUP_REPLACED = "group_replaced", "Group replaced"
    MAILBOX_CHANGED = "mailbox_changed", "Mailbox changed"
