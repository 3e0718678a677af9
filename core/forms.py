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


def query_without_page(data) -> str:
    """A filter's query string without its page number: for links to its other pages and
    to the same filter as JSON or CSV."""
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


def with_query(path: str, query: str) -> str:
    """``path`` with ``query`` appended, or ``path`` alone when there is none."""
    return f"{path}?{query}" if query else path
