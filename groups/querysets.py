from datetime import UTC, datetime

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

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


def status_today(group_pk, stored=""):
    """Annotations giving a group's status as it holds today, read from its
    ``StatusChange`` timeline when the query runs, so a change announced for a later date
    takes over on that date without anyone saving anything.

    ``group_pk`` refers to the group (``OuterRef("pk")`` in a query of groups,
    ``OuterRef("group")`` in one of their meetings); ``stored`` is the path to its fields
    (``""`` or ``"group__"``). ``status_today`` is the status that holds (filter on it): that
    of the latest change effective on or before today, or the stored one with none (the
    seed's, as no change has taken effect). ``status_holding`` is that change (its status, note,
    when it was recorded and the date it holds from) and ``status_coming`` the next change
    effective after today (the announced one), each one JSON object or null: two subqueries
    for seven values, as each costs the same to build whatever it returns.
    ``GovernanceGroup.status_on`` reads the same from a prefetched timeline
    (``groups.models.status_holding``); ``load_status_today`` puts these on a group.
    """
    changes = apps.get_model("groups", "StatusChange").objects
    today = ClockToday()
    holding = changes.filter(group=group_pk, effective_from__lte=today).order_by(
        "-effective_from", "-changed_at", "-pk"
    )
    coming = changes.filter(group=group_pk, effective_from__gt=today).order_by(
        "effective_from", "changed_at", "pk"
    )
    return {
        "status_today": Coalesce(Subquery(holding.values("to_status")[:1]), F(f"{stored}status")),
        "status_holding": Subquery(
            holding.values(
                change=JSONObject(
                    status="to_status", note="note", at="changed_at", since="effective_from"
                )
            )[:1],
            output_field=models.JSONField(),
        ),
        "status_coming": Subquery(
            coming.values(
                change=JSONObject(status="to_status", note="note", since="effective_from")
            )[:1],
            output_field=models.JSONField(),
        ),
    }


def _moment(text: str) -> datetime:
    """A time from a JSON object the database built: ISO 8601 with an offset (PostgreSQL)
    or as SQLite stores it, in UTC without one."""
    moment = parse_datetime(text)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def load_status_today(group, holding: dict | None, coming: dict | None) -> None:
    """Put on group the status that holds today and the one announced (``status_today``'s
    ``status_holding`` and ``status_coming``): ``status``, ``status_note`` and
    ``status_changed_at`` those of the change that holds, if one does (the stored ones
    otherwise), ``status_since`` the date it holds from, and ``next_status``,
    ``next_status_from`` and ``next_status_note`` the announced change's, or None."""
    if holding:
        group.status, group.status_note = holding["status"], holding["note"]
        group.status_changed_at = _moment(holding["at"])
        group.status_since = parse_date(holding["since"])
    else:
        group.status_since = None
    group.next_status = coming["status"] if coming else None
    group.next_status_from = parse_date(coming["since"]) if coming else None
    group.next_status_note = coming["note"] if coming else None


class StatusTodayIterable(ModelIterable):
    """Groups whose ``status``, ``status_note`` and ``status_changed_at`` are those that
    hold today, from their status timeline (see ``status_today``)."""

    def __iter__(self):
        for group in super().__iter__():
            load_status_today(group, group.status_holding, group.status_coming)
            yield group


class GroupStatusTodayIterable(ModelIterable):
    """Rows whose ``group`` (a ``select_related``) carries the status that holds today,
    as a group read through ``GovernanceGroup.objects`` does."""

    def __iter__(self):
        for row in super().__iter__():
            load_status_today(row.group, row.group_status_holding, row.group_status_coming)
            yield row


def with_group_status_today(queryset):
    """``queryset`` of things with a ``group`` (selected with it), each group carrying
    the status, note and announced change of today, not the stored ones a
    ``select_related`` gives; in the same query."""
    clone = queryset.select_related("group").annotate(
        **{
            f"group_{name}": expression
            for name, expression in status_today(OuterRef("group"), "group__").items()
        }
    )
    clone._iterable_class = GroupStatusTodayIterable
    return clone


class GovernanceGroupQuerySet(models.QuerySet):
    def with_status_today(self):
        """Each group's status as it holds today (``status_today``). Loaded groups carry
        today's values in ``status``, ``status_note`` and ``status_changed_at``; filter on
        ``status_today``."""
        clone = self.annotate(**status_today(OuterRef("pk")))
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
    """Every group read through it carries the status that holds today.

    Resolving the subqueries of ``status_today`` costs about a millisecond, and every query
    of groups starts here: the manager resolves them once, for its database, and each query
    starts from a copy (``all()``). The annotations hold no date (``ClockToday`` reads the
    clock when a query runs), so a copy made at any time asks about the right day."""

    def __init__(self):
        super().__init__()
        self._with_status_today = {}

    def get_queryset(self):
        resolved = self._with_status_today.get((self.model, self._db))
        # A manager with hints (``db_manager(hints=...)``) passes them to its query: its
        # own, not kept for the others that share this dictionary.
        if resolved is None or self._hints:
            resolved = super().get_queryset().with_status_today()
            if not self._hints:
                self._with_status_today[self.model, self._db] = resolved
        return resolved.all()
