"""Every kind of change belongs to exactly one topic, so none is silently never sent."""

import pytest

from changelog import kinds
from follow.enums import Topic
from follow.topics import TOPIC_OF_KIND, kinds_of, topic_of


def test_every_registered_change_kind_has_a_topic_and_no_topic_names_an_unknown_kind():
    registered = {kind for kind, _ in kinds.all_kinds()}
    assert registered
    assert set(TOPIC_OF_KIND) == registered
    assert all(isinstance(topic, Topic) for topic in TOPIC_OF_KIND.values())


def test_every_topic_has_kinds_and_the_topics_part_the_kinds():
    parts = [kinds_of([topic]) for topic in Topic]
    assert all(parts)
    assert sum(len(part) for part in parts) == len(TOPIC_OF_KIND)
    assert kinds_of(Topic) == set(TOPIC_OF_KIND)


@pytest.mark.parametrize(
    "kind, topic",
    [
        ("meeting_cancelled", Topic.MEETINGS),
        ("meeting_moved", Topic.MEETINGS),
        ("one_off_added", Topic.MEETINGS),
        ("schedule_changed", Topic.MEETINGS),
        ("document_added", Topic.PAPERS),
        ("document_changed", Topic.PAPERS),
        ("decision_published", Topic.RECORDS),
        ("decision_superseded", Topic.RECORDS),
        ("action_added", Topic.RECORDS),
        ("action_closed", Topic.RECORDS),
        ("status_changed", Topic.STRUCTURE),
        ("group_added", Topic.STRUCTURE),
        ("group_replaced", Topic.STRUCTURE),
        ("mailbox_changed", Topic.STRUCTURE),
        ("representative_appointed", Topic.STRUCTURE),
        ("seats_changed", Topic.STRUCTURE),
    ],
)
def test_kinds_belong_to_their_topic(kind, topic):
    assert topic_of(kind) == topic


def test_an_undeclared_kind_has_no_topic():
    assert topic_of("never_declared") is None
