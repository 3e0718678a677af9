from django.db import models


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
