"""Writes of meeting records: references given once, files never orphaned."""

from django.db import transaction
from django.db.models import Max

from .models import Action, Decision, Document, reference_prefix


def _next_sequence(queryset) -> int:
    return (queryset.aggregate(last=Max("sequence"))["last"] or 0) + 1


@transaction.atomic
def decision_save(*, decision: Decision, by) -> Decision:
    """Validate and save a decision; a new one gets its reference (PSG-2027-001): the
    group's acronym, the year it was made and the next number of that group's year."""
    if decision.pk is None:
        decision.year = decision.date.year
        decision.sequence = _next_sequence(
            Decision.objects.filter(group=decision.group, year=decision.year)
        )
        decision.reference = (
            f"{reference_prefix(decision.group)}-{decision.year}-{decision.sequence:03d}"
        )
    decision.updated_by = by
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def action_save(*, action: Action, by) -> Action:
    """Validate and save an action; a new one gets its reference (PSG-2027-A001)."""
    if action.pk is None:
        record = action.record
        action.year = record.date.year
        action.sequence = _next_sequence(
            Action.objects.filter(record__group=record.group, year=action.year)
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


def decision_may_delete(*, decision: Decision, user, now) -> bool:
    """Only a superuser deletes a published decision; the programme office withdraws it."""
    return user.is_superuser or not decision.is_published(now)
