"""Writes to the governance data that carry rules: a status change and its history."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .changelog import record_change
from .enums import MEETS_REGULARLY, ChangeKind, Status
from .models import GovernanceGroup, Mailbox, StatusChange


def status_subject(group) -> str:
    """The change-log subject of a group's status, which its feed's events follow."""
    return f"status:{group.slug}"


def change_group_status(*, group: GovernanceGroup, status: str, note: str, by, at):
    """Save ``group`` with ``status`` and ``note``, recording the change in its history.

    A change of status, or of the note alone, adds a ``StatusChange`` (from, to, note,
    who, when, from which date) and a change-log entry in the same transaction as the
    save; saving the same status and note records nothing. The change takes effect from
    ``group.status_effective_from`` (blank: the day of ``at``), so meetings before that
    date stay as they were. Other fields changed on ``group`` are saved with it. The
    save is version-checked, so a stale ``group`` raises ``RecordModifiedError`` and
    nothing is written. Returns the ``StatusChange``, or None when there was none.
    """
    with transaction.atomic():
        stored_status, stored_note = (
            GovernanceGroup.objects.select_for_update()
            .values_list("status", "status_note")
            .get(pk=group.pk)
        )
        changed = (stored_status, stored_note) != (status, note)
        effective_from = group.status_effective_from or timezone.localdate(at)
        group.status, group.status_note = status, note
        group.status_effective_from = None  # used: the next change defaults to its own day
        if changed:
            group.status_changed_at = at
        group.save()
        if not changed:
            return None
        change = StatusChange.objects.create(
            group=group,
            changed_at=at,
            effective_from=effective_from,
            changed_by=by,
            from_status=stored_status,
            to_status=status,
            note=note,
        )
        _log_status_change(change, by=by, at=at)
        return change


def _status_text(status, note):
    label = Status(status).label
    return f"{label}: {note}" if note else label


def _log_status_change(change: StatusChange, *, by, at):
    group = change.group
    old, new = Status(change.from_status), Status(change.to_status)
    starts_or_stops = (old in MEETS_REGULARLY) != (new in MEETS_REGULARLY)
    if new == Status.REPLACED:
        kind, summary = ChangeKind.GROUP_REPLACED, f"{group.short_name} was replaced"
    elif old == new:
        kind, summary = ChangeKind.STATUS_CHANGED, f"{group.short_name}: status note changed"
    else:
        kind, summary = ChangeKind.STATUS_CHANGED, f"{group.short_name} is now {new.label}"
    if starts_or_stops:
        summary += f", from {change.effective_from:%-d %B %Y}"
    record_change(
        kind=kind,
        group=group,
        summary=summary,
        before=_status_text(old, "") if old != new else "",
        after=_status_text(new, change.note),
        url=group.get_absolute_url(),
        subject=status_subject(group),
        reschedules=starts_or_stops,
        by=by,
        at=at,
    )


def group_add(*, group: GovernanceGroup, by, at):
    """Store a new group and announce it."""
    with transaction.atomic():
        group.save()
        record_change(
            kind=ChangeKind.GROUP_ADDED,
            group=group,
            summary=f"{group.display_name} added",
            after=group.get_status_display(),
            url=group.get_absolute_url(),
            by=by,
            at=at,
        )


MAILBOX_FIELDS = ("name", "address", "purpose")


def mailbox_change(*, mailbox: Mailbox, by, at):
    """Save a mailbox (version-checked) and announce a change of its address or purpose."""
    with transaction.atomic():
        stored = Mailbox.objects.filter(pk=mailbox.pk).values(*MAILBOX_FIELDS).first()
        mailbox.save()
        current = {field: getattr(mailbox, field) for field in MAILBOX_FIELDS}
        if stored == current:
            return
        record_change(
            kind=ChangeKind.MAILBOX_CHANGED,
            summary=f"{mailbox.name} mailbox {'added' if stored is None else 'changed'}",
            before="" if stored is None else f"{stored['address']}: {stored['purpose']}",
            after=f"{mailbox.address}: {mailbox.purpose}",
            url=reverse("groups:contact"),
            by=by,
            at=at,
        )
