"""Bump the data version whenever the directory's data changes, however it is changed.

The data is every model of every app of this project (a package at the top of the
repository, not one installed from elsewhere), read from the app registry: an app added
later is tracked without being named here. The data version itself is not data.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import DataVersion
from .services import data_version_bump

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def tracked_apps() -> list:
    """The project's apps that have models, in the order they are installed."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
        and any(config.get_models())
        and getattr(config, "page_data", True)  # an app of bookkeeping no page shows opts out
    ]


def tracked_models() -> list:
    """Every model whose rows are the directory's data."""
    return [
        model
        for config in tracked_apps()
        for model in config.get_models()
        if model is not DataVersion
    ]


def _bump(sender, **kwargs):
    data_version_bump()


def _bump_m2m(sender, action, **kwargs):
    if action in M2M_CHANGES:
        data_version_bump()


# Not mutation-tested (`make mutate`): it runs once, when the app is ready, before mutmut
# forks the workers that switch mutants on; tests/test_page_cache.py proves its wiring.
def connect():  # pragma: no mutate block
    """Connect the bumps to every tracked model and its many-to-many tables."""
    for model in tracked_models():
        uid = model._meta.label
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-save-{uid}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-delete-{uid}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _bump_m2m, sender=field.remote_field.through, dispatch_uid=f"bump-m2m-{field}"
            )
