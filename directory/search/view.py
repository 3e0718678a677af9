"""The search page, ``/search/?q=``."""

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.forms import SingleValueForm

from .backends import site_search
from .query import MAX_RESULTS, phrase

MAX_QUERY_LENGTH = 200


class SearchForm(SingleValueForm):
    q = forms.CharField(
        label="Search groups, mailboxes and escalation guidance",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text="Searches the names (the source's tables' own names too), acronyms, purposes "
        "and attendees of the groups, the programme's mailboxes, and the escalation and query "
        "guidance with its worked examples.",
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": "Search for at most %(limit_value)d characters; "
            "this search has %(show_value)d. Use fewer or shorter words."
        },
    )

    def full_clean(self):
        super().full_clean()
        if self.errors.get("q"):  # the error first, then the help (Django's own id for it)
            field_id = self["q"].auto_id
            self.fields["q"].widget.attrs["aria-describedby"] = (
                f"{field_id}-error {field_id}_helptext"
            )


@require_safe
def search(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "results": [], "limit": MAX_RESULTS}
    if not form.is_valid():
        return render(request, "directory/search.html", context, status=400)
    query = phrase(form.cleaned_data["q"])
    context.update(query=query, results=site_search(query) if query else [])
    return render(request, "directory/search.html", context)
