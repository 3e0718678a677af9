"""Writes to the governance data that carry rules: a status change and its history."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changelog.services import record_change, subject_of

from .enums import MEETS_REGULARLY, GroupChangeKind, Status
from .models import (
    GovernanceGroup,
    Mailbox,
    StatusChange,
    first_status,
    latest_effective,
    ordered_changes,
    status_holding,
)

PAST_REFUSED = (
    "A status change takes effect today or later: {day} is in the past, and the past is "
    "not rewritten. If the record of the past is wrong, an administrator can correct it."
)
CORRECTION_ONLY_SUPERUSER = "Only an administrator may correct the record of the past."
CORRECTION_NEEDS_PAST = (
    "A correction is of the past: give the date, before today, from which the status held."
)
CORRECTION_NEEDS_REASON = "Say why the record is corrected."
NEEDS_OWN_NOTE = (
    "A new status needs its own note: the note “{note}” is the old status's. Write the note "
    "for {status}, saying what it means for participants."
)
NEEDS_A_NOTE = "A new status needs its own note: say what {status} means for participants."


def status_date_errors(*, effective_from, today, by, correction_reason="") -> dict[str, str]:
    """Why a status change from ``effective_from`` would be refused, by form field: it
    takes effect today or later; only a superuser corrects the past, with a reason."""
    errors = {}
    if correction_reason:
        if not (by is not None and by.is_superuser):
            errors["correction_reason"] = CORRECTION_ONLY_SUPERUSER
        elif effective_from >= today:
            errors["status_effective_from"] = CORRECTION_NEEDS_PAST
    elif effective_from < today:
        errors["status_effective_from"] = PAST_REFUSED.format(day=f"{effective_from:%-d %B %Y}")
    return errors


def status_change_errors(
    *, group, status, note, effective_from, today, by, correction_reason=""
) -> dict[str, str]:
    """Why the admin refuses to record ``status`` with ``note`` from ``effective_from``,
    by form field; empty when it may be recorded: the date rules (``status_date_errors``),
    and a new status comes with its own note, not the old status's."""
    errors = status_date_errors(
        effective_from=effective_from, today=today, by=by, correction_reason=correction_reason
    )
    if group.pk is None:
        return errors
    stored = GovernanceGroup._base_manager.values_list("status", "status_note").get(pk=group.pk)
    before = status_holding(group.status_changes.all(), effective_from, stored)
    errors.update(_note_errors(status=status, note=note, before=before))
    return errors


def _note_errors(*, status, note, before) -> dict[str, str]:
    """A change of status comes with its own note, not empty and not the note of the
    status ``before`` it (status, note); a change of the note alone is not refused."""
    old_status, old_note = before
    if status == old_status:
        return {}
    label = f"“{Status(status).label}”"
    if not note.strip():
        return {"status_note": NEEDS_A_NOTE.format(status=label)}
    if old_note and note.strip() == old_note.strip():
        return {"status_note": NEEDS_OWN_NOTE.format(note=old_note, status=label)}
    return {}


def change_group_status(
    *, group: GovernanceGroup, status: str, note: str, by, at, correction_reason: str = ""
):
    """Save ``group``, recording ``status`` with ``note`` in its status timeline.

    The change takes effect from ``group.status_effective_from`` (blank: the day of
    ``at``), today or later; a superuser may correct the past with a ``correction_reason``.
    A change of status, or of the note alone, adds a ``StatusChange`` and a change-log
    entry in the same transaction; the same status and note as hold on that date record
    nothing. A change dated later is announced and takes over on its date without another
    save: the stored ``status`` and ``status_note`` stay what holds today. Other fields
    changed on ``group`` are saved with it. The version is checked first: a stale
    ``group`` raises ``RecordModifiedError`` and nothing is written, whatever else it
    says. Then a change that would be refused raises ``ValidationError``: its date
    (``status_date_errors``), or a new status without its own note (``_note_errors``).
    Returns the ``StatusChange``, or None when there was none.
    """
    today = timezone.localdate(at)
    effective_from = group.status_effective_from or today
    with transaction.atomic():
        *stored, version = (
            GovernanceGroup._base_manager.select_for_update()
            .values_list("status", "status_note", "version")
            .get(pk=group.pk)
        )
        stored = tuple(stored)
        if version != group.version:
            raise RecordModifiedError(target=group)
        changes = list(StatusChange.objects.filter(group=group))
        before = status_holding(changes, effective_from, stored)
        errors = status_date_errors(
            effective_from=effective_from, today=today, by=by, correction_reason=correction_reason
        )
        errors.update(_note_errors(status=status, note=note, before=before))
        if errors:
            raise ValidationError(errors)
        change = None
        if before != (status, note):
            change = StatusChange.objects.create(
                group=group,
                changed_at=at,
                effective_from=effective_from,
                changed_by=by,
                from_status=before[0],
                to_status=status,
                note=note,
                correction_reason=correction_reason,
            )
            changes.append(change)
            _rechain(changes, first=first_status(changes, stored[0]))
        _store_today(group, changes, stored, today)
        group.save()
        if change is not None:
            _log_status_change(change, by=by, at=at, today=today)
        return change


