"""Writes of meeting records: references given once, files never orphaned, published
decisions kept; each change logged by the service that makes it, in its transaction.

Only public things are logged: a document's title once it is public, a decision once it is
published. One published for later is logged when it is saved, visible from its
publication time (``visible_at``): the change log and its feeds show it then, never
earlier. Until then its entry follows it: a new publication time, a new title or its
removal rewrites that pending entry, and nothing else of it is logged.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from changelog.services import record_change, redact_subject, subject_of, withdraw_pending
from core import clock

from .enums import ActionStatus, DecisionStatus, RecordChangeKind, ReferenceKind
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


# Decisions


def _log_decision(decision, *, by, **entry):
    record_change(
        group=decision.group,
        url=decision.get_absolute_url(),
        subject=subject_of(decision),
        by=by,
        **entry,
    )


STATUS_KINDS = {
    DecisionStatus.WITHDRAWN: RecordChangeKind.DECISION_WITHDRAWN,
    DecisionStatus.SUPERSEDED: RecordChangeKind.DECISION_SUPERSEDED,
}
DECISION_FIELDS = ("title", "summary", "rationale", "status", "status_reason", "date")


def _decision_name(decision) -> str:
    return f"{decision.reference} ({decision.group.short_name})"


def _log_publication(decision, *, by, now) -> None:
    """The decision's "published" entry, visible from its publication time; one for later
    replaces the pending one, if any, so one publication has one entry."""
    withdraw_pending(
        subject=subject_of(decision), kind=RecordChangeKind.DECISION_PUBLISHED, now=now
    )
    if decision.published_at is None:
        return  # a draft again: nothing to publish
    _log_decision(
        decision,
        by=by,
        kind=RecordChangeKind.DECISION_PUBLISHED,
        summary=f"Decision {_decision_name(decision)}: {decision.title}",
        after=decision.summary,
        visible_at=max(decision.published_at, now),
    )


def _log_decision_change(*, before, decision, by, now) -> None:
    """Log a saved decision: its publication (now or for later), or, once public, a
    withdrawal or supersession with its reason, or which of its fields changed."""
    if before is None or not before.is_published(now):
        _log_publication(decision, by=by, now=now)
        return
    name = _decision_name(decision)
    if before.status != decision.status and decision.status in STATUS_KINDS:
        superseded = decision.status == DecisionStatus.SUPERSEDED
        _log_decision(
            decision,
            by=by,
            kind=STATUS_KINDS[decision.status],
            summary=f"Decision {name} superseded by {decision.superseded_by.reference}"
            if superseded
            else f"Decision {name} withdrawn: {decision.title}",
            before=before.get_status_display(),
            after=f"{decision.get_status_display()}: {decision.status_reason}",
        )
        return
    changed = [f for f in DECISION_FIELDS if getattr(before, f) != getattr(decision, f)]
    if changed:
        _log_decision(
            decision,
            by=by,
            kind=RecordChangeKind.DECISION_CHANGED,
            summary=f"Decision {name} changed: {', '.join(changed)}",
            before="\n".join(f"{f}: {getattr(before, f)}" for f in changed),
            after="\n".join(f"{f}: {getattr(decision, f)}" for f in changed),
        )


@transaction.atomic
def decision_save(*, decision: Decision, by) -> Decision:
    """Validate and save a decision, and log it (``_log_decision_change``); a new one gets
    its reference (PSG-2027-001): the group's acronym, the year it was made and the next
    number of that group's year. Saving it unchanged writes nothing."""
    before = decision.stored()
    if before is not None and not decision.changed_fields(before):
        return decision
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
    decision.save()
    _log_decision_change(before=before, decision=decision, by=by, now=clock.now())
    return decision


def decision_may_delete(*, decision: Decision, user, now) -> bool:
    """Only a superuser deletes a published decision; the programme office withdraws it."""
    return getattr(user, "is_superuser", False) or not decision.is_published(now)


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    """Delete a decision. One never public simply goes (with its pending entry, if it was
    to be published later); a published one only by a superuser: its reference is kept as
    removed (its page answers 410, the number is never given again), its change-log
    entries keep their place with its title replaced, and the removal is logged."""
    now = clock.now()
    if not decision_may_delete(decision=decision, user=by, now=now):
        raise PermissionDenied(
            f"{decision.reference} is published: withdraw it, or mark it superseded, instead."
        )
    subject = subject_of(decision)
    if decision.is_published(now):
        RemovedDecision.objects.create(
            reference=decision.reference,
            group=decision.group,
            removed_at=now,
            removed_by=by if by is not None and by.pk else None,
        )
        removed = (
            f"Decision {decision.reference} ({decision.group.short_name}): removed from "
            f"the register on {timezone.localdate(now):%-d %B %Y}"
        )
        redact_subject(subject, summary=removed)
        _log_decision(decision, by=by, kind=RecordChangeKind.DECISION_REMOVED, summary=removed)
    else:
        withdraw_pending(subject=subject, kind=RecordChangeKind.DECISION_PUBLISHED, now=now)
    decision.delete()


