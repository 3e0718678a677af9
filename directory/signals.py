"""Bump the data version whenever the directory's data changes, however it is changed."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .services import data_version_bump

TRACKED_APPS = ("groups", "meetings", "escalations", "records")
M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def _bump(sender, **kwargs):
    data_version_bump()


def _bump_m2m(sender, action, **kwargs):
    if action in M2M_CHANGES:
        data_version_bump()


def connect():
    """Connect the bumps to every model of the tracked apps and their many-to-many tables."""
    for label in TRACKED_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = model._meta.label
            post_save.connect(_bump, sender=model, dispatch_uid=f"bump-save-{uid}")
            post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-delete-{uid}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _bump_m2m, sender=field.remote_field.through, dispatch_uid=f"bump-m2m-{field}"
                )
