"""Who represents whom: constituencies, their seats on groups, and who holds each seat.

The source names no constituency and no person: it says only that PSG and the advisory
groups have "constituency representatives" among their attendees (the group's
``constituency_representatives``) and that a participant escalates "via their PSG
Constituency Rep" or "by contacting their SITAG Constituency Rep". The programme office
records the rest here; the directory starts with none.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from core.models import NaturalKeyManager, NaturalKeyMixin, Versioned, clock_now
from groups.enums import Status
from groups.models import GovernanceGroup

from .enums import ERASED_NAME, Role


def seat_groups():
    """The groups that can have seats: those whose attendees include constituency
    representatives (PSG and the advisory groups, as the source's attendee lists say),
    less a replaced group (TMAG, replaced by SITAG, MCAG and QAG)."""
    return GovernanceGroup.objects.filter(
        constituency_representatives=True, replaced_by=None
    ).exclude(status=Status.REPLACED)


def seat_refusal(group) -> str | None:
    """Why ``group`` cannot have seats, or None where it can."""
    if not group.constituency_representatives:
        return (
            f"{group.short_name} has no constituency members: the source lists constituency "
            "representatives only among the attendees of PSG and the advisory groups."
        )
    if group.status == Status.REPLACED or list(group.replaced_by.all()):
        return f"{group.short_name} was replaced: give the seats to the group that replaced it."
    return None


class Constituency(NaturalKeyMixin, Versioned):
    """A part of the industry that nominates representatives (e.g. "Large Supplier")."""

    NATURAL_KEY = ("slug",)

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, editable=False, help_text="From the name.")
    description = models.TextField(blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.name = " ".join(self.name.split())
        self.slug = slugify(self.name)
        if not self.slug:
            raise ValidationError({"name": "Give a name with letters or digits."})
        if Constituency.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            raise ValidationError({"name": f"A constituency already has the address {self.slug}."})

    def get_absolute_url(self):
        return reverse("representation:constituency", args=[self.slug])


class Seat(Versioned):
    """A constituency's seats on a group: how many members it has there."""

    group = models.ForeignKey(GovernanceGroup, on_delete=models.PROTECT, related_name="seats")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="seats")
    seats = models.PositiveSmallIntegerField(
        "number of seats",
        default=1,
        help_text="How many members the constituency has on the group. Alternates do not count.",
    )
    recorded_at = models.DateTimeField(default=clock_now, editable=False)

    class Meta:
        ordering = ["constituency__name", "group__level__number", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "constituency"], name="seat_unique"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="seat_at_least_one"),
        ]

    def __str__(self):
        return f"{self.group.short_name} seats for {self.constituency.name}"

    def clean(self):
        super().clean()
        if self.group_id is not None:
            refusal = seat_refusal(self.group)
            if refusal:
                raise ValidationError({"group": refusal})

    def get_absolute_url(self):
        return f"{self.constituency.get_absolute_url()}#{self.group.slug}"


class Person(Versioned):
    """A representative, by name (names are public; no personal contact is kept). A
    superuser erases a name on request: it reads "Name removed on request" everywhere."""

    name = models.CharField(max_length=200)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "representative"
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(erased_at=None), name="person_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        return ERASED_NAME if self.is_erased else self.name


class Membership(Versioned):
    """Who holds a seat, from a date and possibly to one (the last day held). An ended
    membership stays, dated: the seat's history."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    alternate_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alternates",
        help_text="For an alternate: the member they stand in for (same seat).",
    )
    start = models.DateField("from")
    end = models.DateField(
        "to", null=True, blank=True, help_text="The last day held. Blank: no end date known."
    )

    class Meta:
        ordering = ["seat", "role", "start", "pk"]
        permissions = [("import_representatives", "Can import representatives from a spreadsheet")]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "person", "role", "start"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(end=None) | Q(end__gte=models.F("start")), name="membership_dates"
            ),
        ]

    def __str__(self):
        return f"{self.person.display_name}, {self.get_role_display().lower()} for {self.seat}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The term cannot end before it starts."})
        if self.role == Role.MEMBER and self.alternate_for_id is not None:
            raise ValidationError({"alternate_for": "Only an alternate stands in for a member."})
        if self.role == Role.ALTERNATE:
            member = self.alternate_for
            if member is None:
                raise ValidationError({"alternate_for": "Name the member this alternate is for."})
            if member.role != Role.MEMBER or member.seat_id != self.seat_id:
                raise ValidationError(
                    {"alternate_for": "An alternate stands in for a member of the same seat."}
                )

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def is_past(self, day: date) -> bool:
        return self.end is not None and self.end < day

    @property
    def same_organisation_as_member(self) -> bool:
        """An alternate from their member's organisation: allowed, but flagged (the REC
        Change Panel's rule is that an alternate comes from another organisation)."""
        member = self.alternate_for
        return (
            self.role == Role.ALTERNATE
            and member is not None
            and member.organisation.casefold().strip() == self.organisation.casefold().strip()
        )

    def get_absolute_url(self):
        return self.seat.get_absolute_url()


def members_at_once(terms) -> int:
    """The most of ``terms`` ((start, end or None) pairs) held on any one day."""
    events = []
    for start, end in terms:
        events.append((start, 1))
        if end is not None:
            events.append((end + timedelta(days=1), -1))
    most = held = 0
    for _day, step in sorted(events, key=lambda e: (e[0], e[1])):
        held += step
        most = max(most, held)
    return most
