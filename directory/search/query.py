"""What site-wide search looks for, and in which words.

Besides the records below, a search naming a group (its acronym or name), perhaps with a
date or month, lists that group's meetings (``meetings.py``).

A query is split into words (case-folded, common English words dropped, at most
``MAX_WORDS``). A record matches when any word matches one of its fields; it ranks higher
the more of the words it has, the heavier the fields they are in (weights A > B > C, as
PostgreSQL's ``ts_rank`` weighs them), and when a name, acronym or title is the query
itself. ``KINDS`` lists what is searched: each kind of record is read in one query,
however many records there are (backends.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core import clock
from escalations.models import GuidanceSection, WorkedExample
from groups.models import GovernanceGroup, Mailbox
from records.enums import ActionStatus, DecisionStatus, DocumentKind
from records.models import Action
from records.selectors import public_documents, published_decisions

MAX_WORDS = 10
MAX_RESULTS = 50
EXCERPT_WORDS = 35
# A name, acronym or title that is the whole query ranks above any partial match.
EXACT_BONUS = 1.0
# A group the query names (its acronym or name, perhaps with a date and "meet") ranks above
# everything else but the meetings asked for by date (meetings.py).
NAMED_GROUP_BONUS = 100.0

# What each kind of result is, in the order its section comes when scores tie, with the
# heading of its section on the page.
SECTIONS = {
    "Group": "Groups",
    "Meeting": "Meetings",
    "Paper": "Papers (published documents)",
    "Decision": "Decisions (published)",
    "Action": "Actions",
    "Mailbox": "Mailboxes",
    "Escalation guidance": "Escalation and query guidance",
    "Worked example": "Worked examples",
}
KIND_ORDER = {label: n for n, label in enumerate(SECTIONS)}

# Words too common to search for: PostgreSQL's English stop words (the Snowball list), which
# its full-text search drops, so that "the" or "of" matches nothing on either database.
_STOP_WORDS = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Result:
    """One search hit. ``kind`` is the label the page shows ("Group", "Mailbox", ...);
    ``excerpt_html`` is safe HTML (escaped text, matches in ``<mark>``); a higher
    ``score`` is a better match (comparable within one search only)."""

    kind: str
    title: str
    url: str
    excerpt_html: SafeString
    score: float


@dataclass(frozen=True)
class Kind:
    """What is searched in one model, and how a row becomes a result."""

    label: str
    queryset: Callable[[], QuerySet]
    fields: dict[str, str]  # field name -> weight letter
    exact: tuple[str, ...]  # fields that, equal to the whole query, earn EXACT_BONUS
    excerpt: tuple[str, ...]  # fields an excerpt is taken from, in order of preference
    title: Callable[[object], str]
    url: Callable[[object], str]
    # Short fields whose punctuation PostgreSQL's parser would otherwise keep inside one
    # token ("BPRWG/TDWG" as a path, "Sims.Ems@..." as an e-mail address).
    split: tuple[str, ...] = ()
    # The excerpt's text made from the row, marked with the words on either database,
    # instead of excerpts of ``excerpt`` fields (a paper or an action, in a sentence).
    describe: Callable[[object], str] | None = None


# Where each guidance section is shown (templates/escalations/guidance.html's headings).
_SECTION_ANCHORS = {
    "escalation-process": "#escalation-heading",
    "ofgem-note": "#escalation-heading",
    "general-queries": "#queries-heading",
}


def _section_url(section) -> str:
    if section.key == "contact-us":  # the contact page's own introduction
        return reverse("groups:contact")
    return reverse("escalations:guidance") + _SECTION_ANCHORS.get(section.key, "")


# The contact page has no per-mailbox anchors, so a mailbox links to the page itself.
def _mailbox_url(mailbox) -> str:
    return reverse("groups:contact")


def _long_date(day) -> str:
    return f"{day:%A %-d %B %Y}"


def _decision_title(decision) -> str:
    title = f"{decision.reference}: {decision.title}"
    if decision.status != DecisionStatus.MADE:
        return f"{title} ({decision.get_status_display().lower()})"
    return title


def _describe_document(document) -> str:
    record = document.record
    return (
        f"{document.get_kind_display()} of the {record.group.short_name} meeting on "
        f"{_long_date(record.date)}, published {document.published_on:%-d %B %Y}."
    )


def _describe_action(action) -> str:
    record = action.record
    due = f"due {action.due:%-d %B %Y}" if action.due else "no due date"
    state = "closed" if action.status == ActionStatus.CLOSED else "open"
    description = " ".join(action.description.split())
    if not description.endswith((".", "!", "?")):
        description += "."
    return (
        f"{description} Owner: {action.owner}; {due}; {state}. "
        f"From the {record.group.short_name} meeting on {_long_date(record.date)}."
    )


# A document's kind in words ("Minutes", "Headline report"), searched like its title.
_KIND_LABEL = Case(
    *(When(kind=kind.value, then=Value(kind.label)) for kind in DocumentKind),
    default=Value(""),
    output_field=CharField(),
)
_MEETING_FIELDS = ("record__date", "record__group__slug", "record__group__acronym")
_MEETING_FIELDS += ("record__group__name",)


KINDS = (
    Kind(
        label="Group",
        queryset=lambda: GovernanceGroup.objects.only(
            "slug", "acronym", "name", "source_names", "purpose", "attendees"
        ),
        # ``source_names``: the names the source's tables give ("Fast Track
        # Implementation Group (GLIG) SIT" for GLIG).
        fields={"acronym": "A", "name": "A", "source_names": "A", "purpose": "B", "attendees": "C"},
        exact=("acronym", "name"),
        excerpt=("purpose", "attendees", "source_names"),
        title=lambda group: group.display_name,
        url=lambda group: reverse("directory:group_detail", args=[group.slug]),
        split=("acronym", "name"),
    ),
    Kind(
        label="Mailbox",
        queryset=lambda: Mailbox.objects.only("slug", "name", "address", "purpose"),
        fields={"name": "A", "address": "A", "purpose": "B"},
        exact=("name", "address"),
        excerpt=("purpose",),
        title=lambda mailbox: f"{mailbox.name} mailbox: {mailbox.address}",
        url=_mailbox_url,
        split=("name", "address"),
    ),
    Kind(
        label="Escalation guidance",
        queryset=lambda: GuidanceSection.objects.only("key", "title", "body"),
        fields={"title": "A", "body": "B"},
        exact=("title",),
        excerpt=("body",),
        title=lambda section: section.title,
        url=_section_url,
    ),
    Kind(
        label="Worked example",
        queryset=lambda: WorkedExample.objects.only("key", "scenario", "seed_action"),
        fields={"scenario": "B", "seed_action": "B"},
        exact=(),
        excerpt=("scenario", "seed_action"),
        title=lambda example: Truncator(example.scenario).words(12),
        url=lambda example: reverse("escalations:guidance") + f"#example-{example.key}",
    ),
    Kind(
        label="Decision",
        queryset=lambda: published_decisions(clock.now()).only(
            "reference", "title", "summary", "rationale", "status"
        ),
        fields={"reference": "A", "title": "A", "summary": "B", "rationale": "C"},
        exact=("reference", "title"),
        excerpt=("summary", "rationale"),
        title=_decision_title,
        url=lambda decision: decision.get_absolute_url(),
        split=("reference",),
    ),
    Kind(
        label="Paper",
        queryset=lambda: (
            public_documents(clock.now())
            .select_related("record__group")
            .annotate(kind_label=_KIND_LABEL, group_acronym=F("record__group__acronym"))
            .only("title", "kind", "publish_at", "first_published", *_MEETING_FIELDS)
        ),
        fields={"title": "A", "kind_label": "A", "group_acronym": "B"},
        exact=("title",),
        excerpt=(),
        title=lambda document: document.title,
        url=lambda document: document.get_absolute_url(),
        split=("group_acronym",),
        describe=_describe_document,
    ),
    Kind(
        label="Action",
        queryset=lambda: (
            Action.objects.select_related("record__group")
            .annotate(group_acronym=F("record__group__acronym"))
            .only("reference", "description", "owner", "due", "status", *_MEETING_FIELDS)
        ),
        fields={"reference": "A", "description": "B", "group_acronym": "B", "owner": "C"},
        exact=("reference",),
        excerpt=(),
        title=lambda action: f"{action.reference}: {Truncator(action.description).words(10)}",
        url=lambda action: action.record.get_absolute_url() + "#actions-heading",
        split=("reference", "group_acronym"),
        describe=_describe_action,
    ),
)


def query_words(query: str) -> list[str]:
    """The words searched for: lower-cased, without stop words, single letters or repeats."""
    words = []
    for word in re.findall(r"[^\W_]+", query.lower()):
        if word in STOP_WORDS or (len(word) == 1 and not word.isdigit()) or word in words:
            continue
        words.append(word)
    return words[:MAX_WORDS]


def phrase(query: str) -> str:
    """The query as typed, its runs of spaces made one."""
    return " ".join(query.split())
