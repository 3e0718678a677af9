"""The programme's governance structure: levels, workstreams, mailboxes and groups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import NaturalKeyManager, NaturalKeyMixin, Versioned

from .enums import HOLDS_SLOTS, MEETS_REGULARLY, Attendance, ChangeKind, Kind, NoteKind, Status
from .hierarchy import walk_up
from .periods import meeting_periods
from .querysets import GovernanceGroupQuerySet

SPONSOR_LEVEL = 1
STEERING_LEVEL = 2


class Level(NaturalKeyMixin, models.Model):
    """A level of the hierarchy: 1 Sponsor, 2 Steering Group, 3 Advisory, 4 Working."""

    NATURAL_KEY = ("number",)

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=4), name="level_number_1_to_4"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """How every page names a level: "Level 3: Advisory Groups"."""
        return f"{self.short_label}: {self.title}"

    @property
    def short_label(self):
        return f"Level {self.number}"


def role_of(user) -> str:
    """Who made a change, as the public pages say it: a role, never a username."""
    if user is None:
        return "Not recorded"
    if user.is_superuser:
        return "Administrator"
    return "Programme office"


class Mailbox(NaturalKeyMixin, Versioned):
    """A programme email address and what the seed says it is for."""

    NATURAL_KEY = ("slug",)

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50)
    address = models.EmailField(unique=True)
    purpose = models.TextField()
    source = models.CharField(max_length=100, help_text="Where the seed states this address.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "mailboxes"

    def __str__(self):
        return self.address


class Workstream(NaturalKeyMixin, models.Model):
    NATURAL_KEY = ("slug",)

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

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:workstream", args=[self.slug])


class GovernanceGroup(NaturalKeyMixin, Versioned):
    """A group in the governance structure, with every fact the seed gives for it.

    Its status changes only through ``groups.services.change_group_status``, which
    records the history; ``save()`` itself records nothing.
    """

    NATURAL_KEY = ("slug",)

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
    status_effective_from = models.DateField(
        "takes effect from",
        null=True,
        blank=True,
        help_text="The UK date a status change takes effect: meetings before it stay as they "
        "were. Blank: today. Cleared once the change is saved.",
    )
    timeframe = models.CharField(max_length=100, blank=True)
    replaced_by = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="replaces"
    )
    replacement_note = models.CharField(max_length=300, blank=True)

    objects = NaturalKeyManager.from_queryset(GovernanceGroupQuerySet)()

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

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])

    def get_calendar_url(self):
        return reverse("meetings:group_ical", args=[self.slug])

    def get_meeting_url(self, day):
        """The page of the group's meeting on a UK date: its papers, decisions, actions."""
        return reverse("records:meeting", args=[self.slug, f"{day:%Y-%m-%d}"])

    def get_meetings_url(self):
        return reverse("records:group_meetings", args=[self.slug])

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
    def level_number(self):
        return self.level.number if self.level_id else None

    @property
    def level_label(self):
        if self.level_id is None:
            return self.level_note
        return self.level.short_label

    @property
    def level_tag(self):
        """A card's first line: "Level 3", or "No level (NA)" as the overview records."""
        return self.level.short_label if self.level_id else f"No level ({self.level_note})"

    @property
    def level_sentence(self):
        """The level with its title and description, or what the source records instead."""
        if self.level_id is None:
            return f"{self.level_note} (the overview table gives no level)"
        description = f". {self.level.description}" if self.level.description else ""
        return f"{self.level.label}{description}"

    @property
    def attendance_sentence(self):
        """Who may attend, in a sentence a participant can act on."""
        if self.attendance == Attendance.OPEN:
            return "Open to all: any programme participant may attend."
        if self.constituency_representatives:
            return (
                "Closed: attendance is by membership, including nominated constituency "
                "representatives; ask your constituency representative to raise an item."
            )
        return "Closed: attendance is by membership."

    @property
    def decision_sentence(self):
        if self.decision_making:
            return "Yes: this group makes decisions."
        return "No: this group does not make governance decisions."

    @property
    def has_kind_label(self):
        """Whether listings label the kind: every kind but an ordinary governance group."""
        return self.kind != Kind.GOVERNANCE

    @property
    def reports_to_sentence(self):
        """Where a group without a parent stands, since the page says whom it reports to."""
        if self.is_sponsor:
            return "Nobody: the top of the structure."
        return "Not stated in the source document."

    @property
    def is_sponsor(self):
        return self.level_number == SPONSOR_LEVEL

    @property
    def is_meeting_regularly(self):
        return self.status in MEETS_REGULARLY

    def meeting_periods(self, statuses=MEETS_REGULARLY):
        """The spans of dates on which the group's status let it meet regularly (or was
        another of ``statuses``).

        Needs ``status_changes`` (prefetched where many groups are read): the status before
        the first change is that change's "from", and each change takes effect from its date.
        """
        changes = sorted(
            self.status_changes.all(), key=lambda c: (c.effective_from, c.changed_at, c.pk)
        )
        first = changes[0].from_status if changes else self.status
        return meeting_periods(first, [(c.effective_from, c.to_status) for c in changes], statuses)

    def slot_periods(self):
        """The spans of dates on which a held slot of the group stands (ad hoc status)."""
        return self.meeting_periods(HOLDS_SLOTS)

    def ancestors(self, groups_by_pk=None):
        """Parents from the nearest up, stopping where the parents loop.

        ``groups_by_pk`` maps pks to groups when the caller has every group loaded (no
        query); otherwise each parent is read through ``parent``.
        """
        nodes = dict(groups_by_pk or {})
        nodes[self.pk] = self

        def parent_of(pk):
            parent_id = nodes[pk].parent_id
            if parent_id is not None and parent_id not in nodes:
                nodes[parent_id] = nodes[pk].parent
            return parent_id

        return [nodes[pk] for pk in walk_up(self.pk, parent_of).chain]

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
        if self.parent_id is not None and self._parent_would_loop():
            raise ValidationError({"parent": "This parent would make the hierarchy a loop."})

    def _parent_would_loop(self):
        if self.pk is None:
            return False  # nothing can report to a group not yet stored
        parent_of = dict(GovernanceGroup.objects.values_list("pk", "parent_id"))
        parent_of[self.pk] = self.parent_id
        return walk_up(self.pk, parent_of.get).loops


