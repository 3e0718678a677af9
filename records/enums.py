from django.db import models

from changelog import kinds


class DocumentKind(models.TextChoices):
    """What a meeting's document is; the order is the order a meeting page lists them."""

    AGENDA = "agenda", "Agenda"
    PAPERS = "papers", "Papers"
    HEADLINE_REPORT = "headline_report", "Headline report"
    MINUTES = "minutes", "Minutes"
    OTHER = "other", "Other"


class DecisionStatus(models.TextChoices):
    MADE = "made", "Made"
    SUPERSEDED = "superseded", "Superseded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReferenceKind(models.TextChoices):
    """What a reference counter numbers."""

    DECISION = "decision", "Decision"
    ACTION = "action", "Action"


@kinds.register(kinds.Category.RECORDS)
class RecordChangeKind(models.TextChoices):
    """The change log's kinds for meeting records: documents, decisions and actions."""

    DOCUMENT_ADDED = "document_added", "Document added"
    DOCUMENT_CHANGED = "document_changed", "Document changed"
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    DECISION_PUBLISHED = "decision_published", "Decision published"
    DECISION_CHANGED = "decision_changed", "Decision changed"
    DECISION_WITHDRAWN = "decision_withdrawn", "Decision withdrawn"
    DECISION_SUPERSEDED = "decision_superseded", "Decision superseded"
    DECISION_REMOVED = "decision_removed", "Decision removed from the register"
    ACTION_ADDED = "action_added", "Action added"
    ACTION_CHANGED = "action_changed", "Action changed"
    ACTION_CLOSED = "action_closed", "Action closed"
