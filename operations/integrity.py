"""Integrity checks over the stored governance data and its schedules."""

from django.core.exceptions import ValidationError

from groups.hierarchy import walk_up
from groups.integrity import expected_slug
from groups.models import GovernanceGroup
from meetings.models import MeetingSeries


def governance_data_problems() -> list[str]:
    """Every integrity problem, as one sentence each; empty when the data is sound."""
    problems = []
    groups = {g.pk: g for g in GovernanceGroup.objects.select_related("level", "workstream")}
    for group in groups.values():
        name = group.short_name
        if group.slug != expected_slug(group):
            problems.append(f"{name}: slug {group.slug!r} should be {expected_slug(group)!r}.")
        if group.level_id is None and not group.level_note:
            problems.append(f"{name}: no level and no recorded note (such as NA).")
        if group.workstream_id is None and not group.workstream_note:
            problems.append(f"{name}: no workstream and no recorded reason.")
        if walk_up(group.pk, lambda pk: groups[pk].parent_id).loops:
            problems.append(f"{name}: its parents form a cycle.")
    for series in MeetingSeries.objects.select_related("group"):
        try:
            series.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.append(f"{series}: {field}: {' '.join(messages)}")
    return problems
