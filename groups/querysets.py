from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable

from core import clock
from core.models import NaturalKeyManager


class ClockToday(Value):
    """Today's UK date from the project's clock, read when the query runs (not when it
    is built), so a queryset built at import time still asks about the right day."""

    def __init__(self):
        super().__init__(None, output_field=models.DateField())

    @property
    def value(self):
        return clock.today()

    @value.setter
    def value(self, _):
        pass  # always the clock's


class StatusTodayIterable(ModelIterable):
    """Groups whose ``status``, ``status_note`` and ``status_changed_at`` are those that
    hold today, from their status timeline (see ``with_status_today``)."""

    def __iter__(self):
        for group in super().__iter__():
            group.status = group.status_today
            group.status_note = group.status_note_today
            group.status_changed_at = group.status_changed_at_today
            yield group


class GovernanceGroupQuerySet(models.QuerySet):
    def with_status_today(self):
        """Each group's status as it holds today, read from its ``StatusChange`` timeline
        at query time, so a change announced for a later date takes over on that date
        without anyone saving anything.

        The latest change effective on or before today gives the status, its note, the
        date it holds from (``status_since``) and when it was recorded; with none, the
        stored values hold (the seed's, as no change has taken effect). The next change
        effective after today is the announced one (``next_status``, ``next_status_from``,
        ``next_status_note``). Loaded groups carry today's values in ``status``,
        ``status_note`` and ``status_changed_at``; filter on ``status_today``.
        """
        changes = self.model._meta.get_field("status_changes").related_model.objects
        today = ClockToday()
        holding = changes.filter(group=OuterRef("pk"), effective_from__lte=today).order_by(
            "-effective_from", "-changed_at", "-pk"
        )
        coming = changes.filter(group=OuterRef("pk"), effective_from__gt=today).order_by(
            "effective_from", "changed_at", "pk"
        )
        clone = self.annotate(
            status_today=Coalesce(Subquery(holding.values("to_status")[:1]), F("status")),
            status_note_today=models.Case(
                models.When(Exists(holding), then=Subquery(holding.values("note")[:1])),
                default=F("status_note"),
            ),
            status_changed_at_today=models.Case(
                models.When(Exists(holding), then=Subquery(holding.values("changed_at")[:1])),
                default=F("status_changed_at"),
            ),
            status_since=Subquery(holding.values("effective_from")[:1]),
            next_status=Subquery(coming.values("to_status")[:1]),
            next_status_from=Subquery(coming.values("effective_from")[:1]),
            next_status_note=Subquery(coming.values("note")[:1]),
        )
        clone._iterable_class = StatusTodayIterable
        return clone

    def with_basics(self):
        """What every listing shows: level, workstream (with its mailbox) and parent."""
        return self.select_related("level", "workstream__mailbox", "parent")

    def for_directory(self):
        """Rows of the directory, the org chart and the JSON list (which add schedules)."""
        return self.with_basics().prefetch_related(
            Prefetch("children", queryset=self.model.objects.order_by("name")),
            "source_notes",  # which facts are inferred (``GovernanceGroup.provenance``)
        )


class GovernanceGroupManager(NaturalKeyManager.from_queryset(GovernanceGroupQuerySet)):
    """Every group read through it carries the status that holds today."""

    def get_queryset(self):
        return super().get_queryset().with_status_today()
