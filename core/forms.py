"""Form helpers shared by the public filters and finders."""

from django import forms


class SingleValueForm(forms.Form):
    """Refuses a filter given more than once, rather than silently using one value."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if hasattr(self.data, "getlist") and len(self.data.getlist(name)) > 1:
                self.add_error(
                    name, f"Give {name} once; it was given {len(self.data.getlist(name))} times."
                )
        return cleaned
