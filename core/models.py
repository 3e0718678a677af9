"""Model helpers: natural keys declared once, and rows that refuse stale saves."""

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.db import models, transaction

from core import clock


def clock_now():
    """The clock's time, read when called (so a test that pins the clock pins this too)."""
    return clock.now()


class NaturalKeyManager(models.Manager):
    """Finds a row by its natural key, the fields its model names in ``NATURAL_KEY``."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.NATURAL_KEY, key, strict=True)))


class NaturalKeyMixin:
    """``natural_key()`` from ``NATURAL_KEY``, whose entries may follow relations (a__b)."""

    NATURAL_KEY: tuple[str, ...] = ()

    def natural_key(self):
        values = []
        for path in self.NATURAL_KEY:
            value = self
            for part in path.split("__"):
                value = getattr(value, part)
            values.append(value)
        return tuple(values)


class Versioned(models.Model):
    """A row saved only if nobody changed it since it was read (optimistic locking).

    django-concurrency compares ``version`` in the same UPDATE that writes the row and
    raises ``RecordModifiedError`` when no row matched. ``updated_by`` and ``updated_at``
    say who made the last change, for the message that refuses a stale edit.
    """

    version = AutoIncVersionField(help_text="Raised by every save; a stale form is refused.")
    updated_at = models.DateTimeField(
        default=clock_now, editable=False, help_text="Set by every save, from the clock."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        # One transaction for the row and whatever its save signals write (the change log).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
