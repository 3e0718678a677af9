from django.db import models
from django.db.models import Prefetch


class GovernanceGroupQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def with_basics(self):
        """What every listing shows: level, workstream (with its mailbox) and parent."""
        return self.select_related("level", "workstream__mailbox", "parent")

    def for_directory(self):
        """Rows of the directory, the org chart and the JSON list."""
        from meetings.models import MeetingSeries

        return self.with_basics().prefetch_related(
            Prefetch("children", queryset=self.model.objects.order_by("name")),
            Prefetch("series", queryset=MeetingSeries.objects.order_by("order", "pk")),
        )

    def for_detail(self):
        """One group's page: everything it shows, in a fixed number of queries."""
        from meetings.models import MeetingSeries

        from .models import StatusChange

        return (
            self.with_basics()
            .select_related("parent__parent__parent__parent")
            .prefetch_related(
                Prefetch("children", queryset=self.model.objects.order_by("name")),
                Prefetch(
                    "series",
                    queryset=MeetingSeries.objects.order_by("order", "pk").prefetch_related(
                        "cancellations", "moves"
                    ),
                ),
                "one_off_meetings",
                "replaced_by",
                "replaces",
                "source_notes",
                Prefetch(
                    "status_changes",
                    queryset=StatusChange.objects.select_related("changed_by"),
                ),
            )
        )
