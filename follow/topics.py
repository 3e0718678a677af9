"""Which topic each kind of change-log entry belongs to: what a subscriber hears about.

Every registered change kind (``changelog.kinds``) has exactly one topic here; a kind
added to an app without a line here fails ``tests/follow/test_topics.py`` rather than
being silently never sent.
"""

from groups.enums import GroupChangeKind
from meetings.enums import MeetingChangeKind
from records.enums import RecordChangeKind
from representation.enums import RepresentationChange

from .enums import Topic

_PAPERS = [
    RecordChangeKind.DOCUMENT_ADDED,
    RecordChangeKind.DOCUMENT_CHANGED,
    RecordChangeKind.DOCUMENT_REMOVED,
]
_RECORDS = [
    RecordChangeKind.DECISION_PUBLISHED,
    RecordChangeKind.DECISION_CHANGED,
    RecordChangeKind.DECISION_WITHDRAWN,
    RecordChangeKind.DECISION_SUPERSEDED,
    RecordChangeKind.DECISION_REMOVED,
    RecordChangeKind.ACTION_ADDED,
    RecordChangeKind.ACTION_CHANGED,
    RecordChangeKind.ACTION_CLOSED,
]

TOPIC_OF_KIND: dict[str, Topic] = {
    **{kind.value: Topic.MEETINGS for kind in MeetingChangeKind},
    **{kind.value: Topic.PAPERS for kind in _PAPERS},
    **{kind.value: Topic.RECORDS for kind in _RECORDS},
    **{kind.value: Topic.STRUCTURE for kind in GroupChangeKind},
    **{kind.value: Topic.STRUCTURE for kind in RepresentationChange},
}


def topic_of(kind) -> Topic | None:
    """The topic of a change kind; None for a kind nobody declared (never sent)."""
    return TOPIC_OF_KIND.get(str(kind))


def kinds_of(topics) -> set[str]:
    """The change kinds of the given topics (``Topic`` values)."""
    wanted = {str(topic) for topic in topics}
    return {kind for kind, topic in TOPIC_OF_KIND.items() if topic.value in wanted}
