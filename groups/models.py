"""The programme's governance structure: levels, workstreams, mailboxes and groups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from .enums import Attendance, Kind, NoteKind, Status
from .querysets import GovernanceGroupQuerySet


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class LevelManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class Level(models.Model):
    """A level of the hierarchy: 1 Sponsor, 2 Steering Group, 3 Advisory, 4 Working."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    objects = LevelManager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=4), name="level_number_1_to_4"
            )
        ]

    def __str__(self):
        return f"Level {self.number}: {self.title}"

    def natural_key(self):
        return (self.number,)


class Mailbox(models.Model):
    """A programme email address and what the seed says it is for."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50)
    address = models.EmailField(unique=True)
    purpose = models.TextField()
    source = models.CharField(max_length=100, help_text="Where the seed states this address.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "mailboxes"

    def __str__(self):
        return self.address

    def natural_key(self):
        return (self.slug,)


class Workstream(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workstreams",
    )
    mailbox_note = models.TextField(
        blank=True, help_text="How the mailbox was chosen, or why there is none."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:workstream", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class GovernanceGroup(models.Model):
    """A group in the governance structure, with every fact the seed gives for it."""

    slug = models.SlugField(unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.GOVERNANCE)
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    level_note = models.CharField(
        max_length=200,
        blank=True,
        help_text='Required when there is no level: what the seed records instead (e.g. "NA").',
    )
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, null=True, blank=True, related_name="groups"
    )
    workstream_note = models.CharField(
        max_length=300, blank=True, help_text="Required when there is no workstream: why."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    purpose = models.TextField(blank=True)
    attendees = models.TextField(blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices)
    decision_making = models.BooleanField()
    constituency_representatives = models.BooleanField(
        default=False, help_text="Members include nominated constituency representatives."
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    status_note = models.CharField(max_length=300, blank=True)
    status_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the status is as the seed gives it."
    )
    timeframe = models.CharField(max_length=100, blank=True)
    replaced_by = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="replaces"
    )
    replacement_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GovernanceGroupQuerySet.as_manager()

    class Meta:
        ordering = [F("level__number").asc(nulls_last=True), "name"]
        permissions = [("change_group_status", "Can change a group's status and status note")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=False) | ~Q(level_note=""),
                name="group_level_or_level_note",
            ),
            models.CheckConstraint(
                condition=Q(workstream__isnull=False) | ~Q(workstream_note=""),
                name="group_workstream_or_note",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="group_not_own_parent"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="group_status_valid"
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        """Save, recording a status change however it is made (admin, shell or code).

        The user who made it is taken from ``_changed_by`` where the caller sets it.
        """
        previous = getattr(self, "_stored_status", None)
        changed = previous is not None and previous != self.status
        if changed:
            self.status_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "status_changed_at"}
        super().save(*args, **kwargs)
        if changed:
            StatusChange.objects.create(
                group=self,
                changed_at=self.status_changed_at,
                changed_by=getattr(self, "_changed_by", None),
                from_status=previous,
                to_status=self.status,
                note=self.status_note,
            )
        self._stored_status = self.status

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])

    def get_calendar_url(self):
        return reverse("meetings:group_ical", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def display_name(self):
        """The name as the seed writes it, with the acronym in brackets where there is one."""
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def level_label(self):
        if self.level_id is None:
            return self.level_note
        return f"Level {self.level.number}"

    @property
    def is_meeting_regularly(self):
        return self.status == Status.MOBILISED

    def ancestors(self):
        """Parents from the nearest up; stops if a cycle is met."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self):
        super().clean()
        if self.level_id is None and not self.level_note:
            raise ValidationError(
                {"level_note": "Give a level, or record what the source document says."}
            )
        if self.workstream_id is None and not self.workstream_note:
            raise ValidationError(
                {"workstream_note": "Give a workstream, or say why there is none."}
            )
        chain = [self.parent, *self.parent.ancestors()] if self.parent_id is not None else []
        if self.pk is not None and any(node.pk == self.pk for node in chain):
            raise ValidationError({"parent": "This parent would make the hierarchy a loop."})


class StatusChange(models.Model):
    """One change of a group's status: who, when, from, to, and the note."""

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, related_name="status_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_changes",
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.group.short_name}: {self.from_status} → {self.to_status}"


class SourceNote(models.Model):
    """Where the seed's two sources differ, say one thing only, or where a fact was inferred."""

    slug = models.SlugField(unique=True, max_length=80)
    group = models.ForeignKey(
        GovernanceGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_notes",
    )
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    fact = models.CharField(max_length=100, help_text='The fact concerned, e.g. "end time".')
    primary_source = models.CharField(max_length=100, blank=True)
    primary_statement = models.TextField(blank=True)
    other_source = models.CharField(max_length=100, blank=True)
    other_statement = models.TextField(blank=True)
    explanation = models.TextField()

    objects = SlugManager()

    class Meta:
        ordering = ["kind", "slug"]

    def __str__(self):
        return self.slug

    def natural_key(self):
        return (self.slug,)


class DataVersion(models.Model):
    """A single row bumped on every change to the directory's data.

    Read in one cheap query, it keys ETags, Last-Modified and the footer's date.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"v{self.version} at {self.changed_at:%Y-%m-%d %H:%M}"
