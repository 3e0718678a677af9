"""Synthetic data on top of the seed, for query-count tests and the benchmark."""

from datetime import time

from groups.models import GovernanceGroup, Level, Workstream
from meetings.models import MeetingSeries


def add_synthetic_groups(count: int) -> list[GovernanceGroup]:
    """Add ``count`` level-4 working groups, each with a monthly series, spread over the
    workstreams and reporting to the seed's advisory groups."""
    level4 = Level.objects.get(number=4)
    workstreams = list(Workstream.objects.all())
    parents = list(GovernanceGroup.objects.filter(level__number=3, status="mobilised"))
    groups = GovernanceGroup.objects.bulk_create(
        GovernanceGroup(
            slug=f"swg{i}",
            acronym=f"SWG{i}",
            name=f"Synthetic Working Group {i}",
            level=level4,
            workstream=workstreams[i % len(workstreams)],
            parent=parents[i % len(parents)],
            purpose=f"Synthetic purpose {i}",
            attendees="Open to all.",
            attendance="open",
            decision_making=False,
            status="mobilised",
            timeframe="Ongoing",
        )
        for i in range(count)
    )
    MeetingSeries.objects.bulk_create(
        MeetingSeries(
            group=group,
            slug="meeting",
            frequency="monthly",
            ordinal=1 + i % 4,
            weekday=i % 5,
            start_time=time(9 + i % 6),
            end_time=time(10 + i % 6),
            schedule_text="synthetic",
        )
        for i, group in enumerate(groups)
    )
    return groups


def seed_group_count() -> int:
    return GovernanceGroup.objects.count()
