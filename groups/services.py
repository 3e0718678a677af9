"""Writes to the governance data that carry rules: a status change and its history."""

from django.db import transaction

from .models import GovernanceGroup, StatusChange


def change_group_status(*, group: GovernanceGroup, status: str, note: str, by, at):
    """Save ``group`` with ``status`` and ``note``, recording the change in its history.

    A change of status, or of the note alone, adds a ``StatusChange`` (from, to, note,
    who, when) in the same transaction as the save; saving the same status and note
    records nothing. Other fields changed on ``group`` are saved with it. The save is
    version-checked, so a stale ``group`` raises ``RecordModifiedError`` and nothing is
    written. Returns the ``StatusChange``, or None when there was none.
    """
    with transaction.atomic():
        stored_status, stored_note = (
            GovernanceGroup.objects.select_for_update()
            .values_list("status", "status_note")
            .get(pk=group.pk)
        )
        changed = (stored_status, stored_note) != (status, note)
        group.status, group.status_note = status, note
        if changed:
            group.status_changed_at = at
        group.save()
        if not changed:
            return None
        return StatusChange.objects.create(
            group=group,
            changed_at=at,
            changed_by=by,
            from_status=stored_status,
            to_status=status,
            note=note,
        )
