from django import forms

from .enums import Frequency, Reminder, Topic
from .services import Choices

NO_FOLLOWS = "Choose at least one group or workstream to follow"
NOTHING_TO_HEAR = "Choose at least one thing to hear about, or a reminder before meetings"


class ChoicesForm(forms.Form):
    """What to follow and how: the form of /follow/ and of a subscription's manage page.

    ``groups`` and ``workstreams`` are the model instances to choose from (by slug); the
    cleaned data's ``choices`` is a ``follow.services.Choices``."""

    groups = forms.MultipleChoiceField(
        label="Groups",
        required=False,
        error_messages={"invalid_choice": "There is no group %(value)s: choose from the list"},
    )
    workstreams = forms.MultipleChoiceField(
        label="Workstreams",
        required=False,
        error_messages={"invalid_choice": "There is no workstream %(value)s: choose from the list"},
    )
    topics = forms.MultipleChoiceField(
        label="What to hear about",
        required=False,
        choices=Topic.choices,
        error_messages={"invalid_choice": "There is no topic %(value)s: choose from the list"},
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how often to hear",
            "invalid_choice": "Choose how often to hear from the list",
        },
    )
    reminder_days = forms.TypedChoiceField(
        label="Reminder before each meeting",
        choices=Reminder.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a reminder, or no reminder",
            "invalid_choice": "Choose a reminder from the list",
        },
    )

    def __init__(self, *args, groups, workstreams, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_by_slug = {g.slug: g for g in groups}
        self.workstream_by_slug = {w.slug: w for w in workstreams}
        self.fields["groups"].choices = [(g.slug, g.display_name) for g in groups]
        self.fields["workstreams"].choices = [(w.slug, w.name) for w in workstreams]

    def clean(self):
        cleaned = super().clean()
        if (
            "groups" in cleaned
            and "workstreams" in cleaned
            and not cleaned["groups"]
            and not cleaned["workstreams"]
        ):
            self.add_error("groups", NO_FOLLOWS)
        if (
            "topics" in cleaned
            and "reminder_days" in cleaned
            and not cleaned["topics"]
            and cleaned["reminder_days"] == Reminder.NONE
        ):
            self.add_error("topics", NOTHING_TO_HEAR)
        if not self.errors:
            cleaned["choices"] = Choices(
                groups=[self.group_by_slug[slug] for slug in cleaned["groups"]],
                workstreams=[self.workstream_by_slug[slug] for slug in cleaned["workstreams"]],
                topics=[t for t in Topic.values if t in cleaned["topics"]],
                frequency=cleaned["frequency"],
                reminder_days=cleaned["reminder_days"],
            )
        return cleaned


class FollowForm(ChoicesForm):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of up to 254 characters",
        },
    )
    field_order = ["email", "groups", "workstreams", "topics", "frequency", "reminder_days"]
