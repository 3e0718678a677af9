"""``manage.py check`` (run by ``make lint``): no receiver of a model signal writes the
change log.

Each change is written by the service that makes it, in its transaction, through
``services.record_change``; a receiver would hide the write (an admin save, a bulk action
or a raw ``save()`` would log or not depending on which path it took). The check follows
each receiver of the project's own code, and the project functions it calls (up to three
between it and a writer, CALL_DEPTH), and reports any that reaches a writing function of the
change log or its model.
"""

import inspect
import types
import weakref
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.db.models import signals

from . import services
from .models import ChangeEntry

MODEL_SIGNALS = {
    name: getattr(signals, name)
    for name in (
        "pre_init",
        "post_init",
        "pre_save",
        "post_save",
        "pre_delete",
        "post_delete",
        "m2m_changed",
    )
}
WRITERS = (services.record_change, services.redact_subject, services.withdraw_pending)
# How far a receiver is followed: up to three project functions between it and a writer.
# The bound also ends a walk through functions that call each other.
CALL_DEPTH = 4


def _project_code(func) -> bool:
    """Written in this project (a file under BASE_DIR), not in an installed package: the
    check reads no one else's code, nor code it cannot read (a built-in has none)."""
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    path = Path(code.co_filename).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and (
        "site-packages" not in path.parts
    )


def _names(code: types.CodeType):
    """The global and attribute names a function's code uses, its nested functions' too."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _names(constant)


def _referenced(func):
    """What the names in ``func`` stand for: its globals, and the attributes used of them."""
    names = set(_names(func.__code__))
    for name in names:
        value = func.__globals__.get(name)
        if value is None:
            continue
        yield value
        if isinstance(value, types.ModuleType) or inspect.isclass(value):
            for attribute in names:
                found = getattr(value, attribute, None)
                if found is not None:
                    yield found


def _writes_change_log(func, depth: int) -> bool:
    """Whether ``func`` is, uses or calls (through project functions, ``depth`` calls deep)
    a writing function of the change log or its model."""
    func = inspect.unwrap(func)  # a decorated receiver: the function it wraps
    if not hasattr(func, "__code__"):
        func = type(func).__call__  # an object called as a receiver: its class's __call__
    if depth == 0 or not _project_code(func):
        return False
    for value in _referenced(func):
        if value in WRITERS or value is ChangeEntry:
            return True
        if isinstance(value, types.FunctionType) and _writes_change_log(value, depth - 1):
            return True
    return False


def _receivers(signal):
    for _key, receiver, _is_async in signal.receivers:
        if isinstance(receiver, weakref.ReferenceType):
            receiver = receiver()
        if receiver is not None:
            yield receiver


@register("changelog")
def no_signal_writes_the_change_log(app_configs, **kwargs):
    found = []
    for signal_name, signal in MODEL_SIGNALS.items():
        for receiver in _receivers(signal):
            if _writes_change_log(receiver, CALL_DEPTH):
                qualname = getattr(receiver, "__qualname__", type(receiver).__qualname__)
                label = f"{receiver.__module__}.{qualname}"
                found.append(
                    Error(
                        f"{label}, a receiver of {signal_name}, writes the change log.",
                        hint="Write the entry in the service that makes the change, in its "
                        "transaction (changelog.services.record_change), and save through "
                        "that service.",
                        obj=label,
                        id="changelog.E001",
                    )
                )
    return found
