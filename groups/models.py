"""The programme's governance structure: levels, workstreams, mailboxes and groups."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from core.models import NaturalKeyManager, NaturalKeyMixin, Versioned

from .enums import HOLDS_SLOTS, MEETS_REGULARLY, Attendance, Kind, NoteKind, Status
from .hierarchy import walk_up
from .periods import meeting_periods
from .provenance import FactField, Provenance, Source
from .querysets import GovernanceGroupManager

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

    def provenance(self, field: str) -> Provenance:
        """Where the workstream's mailbox (its one fact beside its name) comes from: the
        Contact Us list, or an inference (its note). Reads ``source_notes``."""
        for note in self.source_notes.all():
            if note.kind == NoteKind.INFERRED and note.field == field:
                return note.provenance
        return Provenance(field, Source.CONTACT_LIST)


class GovernanceGroup(NaturalKeyMixin, Versioned):
    """A group in the governance structure, with every fact the seed gives for it.

    Its status changes only through ``groups.services.change_group_status``, which
    records the history; ``save()`` itself records nothing. The history is a timeline:
    a group read through ``objects`` carries in ``status`` and ``status_note`` what
    holds today, and in ``scheduled_status`` the next change announced for a later date.
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
    band = models.CharField(
        max_length=50,
        blank=True,
        help_text="The diagram's band for the group where it is not its level's own, as the "
        'diagram writes it (e.g. "Level 4 Sub groups").',
    )
    source_names = models.TextField(
        blank=True,
        help_text="Other names the source document's tables give the group, one a line, as "
        "written (searchable).",
    )

    objects = GovernanceGroupManager()

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
        return self.name_with_acronym(self.name, self.acronym)

    @staticmethod
    def name_with_acronym(name: str, acronym: str) -> str:
        """The name as the seed writes it, with the acronym in brackets where there is one
        (``display_name``, for a list read as plain values)."""
        if acronym and acronym != name:
            return f"{name} ({acronym})"
        return name

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def level_number(self):
        return self.level.number if self.level_id else None

    @property
    def level_label(self):
        """The directory's Level column: the diagram's band where it draws the group in
        one (the overview table's "NA" beside it), else the level, else the table's note."""
        if self.band:
            return (
                self.band if self.level_id else f"{self.band} (overview table: {self.level_note})"
            )
        if self.level_id is None:
            return self.level_note
        return self.level.short_label

    @property
    def level_tag(self):
        """A card's first line: "Level 3", the diagram's band ("Level 4 Sub groups"), or
        "No level (NA)" as the overview records."""
        if self.band:
            return self.band
        return self.level.short_label if self.level_id else f"No level ({self.level_note})"

    @property
    def level_sentence(self):
        """The level with its title and description, or what the source records instead,
        and the diagram's band where it draws the group in one."""
        band = f" The diagram draws it in the band “{self.band}”." if self.band else ""
        if self.level_id is None:
            return f"{self.level_note} (the overview table gives no level).{band}"
        if self.band:
            return f"{self.level.short_label}.{band}"
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
    def scheduled_status(self) -> "ScheduledStatus | None":
        """The next status change announced for a later date, or None (read through
        ``objects``, which annotates it)."""
        status = getattr(self, "next_status", None)
        if status is None:
            return None
        return ScheduledStatus(status, self.next_status_from, self.next_status_note or "")

    def provenance(self, field: str) -> Provenance:
        """Where one of the group's facts (a ``FactField``) comes from: set by the
        programme office on a date, inferred (with the note giving the reason), or stated
        in the source document. Reads ``source_notes`` (prefetch them for many groups)."""
        if field == FactField.STATUS and self.status_changed_at:
            on = timezone.localdate(self.status_changed_at)
            return Provenance(field, Source.PROGRAMME_OFFICE, on=on)
        note = self.inferred_notes.get(field)
        if note is not None:
            return note.provenance
        return Provenance(field, Source.OVERVIEW if self.in_overview else Source.DIAGRAM)

    @cached_property
    def inferred_notes(self) -> dict:
        """Field name -> the source note of each fact the directory infers for the group.

        A status the programme office has set, or that the group's page states as "not
        stated", is not an inference, whatever the seed's notes said of the seed's value.
        """
        notes = {}
        for note in self.source_notes.all():
            if note.kind == NoteKind.INFERRED and note.field:
                notes.setdefault(note.field, note)
        if self.status_changed_at or self.status == Status.NOT_STATED:
            notes.pop(FactField.STATUS, None)
        return notes

    @property
    def inferred_fields(self) -> list[str]:
        """The names of the fields whose values the source does not state (the JSON's
        ``inferred``), in ``FactField`` order."""
        return [field for field in FactField.values if field in self.inferred_notes]

    @property
    def inferences(self) -> list[Provenance]:
        return [self.inferred_notes[field].provenance for field in self.inferred_fields]

    @property
    def in_overview(self) -> bool:
        """Whether the overview table has a row for the group (else only the diagram, or
        its footnote, names it)."""
        return bool(self.attendees)

    @property
    def is_meeting_regularly(self):
        return self.status in MEETS_REGULARLY

    def status_on(self, day: date) -> tuple[str, str]:
        """(status, note) that hold on ``day``, read from the status timeline
        (``status_holding``). Needs ``status_changes`` (prefetched where many groups are
        read). For today, ``objects`` gives the same in the query (``querysets.status_today``),
        and so does ``querysets.with_group_status_today`` for a group reached through another
        model's ``select_related``."""
        return status_holding(self.status_changes.all(), day, (self.status, self.status_note))

    def meeting_periods(self, statuses=MEETS_REGULARLY):
        """The spans of dates on which the group's status let it meet regularly (or was
        another of ``statuses``).

        Needs ``status_changes`` (prefetched where many groups are read): the status before
        the first change is that change's "from", and each change takes effect from its date.
        """
        changes = ordered_changes(self.status_changes.all())
        first = first_status(changes, self.status)
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


