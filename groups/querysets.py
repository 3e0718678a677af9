from django.db import models
from django.db.models import Prefetch


class GovernanceGroupQuerySet(models.QuerySet):
    def with_basics(self):
        """What every listing shows: level, workstream (with its mailbox) and parent."""
        return self.select_related("level", "workstream__mailbox", "parent")

    def for_directory(self):
        """Rows of the directory, the org chart and the JSON list (which add schedules)."""
        return self.with_basics().prefetch_related(
            Prefetch("children", queryset=self.model.objects.order_by("name"))
        )
