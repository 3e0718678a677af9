"""Integrity checks over the stored governance data."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .models import GovernanceGroup


def expected_slug(group: GovernanceGroup) -> str:
    """SPEC's slug: the lower-cased acronym ("/" becomes "-"), else the slugified name."""
    if group.acronym:
        return slugify(group.acronym.replace("/", "-"))
    return slugify(group.name)


def governance_data_problems() -> list[str]:
    """Every integrity problem, as one sentence each; empty when the data is sound."""
    from meetings.models import MeetingSeries

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
        seen, node_id = {group.pk}, group.parent_id
        while node_id is not None:
            if node_id in seen:
                problems.append(f"{name}: its parents form a cycle.")
                break
            seen.add(node_id)
            node_id = groups[node_id].parent_id
    for series in MeetingSeries.objects.select_related("group"):
        try:
            series.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.append(f"{series}: {field}: {' '.join(messages)}")
    return problems
