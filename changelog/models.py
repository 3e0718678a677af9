from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from . import kinds


class ChangeEntryQuerySet(models.QuerySet):
    def visible(self, now):
        """Entries public at ``now``: a change published for later stays out until then.

        An entry public at once (visible when recorded) is shown at once, even when its
        time was spaced a moment ahead of the clock (``record_change``)."""
        return self.filter(Q(visible_at__lte=now) | Q(visible_at=F("recorded_at")))

    def pending(self, now):
        """Entries recorded for a later moment that has not come yet."""
        return self.filter(visible_at__gt=now).exclude(visible_at=F("recorded_at"))

    def for_group(self, slug):
        return self.filter(group_slug=slug)

    def for_workstream(self, slug):
        return self.filter(workstream_slug=slug)

    def in_category(self, category):
        """Entries of the kinds registered under ``category`` (a ``kinds.Category``)."""
        return self.filter(kind__in=kinds.of_category(category))


class ChangeEntry(models.Model):
    """One change a participant would want to know of, as the change log shows it.

    Written in the same transaction as the change (``changelog.services.record_change``);
    once visible never deleted (``withdraw_pending`` drops only an entry nobody has seen
    yet), and edited only by ``changelog.services.redact_subject`` (a published decision a
    superuser removed keeps its entries' place, not their text), so times taken from it
    never go backwards.

    It names its group and workstream by their slugs and names as they were when it was
    written, so the log needs nothing of the apps above it. ``recorded_at`` is when it was
    written, ``visible_at`` when it became (or becomes) public: the log, its feeds and the
    JSON's ``since=`` follow ``visible_at``.
    """

    recorded_at = models.DateTimeField(db_index=True)
    visible_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=30)
    group_slug = models.CharField(max_length=50, blank=True, db_index=True)
    group_name = models.CharField(max_length=200, blank=True)
    workstream_slug = models.CharField(max_length=50, blank=True, db_index=True)
    workstream_name = models.CharField(max_length=50, blank=True)
    summary = models.CharField(max_length=300)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    url = models.CharField(max_length=300, help_text="The page to read more, as a path.")
    subject = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text='What it changed, e.g. "series:psg/meeting": the feed event it belongs to.',
    )
    reschedules = models.BooleanField(
        default=False,
        help_text="It changed a meeting's dates, times or status (the feed raises SEQUENCE).",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ChangeEntryQuerySet.as_manager()

    class Meta:
        db_table = "groups_changeentry"
        ordering = ["-visible_at", "-pk"]
        verbose_name_plural = "change entries"

    def __str__(self):
        return f"{self.visible_at:%Y-%m-%d %H:%M} {self.summary}"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)

    @property
    def category_label(self) -> str:
        """What the change is about ("Meetings"), as the log's filter names it."""
        category = kinds.category(self.kind)
        return category.label if category is not None else ""

    @property
    def group_url(self) -> str:
        """The group's page, by the slug it had (a renamed slug is not followed)."""
        return reverse("groups:detail", args=[self.group_slug]) if self.group_slug else ""
