from django import forms

from core.forms import SingleValueForm
from groups.enums import NO_LEVEL

from .enums import KIND_HELP, RouteKind


def group_choices(groups):
    """Groups for a select, grouped by level."""
    grouped: dict[str, list] = {}
    for group in groups:
        heading = group.level.label if group.level_id else NO_LEVEL
        grouped.setdefault(heading, []).append((group.slug, group.display_name))
    return [("", "Choose a group")] + list(grouped.items())


class RouteForm(SingleValueForm):
    group = forms.ChoiceField(label="The group concerned")
    kind = forms.ChoiceField(
        label="What you want to do",
        choices=[(k.value, f"{k.label}: {KIND_HELP[k]}") for k in RouteKind],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, groups, **kwargs):
        """``groups``: every group, ordered by level then name (as ``RouteData`` has them)."""
        super().__init__(*args, **kwargs)
        self.groups = {g.slug: g for g in groups}
        self.fields["group"].choices = group_choices(self.groups.values())

    def clean_group(self):
        return self.groups[self.cleaned_data["group"]]