# Actions


def _meeting(record) -> str:
    return f"{record.group.short_name} meeting of {record.date:%A %-d %B %Y}"


def _log_for_record(record, *, by, **entry):
    record_change(
        group=record.group,
        url=record.get_absolute_url(),
        subject=subject_of(record),
        by=by,
        **entry,
    )


ACTION_FIELDS = ("description", "owner", "due", "status")


@transaction.atomic
def action_save(*, action: Action, by) -> Action:
    """Validate and save an action, and log it: set, closed or changed; a new one gets its
    reference (PSG-2027-A001). Saving it unchanged writes nothing."""
    before = action.stored()
    if before is not None and not action.changed_fields(before):
        return action
    record = action.record
    if action.pk is None:
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
    if before is None:
        _log_for_record(
            record,
            by=by,
            kind=RecordChangeKind.ACTION_ADDED,
            summary=f"Action {action.reference} set: {_meeting(record)}",
            after=f"{action.description} (owner: {action.owner})",
        )
        return action
    changed = [f for f in ACTION_FIELDS if getattr(before, f) != getattr(action, f)]
    if changed:
        closed = before.status != action.status and action.status == ActionStatus.CLOSED
        _log_for_record(
            record,
            by=by,
            kind=RecordChangeKind.ACTION_CLOSED if closed else RecordChangeKind.ACTION_CHANGED,
            summary=f"Action {action.reference} {'closed' if closed else 'changed'}",
            before="\n".join(f"{f}: {getattr(before, f) or ''}" for f in changed),
            after="\n".join(f"{f}: {getattr(action, f) or ''}" for f in changed),
        )
    return action


@transaction.atomic
def action_delete(*, action: Action, by) -> None:
    """Delete an action (one entered by mistake); its reference is never given again."""
    action.delete()


# Documents


def _log_pending_documents(record, *, now) -> None:
    """The record's "published" entries of documents public later: one per document,
    visible from its publication time, rewritten whenever one of them changes."""
    withdraw_pending(subject=subject_of(record), kind=RecordChangeKind.DOCUMENT_ADDED, now=now)
    for document in record.documents.filter(publish_at__gt=now).order_by("publish_at", "pk"):
        _log_document_published(document, by=document.updated_by, visible_at=document.publish_at)


def _log_document_published(document, *, by, visible_at=None) -> None:
    record = document.record
    _log_for_record(
        record,
        by=by,
        kind=RecordChangeKind.DOCUMENT_ADDED,
        summary=f"{document.get_kind_display()} published: {_meeting(record)}",
        after=document.title,
        visible_at=visible_at,
    )


def _log_document_change(*, before, document, by, now) -> None:
    """Log a saved document: its publication (now, or for later), or, once public, a new
    file or title. While it is not yet public nothing of it is public."""
    public = document.is_public(now)
    was_public = before is not None and before.is_public(now)
    if not public or (before is not None and not was_public):
        _log_pending_documents(document.record, now=now)
    if not public:
        return
    if not was_public:
        _log_document_published(document, by=by)
    elif before.file.name != document.file.name or before.title != document.title:
        replaced = "replaced" if before.file.name != document.file.name else "renamed"
        _log_for_record(
            document.record,
            by=by,
            kind=RecordChangeKind.DOCUMENT_CHANGED,
            summary=f"{document.get_kind_display()} {replaced}: {_meeting(document.record)}",
            before=before.title,
            after=document.title,
        )


def document_save(*, document: Document, by) -> Document:
    """Validate, save and log a document (``_log_document_change``). A new file is stored
    by the save; if the save then fails (a stale edit, say) the file is removed again, so
    none is left orphaned. Saving it unchanged writes nothing."""
    document.full_clean()
    before = document.stored()
    if before is not None and not document.changed_fields(before):
        return document
    new_file = document.has_new_file
    document.updated_by = by
    try:
        with transaction.atomic():
            document.save()
            _log_document_change(before=before, document=document, by=by, now=clock.now())
    except Exception:
        if new_file and document.file._committed and document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: Document, by) -> None:
    """Delete a document; logged if it was public (its pending entry goes if not)."""
    now = clock.now()
    record = document.record
    if document.is_public(now):
        _log_for_record(
            record,
            by=by,
            kind=RecordChangeKind.DOCUMENT_REMOVED,
            summary=f"{document.get_kind_display()} removed: {_meeting(record)}",
            before=document.title,
        )
        document.delete()
    else:
        document.delete()
        _log_pending_documents(record, now=now)


@transaction.atomic
def record_delete(*, record, by) -> None:
    """Delete a meeting's record with its documents, each logged as ``document_delete``
    logs it (its decisions and actions protect it: they are removed first)."""
    for document in record.documents.all():
        document_delete(document=document, by=by)
    record.delete()
