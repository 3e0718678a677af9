"""Writes of meeting records: references given once, files never orphaned, published
decisions kept."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from core import clock
from groups.changelog import stored_row

from . import changes
from .enums import ReferenceKind
from .models import Action, Decision, Document, ReferenceCounter, RemovedDecision, reference_prefix


def _next_sequence(*, group, year, kind, stored) -> int:
    """The next number of a group's year: its counter row, locked until the caller's
    transaction ends, moves on by one (past any number ``stored`` already holds, say from a
    fixture), so two saves at once never get the same number and a number given once is
    never given again, even after a deletion. Gaps are allowed."""
    ReferenceCounter.objects.get_or_create(group=group, year=year, kind=kind)
    counter = ReferenceCounter.objects.select_for_update().get(group=group, year=year, kind=kind)
    counter.last = max(counter.last, stored.aggregate(last=Max("sequence"))["last"] or 0) + 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def decision_save(*, decision: Decision, by) -> Decision:
    """Validate and save a decision, and log it once public; a new one gets its reference
    (PSG-2027-001): the group's acronym, the year it was made and the next number of that
    group's year."""
    if decision.pk is None:
        decision.year = decision.date.year
        decision.sequence = _next_sequence(
            group=decision.group,
            year=decision.year,
            kind=ReferenceKind.DECISION,
            stored=Decision.objects.filter(group=decision.group, year=decision.year),
        )
        decision.reference = (
            f"{reference_prefix(decision.group)}-{decision.year}-{decision.sequence:03d}"
        )
    decision.updated_by = by
    decision.full_clean()
    before = stored_row(decision)
    decision.save()
    changes.decision_logged(before=before, decision=decision, now=clock.now())
    return decision


def decision_may_delete(*, decision: Decision, user, now) -> bool:
    """Only a superuser deletes a published decision; the programme office withdraws it."""
    return getattr(user, "is_superuser", False) or not decision.is_published(now)


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    """Delete a decision. One never public simply goes; a published one only by a
    superuser: its reference is kept as removed (its page answers 410, the number is never
    given again) and its change-log entries keep their place with its title replaced."""
    now = clock.now()
    if not decision_may_delete(decision=decision, user=by, now=now):
        raise PermissionDenied(
            f"{decision.reference} is published: withdraw it, or mark it superseded, instead."
        )
    if decision.is_published(now):
        RemovedDecision.objects.create(
            reference=decision.reference,
            group=decision.group,
            removed_at=now,
            removed_by=by if by is not None and by.pk else None,
        )
        changes.decision_removed(decision=decision, now=now)
    decision.delete()


@transaction.atomic
def action_save(*, action: Action, by) -> Action:
    """Validate and save an action; a new one gets its reference (PSG-2027-A001)."""
    if action.pk is None:
        record = action.record
        action.year = record.date.year
        action.sequence = _next_sequence(
            group=record.group,
            year=action.year,
            kind=ReferenceKind.ACTION,
            stored=Action.objects.filter(record__group=record.group, year=action.year),
        )
        action.reference = f"{reference_prefix(record.group)}-{action.year}-A{action.sequence:03d}"
    action.updated_by = by
    action.full_clean()
    action.save()
    return action


def document_save(*, document: Document, by) -> Document:
    """Validate and save a document. A new file is stored by the save; if the save then
    fails (a stale edit, say) the file is removed again, so none is left orphaned."""
    document.full_clean()
    new_file = document.has_new_file
    document.updated_by = by
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        if new_file and document.file._committed and document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document
