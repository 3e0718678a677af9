"""No orphaned files: a document's file goes from storage when it is replaced or deleted.

The file is removed only once the transaction that replaced or deleted the row has
committed, so a rolled-back change leaves the stored file where the row still points.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Document


def _remove_later(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name))


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
