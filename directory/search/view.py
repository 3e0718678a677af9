"""The search page, ``/search/?q=``: results grouped by what they are, each group under a
heading, the group with the best result first."""

from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import clock
from core.forms import SingleValueForm

from .backends import site_search
from .dates import BadDate, parse_when
from .query import MAX_RESULTS, SECTIONS, Result, phrase

MAX_QUERY_LENGTH = 200


class SearchForm(SingleValueForm):
    q = forms.CharField(
        label="Search groups, meetings, papers, decisions, actions, mailboxes and guidance",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text="Searches the groups (their names, the source's tables' own names too, "
        "acronyms, purposes and attendees), published papers by title and kind (agenda, "
        "minutes, ...), published decisions, actions, the programme's mailboxes, and the "
        "escalation and query guidance with its worked examples. A group's acronym or name "
        "with a month or date, such as “PSG March” or “SITWG 3 March 2027”, finds its "
        "meetings then; without a date, its next meetings.",
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": "Search for at most %(limit_value)d characters; "
            "this search has %(show_value)d. Use fewer or shorter words."
        },
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        try:
            parse_when(query, today=clock.today())
        except BadDate as error:
            raise forms.ValidationError(
                f"{error} Give a date that exists, such as “3 March 2027”, or a month, such "
                "as “March 2027”.",
                code="bad_date",
            ) from None
        return query

    def full_clean(self):
        super().full_clean()
        if self.errors.get("q"):  # the error first, then the help (Django's own id for it)
            field_id = self["q"].auto_id
            self.fields["q"].widget.attrs["aria-describedby"] = (
                f"{field_id}-error {field_id}_helptext"
            )


@dataclass(frozen=True)
class Section:
    """The results of one kind, under its heading."""

    kind: str
    heading: str
    results: list[Result]

    @property
    def anchor(self) -> str:
        return "results-" + self.kind.lower().replace(" ", "-")


def sections(results: list[Result]) -> list[Section]:
    """``results`` by kind, in the order of each kind's best result, each kept in order."""
    found: dict[str, list[Result]] = {}
    for result in results:
        found.setdefault(result.kind, []).append(result)
    return [Section(kind, SECTIONS[kind], found[kind]) for kind in found]


@require_safe
def search(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "results": [], "sections": [], "limit": MAX_RESULTS}
    if not form.is_valid():
        return render(request, "directory/search.html", context, status=400)
    query = phrase(form.cleaned_data["q"])
    results = site_search(query) if query else []
    context.update(query=query, results=results, sections=sections(results))
    return render(request, "directory/search.html", context)
