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

    # Kept by every save, not part of what a save changes.
    BOOKKEEPING = frozenset({"version", "updated_at", "updated_by"})

    def save(self, *args, **kwargs):
        """Save the row, unless it is stored and nothing in it changed: a save that changes
        nothing writes nothing (no new version, no new ``updated_at``), so the feeds and
        pages built from it stay byte for byte as they were."""
        if kwargs.get("update_fields") is None and not self.changed_fields():
            return
        self.updated_at = clock.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        # One transaction for the row and whatever its save signals write (the data version).
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def stored(self):
        """The row as stored, before this save changes it; None for a new one."""
        if self._state.adding or self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).first()

    def changed_fields(self, stored=None) -> list[str]:
        """The fields whose value differs from ``stored`` (the stored row, read if not
        given); every field of a new row, or of one no longer stored."""
        stored = stored or self.stored()
        fields = [f for f in self._meta.concrete_fields if f.name not in self.BOOKKEEPING]
        if stored is None:
            return [f.name for f in fields]
        # A file compares by its name (a new upload's name is never a stored one's).
        return [f.name for f in fields if getattr(self, f.attname) != getattr(stored, f.attname)]
