"""No orphaned files: a document's file goes from storage when it is replaced or deleted.

The file is removed only once the transaction that replaced or deleted the row has
committed, so a rolled-back change leaves the stored file where the row still points. A
removal that fails (storage unreachable) does not fail the change, which has committed: the
file is logged and queued (``PendingFileRemoval``), and ``manage.py sweep_media`` removes it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Document, PendingFileRemoval

logger = logging.getLogger(__name__)

# Where uploads are stored (records.models.document_upload_to), the folder swept.
DOCUMENTS_FOLDER = "documents"
# A stored file younger than this may be an upload whose row is not yet committed.
SWEEP_MIN_AGE = timedelta(hours=1)


def remove_file(storage, name) -> bool:
    """Remove a stored file whose row is gone; on failure log it and queue it."""
    try:
        storage.delete(name)
    except Exception as exc:  # any storage failure: the change it follows has committed
        logger.warning(
            "Could not remove the stored file %s (queued for sweep_media): %r", name, exc
        )
        PendingFileRemoval.objects.get_or_create(name=name, defaults={"reason": repr(exc)[:300]})
        return False
    return True


def _remove_later(storage, name):
    if name:
        transaction.on_commit(lambda: remove_file(storage, name))


def remember_stored_file(sender, instance, raw=False, **kwargs):
    """Note the file the stored row points to, before a save may replace it."""
    if raw or instance.pk is None or instance._state.adding:
        instance._stored_file = None
        return
    instance._stored_file = (
        Document.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    )


def remove_replaced_file(sender, instance, raw=False, **kwargs):
    stored = getattr(instance, "_stored_file", None)
    if stored and stored != instance.file.name:
        _remove_later(instance.file.storage, stored)
    instance._stored_file = instance.file.name


def remove_deleted_file(sender, instance, **kwargs):
    _remove_later(instance.file.storage, instance.file.name)


def connect():
    pre_save.connect(remember_stored_file, sender=Document, dispatch_uid="document-file-stored")
    post_save.connect(remove_replaced_file, sender=Document, dispatch_uid="document-file-replaced")
    post_delete.connect(remove_deleted_file, sender=Document, dispatch_uid="document-file-deleted")


def stored_names(storage, folder=DOCUMENTS_FOLDER):
    """Every file stored under ``folder``, through the storage API (local or S3)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}")


@dataclass(frozen=True)
class Unreferenced:
    name: str
    queued: bool  # in the PendingFileRemoval queue
    recent: bool  # younger than SWEEP_MIN_AGE: perhaps an upload being saved


def unreferenced_files(storage, *, now) -> list[Unreferenced]:
    """The stored files no document points to, and the queued removals among them."""
    referenced = set(Document.objects.values_list("file", flat=True))
    queued = set(PendingFileRemoval.objects.values_list("name", flat=True))
    found = []
    for name in stored_names(storage):
        if name not in referenced:
            recent = storage.get_modified_time(name) > now - SWEEP_MIN_AGE
            found.append(Unreferenced(name, name in queued, recent))
    return found


def sweep(storage, files: list[Unreferenced]) -> list[str]:
    """Remove the unreferenced files that are not recent, and clear the queue of every
    name no longer stored. Returns the names removed."""
    removed = []
    for file in files:
        if not file.recent:
            storage.delete(file.name)
            removed.append(file.name)
    still_stored = {file.name for file in files if file.recent}
    PendingFileRemoval.objects.exclude(name__in=still_stored).delete()
    return removed