class StatusChange(models.Model):
    """One change of a group's status: who, when, from, to, and the note."""

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, related_name="status_changes"
    )
    changed_at = models.DateTimeField()
    effective_from = models.DateField(help_text="The UK date from which the new status holds.")
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

    @property
    def is_note_only(self):
        return self.from_status == self.to_status

    @property
    def role(self):
        return role_of(self.changed_by)


class SourceNote(NaturalKeyMixin, models.Model):
    """Where the seed's two sources differ, say one thing only, or where a fact was inferred."""

    NATURAL_KEY = ("slug",)

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

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["kind", "slug"]

    def __str__(self):
        return self.slug


class ChangeEntry(models.Model):
    """One change a participant would want to know of, as the change log shows it.

    Written in the same transaction as the change (``groups.changelog.record_change``);
    never edited or deleted, so times taken from it never go backwards.
    """

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=30, choices=ChangeKind.choices)
    group = models.ForeignKey(
        GovernanceGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    summary = models.CharField(max_length=300)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    url = models.CharField(max_length=300, help_text="The page to read more, as a path.")
    subject = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text='What it changed, e.g. "series:psg/meeting": the feed event it belongs to.',
    )
    reschedules = models.BooleanField(
        default=False,
        help_text="It changed a meeting's dates, times or status (the feed raises SEQUENCE).",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "change entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    @property
    def role(self):
        return role_of(self.by)
