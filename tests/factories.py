"""Synthetic data: copies of the seed's groups and series, for query counts and the bench."""

from groups.integrity import expected_slug
from groups.models import GovernanceGroup
from meetings.models import MeetingSeries


def add_seed_copies(copies: int) -> list[GovernanceGroup]:
    """Add ``copies`` copies of every seed group and its series, so that the data grows as
    the seed's mix of levels, statuses and schedules. A copy reports to the seed's parent."""
    seed = list(GovernanceGroup.objects.prefetch_related("series").order_by("pk"))
    copied = [
        GovernanceGroup(
            acronym=f"{group.acronym}{n}" if group.acronym else "",
            name=f"{group.name} (copy {n})",
            kind=group.kind,
            level_id=group.level_id,
            level_note=group.level_note,
            workstream_id=group.workstream_id,
            workstream_note=group.workstream_note,
            parent_id=group.parent_id,
            purpose=group.purpose,
            attendees=group.attendees,
            attendance=group.attendance,
            decision_making=group.decision_making,
            constituency_representatives=group.constituency_representatives,
            status=group.status,
            status_note=group.status_note,
            timeframe=group.timeframe,
        )
        for n in range(1, copies + 1)
        for group in seed
    ]
    for copy in copied:
        copy.slug = expected_slug(copy)
    groups = GovernanceGroup.objects.bulk_create(copied)
    originals = [group for _ in range(copies) for group in seed]
    MeetingSeries.objects.bulk_create(
        MeetingSeries(
            group=copy,
            slug=series.slug,
            title=series.title,
            order=series.order,
            frequency=series.frequency,
            ordinal=series.ordinal,
            weekday=series.weekday,
            interval_weeks=series.interval_weeks,
            anchor_date=series.anchor_date,
            start_time=series.start_time,
            end_time=series.end_time,
            schedule_text=series.schedule_text,
            source=series.source,
        )
        for copy, original in zip(groups, originals, strict=True)
        for series in original.series.all()
    )
    return groups
