from django.db import models

from core.models import clock_now


class DataVersion(models.Model):
    """A single row bumped on every change to the directory's data.

    Read in one cheap query, it keys the page cache and the footer's date.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=clock_now)
    facts_loaded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the source document's facts were last loaded (the seed).",
    )

    class Meta:
        # Made by the directory app, which held it first (migrations directory.0004 and
        # operations.0001 moved it without touching the table).
        db_table = "directory_dataversion"

    def __str__(self):
        return f"v{self.version} at {self.changed_at:%Y-%m-%d %H:%M}"