def status_change_withdraw(*, change: StatusChange, by, at) -> None:
    """Withdraw a status change announced for a later date, before it takes effect: it
    is deleted from the timeline (it never held) and the withdrawal is logged."""
    today = timezone.localdate(at)
    if change.effective_from <= today:
        raise ValidationError(
            f"This change took effect on {change.effective_from:%-d %B %Y}: it can no "
            "longer be withdrawn. Record a new status change instead."
        )
    with transaction.atomic():
        group = GovernanceGroup.objects.select_for_update().get(pk=change.group_id)
        stored = (group.status, group.status_note)
        first = first_status(StatusChange.objects.filter(group=group), stored[0])
        change.delete()
        _rechain(StatusChange.objects.filter(group=group), first=first)
        new = Status(change.to_status)
        record_change(
            kind=GroupChangeKind.STATUS_WITHDRAWN,
            group=group,
            summary=(
                f"{group.short_name} will not become {new.label} from "
                f"{change.effective_from:%-d %B %Y}: the announced change was withdrawn"
            ),
            before=f"From {change.effective_from:%-d %B %Y}: {_status_text(new, change.note)}",
            after=_status_text(Status(stored[0]), stored[1]),
            url=group.get_absolute_url(),
            subject=subject_of(group),
            reschedules=_starts_or_stops(change),
            by=by,
            at=at,
        )


def _rechain(changes, *, first) -> None:
    """Keep each change's "from" the status before it on the timeline, after a change was
    added before others or withdrawn. ``first``: the first change's "from"."""
    previous = first
    for change in ordered_changes(changes):
        if change.from_status != previous:
            change.from_status = previous
            change.save(update_fields=["from_status"])
        previous = change.to_status


def _store_today(group, changes, stored, today) -> None:
    """Store on ``group`` what holds today: the stored row reads true until a change
    announced for later takes over, which reads correct it (``with_status_today``)."""
    held = latest_effective(changes, today)
    if held is not None:
        group.status, group.status_note = held.to_status, held.note
        group.status_changed_at = held.changed_at
    else:
        group.status, group.status_note = stored
    group.status_effective_from = None  # used: the next change defaults to its own day


def _status_text(status, note):
    label = Status(status).label
    return f"{label}: {note}" if note else label


def _starts_or_stops(change) -> bool:
    return (Status(change.from_status) in MEETS_REGULARLY) != (
        Status(change.to_status) in MEETS_REGULARLY
    )


def _log_status_change(change: StatusChange, *, by, at, today):
    group = change.group
    old, new = Status(change.from_status), Status(change.to_status)
    starts_or_stops = _starts_or_stops(change)
    day = f"{change.effective_from:%-d %B %Y}"
    kind = GroupChangeKind.STATUS_CHANGED
    if change.is_correction:
        kind = GroupChangeKind.STATUS_CORRECTED
        summary = (
            f"Correction of the record: {group.short_name} was {new.label} from {day} "
            f"({change.correction_reason})"
        )
    elif old == new:
        summary = f"{group.short_name}: status note changed"
        if change.effective_from > today:
            summary += f", from {day}"
    elif new == Status.REPLACED:
        kind = GroupChangeKind.GROUP_REPLACED
        if change.effective_from > today:
            summary = f"{group.short_name} will be replaced from {day}"
        else:
            summary = f"{group.short_name} was replaced, from {day}"
    elif change.effective_from > today:
        summary = f"{group.short_name} will be {new.label} from {day}"
    else:
        summary = f"{group.short_name} is now {new.label}"
        if starts_or_stops:
            summary += f", from {day}"
    record_change(
        kind=kind,
        group=group,
        summary=summary,
        before=_status_text(old, "") if old != new else "",
        after=_status_text(new, change.note),
        url=group.get_absolute_url(),
        subject=subject_of(group),
        reschedules=starts_or_stops,
        by=by,
        at=at,
    )


def group_add(*, group: GovernanceGroup, by, at):
    """Store a new group and announce it."""
    with transaction.atomic():
        group.save()
        record_change(
            kind=GroupChangeKind.GROUP_ADDED,
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
            kind=GroupChangeKind.MAILBOX_CHANGED,
            summary=f"{mailbox.name} mailbox {'added' if stored is None else 'changed'}",
            before="" if stored is None else f"{stored['address']}: {stored['purpose']}",
            after=f"{mailbox.address}: {mailbox.purpose}",
            url=reverse("groups:contact"),
            by=by,
            at=at,
        )
