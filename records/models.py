"""What meetings produce: their documents, decisions and actions, and when papers are due."""

import re
import uuid
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import clock
from core.models import Versioned, clock_now
from core.validators import no_control_characters
from groups.models import GovernanceGroup
from meetings.meeting_days import meets_on

from .enums import ActionStatus, DecisionStatus, DocumentKind, ReferenceKind
from .files import safe_name, sniff

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
    title = models.CharField(max_length=200, validators=[no_control_characters])
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
    first_published = models.DateField(
        "first published",
        null=True,
        blank=True,
        help_text="The UK date it was first published, here or elsewhere: earlier than "
        "“public from” for a paper added here after the event. Blank: the day it is public "
        "here. Deadlines are judged on this date; a paper added after the event is never "
        "shown as late.",
    )

    class Meta:
        ordering = ["record", "kind", "publish_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def is_public(self, now) -> bool:
        return self.publish_at <= now

    @property
    def published_on(self) -> date:
        """The UK date it was first published, here or elsewhere."""
        return self.first_published or timezone.localdate(self.publish_at)

    @property
    def is_back_filled(self) -> bool:
        """Added here after it was first published elsewhere."""
        return self.published_on < timezone.localdate(self.publish_at)

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
        if self.publish_at is not None and self.first_published is not None:
            public_on = timezone.localdate(self.publish_at)
            if self.first_published > public_on:
                raise ValidationError(
                    {
                        "first_published": f"It is public here from {public_on:%-d %B %Y}, "
                        "so it was first published on that day or before."
                    }
                )

    def get_absolute_url(self):
        record = self.record
        return reverse(
            "records:document", args=[record.group.slug, f"{record.date:%Y-%m-%d}", self.pk]
        )


def _days_field(label, suggestion):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        help_text=f"Blank: no deadline for this kind. Suggestion (the REC portal's practice, "
        f"not applied unless you enter it): {suggestion}.",
    )


class DeadlinePolicy(Versioned):
    """When a group's documents are due, in working days (England and Wales) from the
    meeting, as the programme office sets them from a date.

    A group has no deadlines until it has a policy, and a policy judges only meetings on or
    after its date; a later policy, from a later date, takes over from it.
    """

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, related_name="deadline_policies"
    )
    effective_from = models.DateField(
        "for meetings from",
        help_text="The first meeting date these deadlines apply to: today or later. Earlier "
        "meetings keep the policy before this one, if any. To change deadlines from a date, "
        "add a new policy from that date.",
    )
    agenda_before = _days_field("agenda: working days before", 5)
    papers_before = _days_field("papers: working days before", 5)
    headline_report_after = _days_field("headline report: working days after", 2)
    minutes_after = _days_field("minutes: working days after", 5)

    class Meta:
        verbose_name = "deadline policy"
        verbose_name_plural = "deadline policies"
        ordering = ["group__name", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "effective_from"], name="deadline_policy_one_per_date"
            )
        ]

    def __str__(self):
        return f"{self.group.short_name} deadlines from {self.effective_from:%-d %B %Y}"

    @property
    def set_on(self) -> date:
        """The UK date the programme office last set it."""
        return timezone.localdate(self.updated_at)

    def clean(self):
        super().clean()
        if self.effective_from is None:
            return
        stored = (
            DeadlinePolicy.objects.filter(pk=self.pk)
            .values_list("effective_from", flat=True)
            .first()
            if self.pk
            else None
        )
        today = clock.today()
        if stored != self.effective_from and self.effective_from < today:
            raise ValidationError(
                {
                    "effective_from": f"Choose {today:%-d %B %Y} or a later date: a policy "
                    "cannot judge meetings held before it was set."
                }
            )


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
    title = models.CharField(max_length=200, validators=[no_control_characters])
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
    status_reason = models.TextField(
        "reason for the status",
        blank=True,
        help_text="Why it was withdrawn or superseded: required then, shown on its page and "
        "in the change log.",
    )
    published_at = models.DateTimeField(
        "published",
        null=True,
        blank=True,
        help_text="UK time. Blank: a draft, seen only here. Once public a decision stays "
        "public: withdraw it or mark it superseded instead.",
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
        now = clock.now()
        errors.update(self._successor_errors(now), **self._permanence_errors(now))
        if errors:
            raise ValidationError(errors)

    def _successor_errors(self, now) -> dict:
        """Only a public decision of a decision-making group supersedes: a draft's
        reference and title would otherwise show on a public page."""
        successor = self.superseded_by if self.superseded_by_id else None
        if successor is None or successor.pk == self.pk:
            return {}
        if successor.is_published(now) and successor.group.decision_making:
            return {}
        return {
            "superseded_by": f"{successor.reference} is not a published decision of a "
            "decision-making group: only a published decision can supersede another."
        }

    def _permanence_errors(self, now) -> dict:
        """A public decision stays public; leaving "Made" needs a reason, given afresh."""
        errors = {}
        stored = (
            Decision.objects.filter(pk=self.pk)
            .values("published_at", "status", "status_reason")
            .first()
            if self.pk
            else None
        )
        public = stored is not None and stored["published_at"] is not None
        if public and stored["published_at"] <= now and not self.is_published(now):
            when = timezone.localtime(stored["published_at"])
            errors["published_at"] = (
                f"Published on {when:%-d %B %Y}: a published decision stays on the register. "
                "Withdraw it, or mark it superseded, instead."
            )
        if self.status != DecisionStatus.MADE:
            status_changed = stored is None or stored["status"] != self.status
            if not self.status_reason.strip():
                errors["status_reason"] = (
                    f"Say why it is {self.get_status_display().lower()}: the reason is shown "
                    "on its page and in the change log."
                )
            elif status_changed and public and stored["status_reason"] == self.status_reason:
                errors["status_reason"] = "Give the reason for this change of status."
        return errors


class RemovedDecision(models.Model):
    """A published decision a superuser removed from the register: its page answers 410
    and its reference is never given again."""

    reference = models.CharField(max_length=40, unique=True)
    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField()
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-removed_at"]

    def __str__(self):
        return f"{self.reference}, removed {timezone.localtime(self.removed_at):%-d %B %Y}"


class ReferenceCounter(models.Model):
    """The last number given to a group's decisions (or actions) of a year. The row is
    locked while a new one is numbered and never goes down, so two saves at once get
    different numbers and a number is never given twice, not even after a deletion."""

    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=ReferenceKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "kind"], name="reference_counter")
        ]

    def __str__(self):
        return f"{self.group.short_name} {self.kind}s of {self.year}: {self.last}"


class Action(Versioned):
    """An action a meeting set: who owns it, when it is due, whether it is done."""

    reference = models.CharField(max_length=40, unique=True, editable=False)
    record = models.ForeignKey(
        MeetingRecord, verbose_name="meeting", on_delete=models.PROTECT, related_name="actions"
    )
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    description = models.TextField()
    owner = models.CharField(
        max_length=200,
        validators=[no_control_characters],
        help_text="An organisation or a role, not a person.",
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        ordering = ["record", "sequence"]

    def __str__(self):
        return self.reference or "New action"


class PendingFileRemoval(models.Model):
    """A stored file whose document is gone but whose removal from storage failed (storage
    unreachable, say): ``manage.py sweep_media --delete`` removes it later."""

    name = models.CharField(max_length=300, unique=True)
    queued_at = models.DateTimeField(default=clock_now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["queued_at", "name"]

    def __str__(self):
        return self.name
