"""The one place the code reads the time; tests pin it by replacing ``now``."""

from django.utils import timezone


def now():
    return timezone.now()


def today():
    """Today's date in UK local time."""
    return timezone.localdate(now())