def ordered_changes(changes) -> list["StatusChange"]:
    """Status changes in the order they take effect (then in the order recorded)."""
    return sorted(changes, key=lambda c: (c.effective_from, c.changed_at, c.pk or 0))


def first_status(changes, stored_status: str) -> str:
    """The status before the timeline's first change (``stored_status`` if there is none)."""
    ordered = ordered_changes(changes)
    return ordered[0].from_status if ordered else stored_status


def latest_effective(changes, day: date) -> "StatusChange | None":
    """The latest of ``changes`` effective on or before ``day``, or None."""
    held = [c for c in ordered_changes(changes) if c.effective_from <= day]
    return held[-1] if held else None


def status_holding(changes, day: date, stored: tuple[str, str]) -> tuple[str, str]:
    """(status, note) holding on ``day``: the latest change effective by then; before the
    first change, the ``stored`` values while they are still the first "from" (no change
    had taken effect by any save), else that status (its note is not recorded).

    ``GovernanceGroupQuerySet.with_status_today`` computes the same for today in SQL."""
    held = latest_effective(changes, day)
    if held is not None:
        return held.to_status, held.note
    ordered = ordered_changes(changes)
    if ordered and ordered[0].from_status != stored[0]:
        return ordered[0].from_status, ""
    return stored


@dataclass(frozen=True)
class ScheduledStatus:
    """A status change announced for a later date: "From 1 January 2027: Mobilised"."""

    status: str
    effective_from: date
    note: str

    @property
    def label(self):
        return Status(self.status).label

    def as_json(self) -> dict:
        return {"status": self.status, "from": self.effective_from.isoformat()}


class StatusChange(models.Model):
    """One change of a group's status: who, when, from, to, from which date, the note;
    and, for a superuser's correction of the past, why."""

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
    correction_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Set when a superuser corrected the record of the past: why.",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.group.short_name}: {self.from_status} → {self.to_status}"

    @property
    def is_correction(self):
        return bool(self.correction_reason)

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
    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_notes",
        help_text="For a note on a workstream's fact (its mailbox) rather than a group's.",
    )
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    fact = models.CharField(max_length=100, help_text='The fact concerned, e.g. "end time".')
    field = models.CharField(
        max_length=20,
        choices=FactField.choices,
        blank=True,
        help_text="The field the note is about, by its machine name (the JSON's key).",
    )
    assumption = models.CharField(
        max_length=300,
        blank=True,
        help_text='For an inference: what the directory assumes, ending "Not stated in the '
        'source: we assume …" (e.g. "PSG reports to Ofgem, the sponsor").',
    )
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

    def clean(self):
        super().clean()
        if self.kind == NoteKind.INFERRED and not (self.field and self.assumption):
            raise ValidationError(
                "An inference names the field it is about and says what is assumed."
            )

    @property
    def provenance(self) -> Provenance:
        """An inference's provenance: what is assumed, and this note for the reason."""
        return Provenance(self.field, Source.INFERRED, note=self)

    @property
    def inferences(self) -> list[Provenance]:
        """This note's inference, if it is one (as ``GovernanceGroup.inferences``)."""
        return [self.provenance] if self.kind == NoteKind.INFERRED else []
