"""What meetings produce: their documents, decisions and actions, and when papers are due."""

import re
import uuid
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Versioned, clock_now
from groups.models import GovernanceGroup

from .enums import ActionStatus, DecisionStatus, DocumentKind
from .files import safe_name, sniff
from .schedule import meets_on

# A decision's reference: the deciding group's acronym, the year, a sequence (PSG-2027-001).
DECISION_REFERENCE = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]{4}-[0-9]{3,}$")


def reference_prefix(group) -> str:
    """The group's part of a reference: its acronym in capitals and digits only."""
    return re.sub(r"[^A-Z0-9]", "", (group.acronym or group.slug).upper()) or "MHHS"


class MeetingRecord(Versioned):
    """What a group's meeting on one UK date produced, and how to join it.

    The meeting itself is an occurrence of the group's schedule (a series, a moved meeting
    or a one-off meeting); this holds what the programme office adds to it.
    """

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.PROTECT, related_name="meeting_records"
    )
    date = models.DateField(help_text="The UK date of the meeting.")
    joining_details = models.TextField(
        blank=True,
        help_text="How to join, shown on the meeting's page exactly as entered (links work).",
    )

    class Meta:
        ordering = ["-date", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date"], name="record_unique_meeting")
        ]

    def __str__(self):
        return f"{self.group.short_name} meeting of {self.date:%-d %B %Y}"

    def clean(self):
        """A new record, or one moved to another group or date, needs a meeting that day. A
        record kept since its meeting left the schedule may still be edited."""
        super().clean()
        stored = (
            MeetingRecord.objects.filter(pk=self.pk).values_list("group_id", "date").first()
            if self.pk
            else None
        )
        moved = stored != (self.group_id, self.date)
        if moved and self.group_id and self.date and not meets_on(self.group, self.date):
            raise ValidationError(
                {
                    "date": f"{self.group.short_name} has no meeting on {self.date:%A %-d %B %Y}"
                    ": choose the date of one of its meetings (a moved meeting's new date)."
                }
            )

    def get_absolute_url(self):
        return reverse("records:meeting", args=[self.group.slug, f"{self.date:%Y-%m-%d}"])


def document_upload_to(document, filename):
    """An unguessable folder per upload, so no file is ever overwritten or enumerated."""
    return f"documents/{uuid.uuid4().hex}/{filename}"


class Document(Versioned):
    """A meeting's agenda, papers, headline report, minutes or other document."""

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to=document_upload_to,
        max_length=300,
        help_text="PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV or plain text, up "
        "to 25 MB. The type is read from the file's content.",
    )
    original_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=120, editable=False)
    size = models.PositiveBigIntegerField(editable=False, default=0)
    publish_at = models.DateTimeField(
        "public from",
        default=clock_now,
        help_text="UK time. Participants see the document from then on; until then it is "
        "visible only here. Now, unless you say otherwise.",
    )

    class Meta:
        ordering = ["record", "kind", "publish_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def is_public(self, now) -> bool:
        return self.publish_at <= now

    @property
    def has_new_file(self) -> bool:
        """Whether ``file`` is an upload not yet in storage."""
        return bool(self.file) and not self.file._committed

    def clean(self):
        super().clean()
        if self.has_new_file:
            try:
                sniffed = sniff(self.file.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
            self.original_name = safe_name(self.file.name, sniffed.extension)
            self.file.name = self.original_name
            self.content_type = sniffed.content_type
            self.size = self.file.size

    def get_absolute_url(self):
        record = self.record
        return reverse(
            "records:document", args=[record.group.slug, f"{record.date:%Y-%m-%d}", self.pk]
        )


class PublicationDeadlines(models.Model):
    """When a group's documents are due, in working days (England and Wales) from the
    meeting. A group without a row has the defaults; a blank means the group does not
    publish that kind of document."""

    group = models.OneToOneField(
        GovernanceGroup, on_delete=models.CASCADE, related_name="publication_deadlines"
    )
    agenda_before = models.PositiveSmallIntegerField(
        "agenda: working days before", default=5, null=True, blank=True
    )
    papers_before = models.PositiveSmallIntegerField(
        "papers: working days before", default=5, null=True, blank=True
    )
    headline_report_after = models.PositiveSmallIntegerField(
        "headline report: working days after", default=2, null=True, blank=True
    )
    minutes_after = models.PositiveSmallIntegerField(
        "minutes: working days after", default=5, null=True, blank=True
    )

    class Meta:
        verbose_name_plural = "publication deadlines"

    def __str__(self):
        return f"Publication deadlines of {self.group.short_name}"


class Decision(Versioned):
    """A decision made through programme governance, with its reference for life."""

    reference = models.CharField(max_length=40, unique=True, editable=False)
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    record = models.ForeignKey(
        MeetingRecord,
        verbose_name="meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text="The meeting that made it, if it was made at one.",
    )
    date = models.DateField(help_text="The UK date it was made.")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    rationale = models.TextField()
    recommended_by = models.ForeignKey(
        GovernanceGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text="A working group whose recommendation this decision took: a working "
        "group's outcome is recorded as its advisory group's decision.",
    )
    status = models.CharField(
        max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.MADE
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    published_at = models.DateTimeField(
        "published",
        null=True,
        blank=True,
        help_text="UK time. Blank: a draft, seen only here. A published decision is never "
        "deleted: withdraw it instead.",
    )

    class Meta:
        ordering = ["-date", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "sequence"], name="decision_sequence_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.SUPERSEDED) | Q(superseded_by__isnull=False),
                name="decision_superseded_names_successor",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("records:decision", args=[self.reference])

    def get_challenge_url(self):
        """The route finder, asked how to challenge this decision."""
        return f"{reverse('escalations:route')}?{urlencode({'decision': self.reference})}"

    def is_published(self, now) -> bool:
        return self.published_at is not None and self.published_at <= now

    def clean(self):
        super().clean()
        errors = {}
        group = self.group if self.group_id else None
        if group is not None and not group.decision_making:
            parent = group.parent.short_name if group.parent_id else "the group it reports to"
            errors["group"] = (
                f"{group.short_name} does not make decisions. Record its outcome as a "
                f"decision of {parent}, with {group.short_name} as the group that recommended it."
            )
        if self.recommended_by_id and self.recommended_by_id == self.group_id:
            errors["recommended_by"] = "A group does not recommend to itself: leave this blank."
        if self.record_id and group is not None:
            if self.record.group_id != self.group_id:
                errors["record"] = f"Choose a meeting of {group.short_name}."
            elif self.date and self.record.date != self.date:
                errors["date"] = f"The meeting was on {self.record.date:%-d %B %Y}."
        if self.status == DecisionStatus.SUPERSEDED and not self.superseded_by_id:
            errors["superseded_by"] = "Say which decision superseded it."
        if self.superseded_by_id and self.status != DecisionStatus.SUPERSEDED:
            errors["status"] = "A decision superseded by another has the status Superseded."
        if self.superseded_by_id and self.pk and self.superseded_by_id == self.pk:
            errors["superseded_by"] = "A decision cannot supersede itself."
        if errors:
            raise ValidationError(errors)


class Action(Versioned):
    """An action a meeting set: who owns it, when it is due, whether it is done."""

    reference = models.CharField(max_length=40, unique=True, editable=False)
    record = models.ForeignKey(
        MeetingRecord, verbose_name="meeting", on_delete=models.PROTECT, related_name="actions"
    )
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="An organisation or a role, not a person.")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        ordering = ["record", "sequence"]

    def __str__(self):
        return self.reference or "New action"

    def is_overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due is not None and self.due < today
