"""The seed's escalation and query guidance, and its worked examples."""

from django.db import models

from core.models import NaturalKeyManager, NaturalKeyMixin
from groups.models import GovernanceGroup

from .enums import RouteKind


class GuidanceSection(NaturalKeyMixin, models.Model):
    """A passage of the seed's "MHHS query and escalation processes", word for word."""

    key = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    body = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    NATURAL_KEY = ("key",)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.title


class WorkedExample(NaturalKeyMixin, models.Model):
    """One of the seed's "Examples of this in action", with the route that answers it."""

    key = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    scenario = models.TextField(help_text="The participant query, as the seed writes it.")
    seed_action = models.TextField(help_text="The appropriate action, as the seed writes it.")
    group = models.ForeignKey(
        GovernanceGroup, on_delete=models.PROTECT, related_name="worked_examples"
    )
    kind = models.CharField(max_length=10, choices=RouteKind.choices)
    expected_targets = models.CharField(
        max_length=200, help_text="Comma-separated targets of the seed's answer, in order."
    )
    interpretation = models.TextField(
        blank=True, help_text="How the example was read as a group and a kind."
    )

    NATURAL_KEY = ("key",)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.scenario[:60]
