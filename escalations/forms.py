from django import forms

from core import clock
from core.forms import SingleValueForm
from groups.enums import NO_LEVEL
from groups.filters import NO_SUCH_WORKSTREAM
from records.models import Decision
from records.selectors import decision_by_reference

from .enums import KIND_HELP, RouteKind
from .routes import TOPICS, UNKNOWN_WORKSTREAM

# The question a participant asks, in their words; the value is the route's kind.
WHAT_TO_DO = {
    RouteKind.FORMAL: "Challenge a decision",
    RouteKind.INFORMAL: "Raise a concern about activity or approach",
    RouteKind.QUERY: "Ask a question",
}


def group_choices(groups):
    """Groups for a select, grouped by level."""
    grouped: dict[str, list] = {}
    for group in groups:
        heading = group.level.label if group.level_id else NO_LEVEL
        grouped.setdefault(heading, []).append((group.slug, group.display_name))
    return [("", "I don't know, or any group")] + list(grouped.items())


BAD_TOPIC = (
    "There is no topic %(value)s: choose "
    + ", ".join(TOPICS)
    + " (the specialist mailboxes the source's Contact Us list gives), or leave it out."
)


class RouteForm(SingleValueForm):
    workstream = forms.ChoiceField(
        label="What is it about?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NO_SUCH_WORKSTREAM},
    )
    kind = forms.ChoiceField(
        label="What do you want to do?",
        choices=[(k.value, WHAT_TO_DO[k]) for k in RouteKind],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you want to do"},
    )
    topic = forms.ChoiceField(
        label="If you have a question, is it about one of these? (optional)",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": BAD_TOPIC},
    )
    group = forms.ChoiceField(
        label="Which group is it about? (optional)",
        required=False,
        error_messages={"invalid_choice": "There is no group %(value)s: choose one from the list."},
    )
    decision = forms.CharField(
        label="Decision reference (optional)",
        required=False,
        max_length=40,
        help_text="From the decision register, e.g. PSG-2027-001.",
    )
    constituency = forms.ChoiceField(
        label="Your constituency (optional)",
        required=False,
        error_messages={
            "invalid_choice": "There is no constituency %(value)s: choose one from the list "
            "(see /constituencies/), or leave it out."
        },
    )

    def __init__(
        self, data=None, *args, groups, workstreams, mailboxes, constituencies=(), **kwargs
    ):
        """``groups``: every group, by level then name (as ``RouteData`` has them);
        ``mailboxes``: every mailbox by slug (the topics are those among them);
        ``constituencies``: every constituency (a route then names its representatives).

        A decision reference alone asks how to challenge that decision: the kind is formal.
        """
        if data is not None and data.get("decision") and not data.get("kind"):
            data = data.copy()
            data["kind"] = RouteKind.FORMAL.value
        super().__init__(data, *args, **kwargs)
        self.groups = {g.slug: g for g in groups}
        self.fields["group"].choices = group_choices(self.groups.values())
        self.fields["workstream"].choices = [
            *((w.slug, w.name) for w in workstreams),
            (UNKNOWN_WORKSTREAM, "I don't know"),
        ]
        self.fields["topic"].choices = [
            ("", "None of these, or not sure"),
            *((slug, label) for slug, label in TOPICS.items() if slug in mailboxes),
        ]
        self.topic_mailboxes = {slug: mailboxes[slug] for slug in TOPICS if slug in mailboxes}
        self.hints = {k.value: KIND_HELP[k] for k in RouteKind}
        self.constituencies = {c.slug: c for c in constituencies}
        self.fields["constituency"].choices = [
            ("", "Not given"),
            *((c.slug, c.name) for c in self.constituencies.values()),
        ]

    def clean_constituency(self):
        return self.constituencies.get(self.cleaned_data["constituency"])

    def clean_group(self):
        return self.groups.get(self.cleaned_data["group"])

    def clean_decision(self):
        reference = self.cleaned_data["decision"].strip().upper()
        if not reference:
            return None
        try:
            return decision_by_reference(reference, now=clock.now())
        except Decision.DoesNotExist:
            raise forms.ValidationError(
                f"There is no published decision {reference}: check the reference in the "
                "decision register (references look like PSG-2027-001)."
            ) from None

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision is not None:
            if cleaned.get("kind") and cleaned["kind"] != RouteKind.FORMAL:
                self.add_error("kind", "A decision is challenged through the formal route.")
            cleaned["group"] = self.groups.get(decision.group.slug)
        if cleaned.get("topic") and cleaned.get("kind") not in (None, RouteKind.QUERY):
            self.add_error(
                "topic",
                'A topic is for a question: choose "Ask a question", or leave the topic out.',
            )
        about = cleaned.get("group") or cleaned.get("workstream") or cleaned.get("topic")
        asked = ("group", "workstream", "decision", "topic")
        if not about and not any(name in self.errors for name in asked):
            self.add_error("workstream", "Choose what it is about, or the group")
        return cleaned
