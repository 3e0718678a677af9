from django.db import models

from changelog import kinds


class Role(models.TextChoices):
    """How a person holds a seat: as one of its members, or as a member's alternate (who
    stands in for that member and does not count against the seats)."""

    MEMBER = "member", "Member"
    ALTERNATE = "alternate", "Alternate"


@kinds.register(kinds.Category.GOVERNANCE)
class RepresentationChange(models.TextChoices):
    """What a change-log entry about representation records (the JSON's ``kind``)."""

    CONSTITUENCY_ADDED = "constituency_added", "Constituency added"
    CONSTITUENCY_CHANGED = "constituency_changed", "Constituency changed"
    SEATS_ADDED = "seats_added", "Seats added"
    SEATS_CHANGED = "seats_changed", "Number of seats changed"
    REPRESENTATIVE_APPOINTED = "representative_appointed", "Representative appointed"
    REPRESENTATIVE_CHANGED = "representative_changed", "Representative's term changed"
    REPRESENTATIVE_ENDED = "representative_ended", "Representative's term ended"


# What every page and export shows instead of a name erased on request.
ERASED_NAME = "Name removed on request"
