"""What a subscription can ask for, and what each email it receives is."""

from django.db import models


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As it happens (one email per change)"
    DAILY = "daily", "Daily digest (07:00 UK time, the day before)"
    WEEKLY = "weekly", "Weekly digest (07:00 UK time on Mondays, the week before)"


class Topic(models.TextChoices):
    """What a subscriber hears about; every change kind belongs to exactly one
    (``follow.topics.topic_of``)."""

    MEETINGS = "meetings", "Meeting changes (cancellations, moves, one-off meetings, schedules)"
    PAPERS = "papers", "Papers (agendas, minutes and other documents published)"
    RECORDS = "records", "Decisions and actions"
    STRUCTURE = (
        "structure",
        (
            "Status and structure (status changes, groups added, replaced or renamed, "
            "mailboxes and representatives)"
        ),
    )


class Reminder(models.IntegerChoices):
    NONE = 0, "No reminder"
    ONE = 1, "1 working day before"
    TWO = 2, "2 working days before"
    FIVE = 5, "5 working days before"


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Confirmation request"
    NOTICE = "notice", "Notice of one change"
    DIGEST = "digest", "Digest"
    REMINDER = "reminder", "Meeting reminder"
