"""Meeting series and the changes made to single meetings."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import NaturalKeyManager, NaturalKeyMixin, Versioned
from core.validators import no_control_characters
from groups.models import GovernanceGroup
from groups.provenance import INFERRED_LEAD

from .enums import Frequency, Ordinal, Source, Weekday
from .recurrence import rrule_text
from .validators import series_validate_occurrence_date


class MeetingSeriesQuerySet(models.QuerySet):
    def regular(self):
        """Series that give regular meetings: those with a rule of dates.

        The one statement of which series meet: the calendar, the group pages and the feeds
        expand only these, on the dates their group's status history lets it meet
        (``GovernanceGroup.meeting_periods``), so the feed and the calendar agree.
        """
        return self.exclude(frequency=Frequency.AD_HOC)

    def current(self, today):
        """Series still in force on ``today``: the schedules a group's pages show."""
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


class MeetingSeries(NaturalKeyMixin, Versioned):
    """A group's regular meeting: its rule, its local times, and the seed's own words."""

    NATURAL_KEY = ("group__slug", "slug")

    group = models.ForeignKey(GovernanceGroup, on_delete=models.CASCADE, related_name="series")
    slug = models.SlugField(help_text="Unique within the group; part of the feed's UID.")
    title = models.CharField(
        max_length=200,
        blank=True,
        validators=[no_control_characters],
        help_text="Where a group has more than one series.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    ordinal = models.SmallIntegerField(choices=Ordinal.choices, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    anchor_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True, help_text="UK local time.")
    end_time = models.TimeField(null=True, blank=True, help_text="UK local time.")
    schedule_text = models.CharField(max_length=200, help_text="Exactly as the seed writes it.")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OVERVIEW)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    held_slot = models.BooleanField(
        default=False,
        help_text="A slot held for meetings called when needed: while the group is ad hoc, "
        "its dates show as tentative on the calendar and in the feeds.",
    )
    known_from = models.DateField(
        null=True,
        blank=True,
        help_text="No meeting of the series is shown before this UK date. Setting it records "
        "that the programme office set it, on today's date.",
    )
    known_from_set_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the programme office set the known-from date; blank: it is the "
        "directory's inference (see its basis).",
    )
    known_from_basis = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why the directory assumes the known-from date, while nobody has set it.",
    )
    dates_inferred = models.TextField(
        blank=True,
        help_text="Why the series' dates rest on an inference: while set, its meetings are "
        "tentative with this note, until the programme office confirms the first date.",
    )
    dates_confirmed_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the programme office confirmed the series' first date.",
    )
    slot_note = models.TextField(
        blank=True, help_text="Shown on each date of the held slot: what the source says of it."
    )
    attendance_not_stated = models.BooleanField(
        default=False,
        help_text="The source does not say who attends this series (it may not be the group's "
        "attendance).",
    )

    objects = NaturalKeyManager.from_queryset(MeetingSeriesQuerySet)()

    class Meta:
        ordering = ["group__slug", "order", "pk"]
        verbose_name_plural = "meeting series"
        permissions = [
            ("confirm_series_dates", "Can confirm a series' first date and known-from date")
        ]
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="series_slug_unique_in_group"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="series_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True)
                | Q(ordinal=-1)
                | (Q(ordinal__gte=1) & Q(ordinal__lte=4)),
                name="series_ordinal_range",
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6),
                name="series_weekday_range",
            ),
            models.CheckConstraint(
                condition=~Q(frequency=Frequency.MONTHLY)
                | (
                    Q(ordinal__isnull=False)
                    & Q(weekday__isnull=False)
                    & Q(start_time__isnull=False)
                    & Q(end_time__isnull=False)
                ),
                name="series_monthly_complete",
            ),
            models.CheckConstraint(
                condition=~Q(frequency=Frequency.EVERY_N_WEEKS)
                | (
                    Q(interval_weeks__gte=1)
                    & Q(anchor_date__isnull=False)
                    & Q(start_time__isnull=False)
                    & Q(end_time__isnull=False)
                ),
                name="series_every_n_weeks_complete",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="series_valid_until_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.group.short_name}: {self.display_title}"

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["groups.governancegroup"]

    @property
    def display_title(self):
        return self.title or self.group.display_name

    @property
    def has_rule(self):
        """Whether the series has a rule of dates (an ad hoc series has none)."""
        return self.frequency != Frequency.AD_HOC

    @property
    def rrule(self):
        """The iCalendar RRULE text, one ordinal per rule, or None for ad hoc series: the
        rule the calendar and the JSON expand too (``recurrence.rrule_text``)."""
        return rrule_text(self)

    @property
    def rule_in_words(self):
        if self.frequency == Frequency.MONTHLY:
            ordinal = Ordinal(self.ordinal).label.lower()
            return f"{ordinal} {Weekday(self.weekday).label} of each month"
        if self.frequency == Frequency.EVERY_N_WEEKS:
            every = (
                "every week" if self.interval_weeks == 1 else f"every {self.interval_weeks} weeks"
            )
            return f"{every} on {Weekday(self.anchor_date.weekday()).label}"
        return "ad hoc, no regular schedule"

    @property
    def schedule_in_words(self):
        """ "1st Wednesday of each month, 10:00 to 12:00" (UK time)."""
        if not self.has_rule:
            return self.rule_in_words
        return f"{self.rule_in_words}, {self.start_time:%H:%M} to {self.end_time:%H:%M}"

    @property
    def is_tentative(self):
        """Whether the series' dates rest on an inference nobody has confirmed."""
        return bool(self.dates_inferred)

    @property
    def rests_on_inference(self):
        """Whether the series' dates rest on something the source does not state: a
        known-from date nobody has set, or an anchor nobody has confirmed."""
        assumed_start = self.starts_at_known_from and not self.known_from_set_on
        return assumed_start or self.is_tentative

    @property
    def starts_at_known_from(self):
        """Whether the known-from date, not the series' own first date (an anchor on or
        after it, as GLIG's), decides where its meetings begin."""
        if not self.has_rule or self.known_from is None:
            return False
        return not (self.anchor_date and self.anchor_date >= self.known_from)

    @property
    def known_from_text(self) -> str:
        """Where the known-from date comes from, in plain words; "" when there is none."""
        if not (self.starts_at_known_from or (self.has_rule and self.known_from_set_on)):
            return ""
        day = f"{self.known_from:%-d %B %Y}"
        if self.known_from_set_on:
            return (
                f"Meetings listed from {day}: set by the programme office on "
                f"{self.known_from_set_on:%-d %B %Y}."
            )
        basis = f" because {self.known_from_basis}" if self.known_from_basis else ""
        return f"{INFERRED_LEAD} meetings from {day}{basis}; no earlier date is shown."

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "The meeting must end after it starts."
        if self.frequency == Frequency.MONTHLY:
            for field in ("ordinal", "weekday", "start_time", "end_time"):
                if getattr(self, field) is None:
                    errors[field] = "A monthly series needs this."
        if self.frequency == Frequency.EVERY_N_WEEKS:
            for field in ("interval_weeks", "anchor_date", "start_time", "end_time"):
                if not getattr(self, field):
                    errors[field] = "A series every N weeks needs this."
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "The series must end on or after the day it starts."
        if errors:
            raise ValidationError(errors)


class Cancellation(Versioned):
    """One occurrence of a series that will not take place."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="cancellations"
    )
    date = models.DateField(help_text="The date of the occurrence, UK local.")
    note = models.CharField(max_length=300, blank=True, validators=[no_control_characters])

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="cancellation_unique_date")
        ]

    def __str__(self):
        return f"{self.series} cancelled on {self.date:%d %b %Y}"

    def clean(self):
        super().clean()
        if self.series_id and self.date:
            series_validate_occurrence_date(series=self.series, day=self.date, field="date")
            if self.series.moves.filter(original_date=self.date).exists():
                raise ValidationError(
                    {
                        "date": f"The meeting of {self.date:%-d %B %Y} has been moved; withdraw "
                        "the move first, or change the moved meeting instead of cancelling it."
                    }
                )


class TimedMeeting(Versioned):
    """A meeting at a set time: a moved occurrence or a one-off meeting."""

    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True, validators=[no_control_characters])

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="%(class)s_end_after_start"
            )
        ]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The meeting must end after it starts."})


class Move(TimedMeeting):
    """One occurrence of a series moved to another time."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="moves")
    original_date = models.DateField(help_text="The date it would have been held, UK local.")

    class Meta(TimedMeeting.Meta):
        ordering = ["original_date"]
        constraints = [
            *TimedMeeting.Meta.constraints,
            models.UniqueConstraint(fields=["series", "original_date"], name="move_unique_date"),
        ]

    def __str__(self):
        return f"{self.series} of {self.original_date:%d %b %Y} moved"

    def clean(self):
        super().clean()
        if self.series_id and self.original_date:
            series_validate_occurrence_date(
                series=self.series, day=self.original_date, field="original_date"
            )
            if self.series.cancellations.filter(date=self.original_date).exists():
                raise ValidationError(
                    {
                        "original_date": f"The meeting of {self.original_date:%-d %B %Y} is "
                        "cancelled; withdraw the cancellation first to move it instead."
                    }
                )


class OneOffMeeting(TimedMeeting):
    """A meeting outside any series, e.g. an ad hoc meeting of an ad hoc group."""

    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.CASCADE, related_name="one_off_meetings"
    )
    title = models.CharField(max_length=200, blank=True, validators=[no_control_characters])

    class Meta(TimedMeeting.Meta):
        ordering = ["start"]
        verbose_name = "one-off meeting"

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.group.short_name} one-off meeting {local:%d %b %Y %H:%M}"

    @property
    def display_title(self):
        return self.title or self.group.display_name


def local_datetime(day, at: time) -> datetime:
    """An aware datetime for a UK local date and time."""
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())
