from django.db import models


class Status(models.TextChoices):
    """The diagram's key, plus "replaced" for a group that another took over."""

    MOBILISED = "mobilised", "Mobilised"
    MOBILISING = "mobilising", "Mobilisation in progress"
    FUTURE = "future", "To be mobilised in future"
    MAY_BE_MOBILISED = "may_be_mobilised", "May be mobilised"
    AD_HOC = "ad_hoc", "Available for any ad hoc meetings"
    REPLACED = "replaced", "Replaced"


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
    CORRECTION = "correction", "Typing error corrected"


# The statuses under which a group holds its regular meetings.
MEETS_REGULARLY = frozenset({Status.MOBILISED})

# How a group without a level (the overview's "NA") is listed beside the levels.
NO_LEVEL = "No level (NA)"
