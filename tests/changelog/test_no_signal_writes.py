"""The system check run by `make lint` (changelog.checks): no receiver of a model signal
writes the change log, directly or through the project functions it calls."""

import functools

from django.core.checks import run_checks
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from changelog import checks, services
from changelog.models import ChangeEntry
from meetings.models import Cancellation


def _helper(instance):
    services.record_change(kind="cancelled", summary=str(instance), url="/")


def logs_directly(sender, instance, **kwargs):
    services.record_change(kind="cancelled", summary=str(instance), url="/")


def logs_through_a_helper(sender, instance, **kwargs):
    _helper(instance)


def writes_the_model(sender, instance, **kwargs):
    ChangeEntry.objects.create(kind="cancelled", summary=str(instance), url="/")


def redacts(sender, instance, **kwargs):
    services.redact_subject("record:x", summary="Removed")


def logs_nothing(sender, instance, **kwargs):
    return str(instance)


class Bumper:
    def bump(self, sender, **kwargs):
        _helper(sender)


class Log:
    def cancellation(instance):
        _helper(instance)


def logs_through_a_class(sender, instance, **kwargs):
    Log.cancellation(instance)


def _logged(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        return receiver(*args, **kwargs)

    return wrapper


@_logged
def decorated(sender, instance, **kwargs):
    _helper(instance)


# Chains of project functions between a receiver and the writer (_helper calls it).
def _two_to_go(instance):
    _helper(instance)


def _three_to_go(instance):
    _two_to_go(instance)


def _four_to_go(instance):
    _three_to_go(instance)


def logs_through_three_functions(sender, instance, **kwargs):
    _three_to_go(instance)


def logs_through_four_functions(sender, instance, **kwargs):
    _four_to_go(instance)


def _ping(instance, n):
    return _pong(instance, n - 1) if n else instance


def _pong(instance, n):
    return _ping(instance, n - 1) if n else instance


def calls_back_and_forth(sender, instance, **kwargs):
    _ping(instance, 10)


class Counter:
    """A receiver that is an object: what it runs is its class's ``__call__``."""

    def __call__(self, sender, **kwargs):
        _helper(sender)


class Tally:
    def __call__(self, sender, **kwargs):
        return sender


PLANTED = [
    (post_save, logs_directly),
    (post_save, logs_through_a_helper),
    (pre_save, writes_the_model),
    (post_delete, redacts),
    (m2m_changed, logs_nothing),
    (post_save, services.withdraw_pending),  # a writer connected as it is
    (post_save, logs_through_a_class),
    (post_save, decorated),
    (post_save, logs_through_three_functions),
    (post_save, logs_through_four_functions),  # past CALL_DEPTH: not followed that far
    (post_save, calls_back_and_forth),
    (post_save, Bumper().bump),  # a bound method: this list keeps it, and its instance, alive
    (post_save, Counter()),
    (post_save, Tally()),
    (post_save, print),  # a built-in: no code to read
]


def errors():
    return [(e.id, e.obj) for e in run_checks(tags=["changelog"])]


def test_no_receiver_writes_the_change_log():
    receivers = [r for signal in checks.MODEL_SIGNALS.values() for r in checks._receivers(signal)]
    assert len(receivers) > 20  # it looks at every receiver: the data version's bumps among them
    assert errors() == []


def test_a_planted_receiver_that_writes_the_log_is_an_error_naming_it():
    try:
        for signal, receiver in PLANTED:
            signal.connect(receiver, sender=Cancellation)
        found = run_checks(tags=["changelog"])
    finally:
        for signal, receiver in PLANTED:
            signal.disconnect(receiver, sender=Cancellation)
    assert sorted((e.id, e.obj) for e in found) == sorted(
        [
            ("changelog.E001", f"{__name__}.Bumper.bump"),
            ("changelog.E001", f"{__name__}.Counter"),
            ("changelog.E001", "changelog.services.withdraw_pending"),
            ("changelog.E001", f"{__name__}.decorated"),
            ("changelog.E001", f"{__name__}.logs_directly"),
            ("changelog.E001", f"{__name__}.logs_through_a_class"),
            ("changelog.E001", f"{__name__}.logs_through_a_helper"),
            ("changelog.E001", f"{__name__}.logs_through_three_functions"),
            ("changelog.E001", f"{__name__}.redacts"),
            ("changelog.E001", f"{__name__}.writes_the_model"),
        ]
    )
    assert found[0].msg.endswith("writes the change log.")
    assert "changelog.services.record_change" in found[0].hint
    assert errors() == []  # disconnected, nothing is left behind
