"""The change log's entries for meeting records: what participants can see change.

Only public things are logged: a document's title once it is public, a decision once it is
published. Documents and actions: connected to the models' signals (``RecordsConfig.ready``),
inside each save's own transaction; decisions: called by the services that write them.
"""

from django.utils import timezone

from core import clock
from groups.changelog import connect_handlers, record_change, redact_subject, stored_row
from groups.enums import ChangeKind

from .enums import ActionStatus, DecisionStatus
from .models import Action, Document


def _meeting(record):
    return f"{record.group.short_name} meeting of {record.date:%A %-d %B %Y}"


def _log_for_record(instance, record, **entry):
    record_change(
        group=record.group,
        url=record.get_absolute_url(),
        subject=f"record:{record.group.slug}/{record.date:%Y-%m-%d}",
        by=instance.updated_by,
        **entry,
    )


# Documents


def document_changed(sender, instance, raw=False, **kwargs):
    instance._before = None if raw else stored_row(instance)


def document_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    record, now = instance.record, clock.now()
    kind = instance.get_kind_display()
    before = getattr(instance, "_before", None)
    if not instance.is_public(now):
        if created or (before is not None and before.is_public(now)):
            _log_for_record(
                instance,
                record,
                kind=ChangeKind.DOCUMENT_ADDED,
                summary=f"{kind} for the {_meeting(record)} to be published "
                f"{instance.publish_at:%-d %B %Y}",
            )
        return
    if created or before is None or not before.is_public(now):
        _log_for_record(
            instance,
            record,
            kind=ChangeKind.DOCUMENT_ADDED,
            summary=f"{kind} published: {_meeting(record)}",
            after=instance.title,
        )
    elif before.file.name != instance.file.name or before.title != instance.title:
        replaced = "replaced" if before.file.name != instance.file.name else "renamed"
        _log_for_record(
            instance,
            record,
            kind=ChangeKind.DOCUMENT_CHANGED,
            summary=f"{kind} {replaced}: {_meeting(record)}",
            before=before.title,
            after=instance.title,
        )


def document_removed(sender, instance, **kwargs):
    if instance.is_public(clock.now()):
        _log_for_record(
            instance,
            instance.record,
            kind=ChangeKind.DOCUMENT_REMOVED,
            summary=f"{instance.get_kind_display()} removed: {_meeting(instance.record)}",
            before=instance.title,
        )


# Decisions: logged by the services that write them (``records.services``).


def _log_decision(decision, **entry):
    record_change(
        group=decision.group,
        url=decision.get_absolute_url(),
        subject=f"decision:{decision.reference}",
        by=decision.updated_by,
        **entry,
    )


STATUS_KINDS = {
    DecisionStatus.WITHDRAWN: ChangeKind.DECISION_WITHDRAWN,
    DecisionStatus.SUPERSEDED: ChangeKind.DECISION_SUPERSEDED,
}


def decision_logged(*, before, decision, now):
    """Log a saved decision once it is public: its publication, a withdrawal or
    supersession with its reason, or which of its fields changed."""
    if not decision.is_published(now):
        return
    name = f"{decision.reference} ({decision.group.short_name})"
    if before is None or not before.is_published(now):
        _log_decision(
            decision,
            kind=ChangeKind.DECISION_PUBLISHED,
            summary=f"Decision {name}: {decision.title}",
            after=decision.summary,
        )
    elif before.status != decision.status and decision.status in STATUS_KINDS:
        superseded = decision.status == DecisionStatus.SUPERSEDED
        _log_decision(
            decision,
            kind=STATUS_KINDS[decision.status],
            summary=f"Decision {name} superseded by {decision.superseded_by.reference}"
            if superseded
            else f"Decision {name} withdrawn: {decision.title}",
            before=before.get_status_display(),
            after=f"{decision.get_status_display()}: {decision.status_reason}",
        )
    else:
        fields = ("title", "summary", "rationale", "status", "status_reason", "date")
        changed = [f for f in fields if getattr(before, f) != getattr(decision, f)]
        if changed:
            _log_decision(
                decision,
                kind=ChangeKind.DECISION_CHANGED,
                summary=f"Decision {name} changed: {', '.join(changed)}",
                before="\n".join(f"{f}: {getattr(before, f)}" for f in changed),
                after="\n".join(f"{f}: {getattr(decision, f)}" for f in changed),
            )


def decision_removed(*, decision, now):
    """A published decision removed from the register: its entries keep their place, with
    its title and text replaced by the date it was removed."""
    redact_subject(
        f"decision:{decision.reference}",
        summary=f"Decision {decision.reference} ({decision.group.short_name}): removed from "
        f"the register on {timezone.localdate(now):%-d %B %Y}",
    )


# Actions


def action_changed(sender, instance, raw=False, **kwargs):
    instance._before = None if raw else stored_row(instance)


def action_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    record = instance.record
    before = getattr(instance, "_before", None)
    if created or before is None:
        _log_for_record(
            instance,
            record,
            kind=ChangeKind.ACTION_ADDED,
            summary=f"Action {instance.reference} set: {_meeting(record)}",
            after=f"{instance.description} (owner: {instance.owner})",
        )
        return
    fields = ("description", "owner", "due", "status")
    changed = [f for f in fields if getattr(before, f) != getattr(instance, f)]
    if not changed:
        return
    closed = before.status != instance.status and instance.status == ActionStatus.CLOSED
    _log_for_record(
        instance,
        record,
        kind=ChangeKind.ACTION_CLOSED if closed else ChangeKind.ACTION_CHANGED,
        summary=f"Action {instance.reference} {'closed' if closed else 'changed'}",
        before="\n".join(f"{f}: {getattr(before, f) or ''}" for f in changed),
        after="\n".join(f"{f}: {getattr(instance, f) or ''}" for f in changed),
    )


def connect():
    connect_handlers(
        [
            (Document, document_changed, document_saved, document_removed),
            (Action, action_changed, action_saved, None),
        ]
    )
