"""The small template filters and tags that keep logic (joining names, a meeting's state, a
calendar day's classes) out of the templates, rendered through Django's template engine."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from core.text import join_and
from groups.models import GovernanceGroup
from meetings.enums import OccurrenceStatus
from meetings.occurrences import Occurrence
from meetings.selectors import Day
from tests.conftest import PINNED_NOW


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_links_join_with_commas_and_join_and_puts_and_before_the_last(seeded):
    groups = list(GovernanceGroup.objects.filter(slug__in=["dag", "psg", "sitwg"]).order_by("slug"))
    links = [f'<a href="/groups/{g.slug}/">{g.short_name}</a>' for g in groups]
    load = "{% load directory %}"
    assert render(load + '{{ gs|links:"short_name"|join:", " }}', gs=groups) == ", ".join(links)
    assert render(load + '{{ gs|links:"short_name"|join_and }}', gs=groups) == (
        f"{links[0]}, {links[1]} and {links[2]}"
    )
    assert render(load + '{{ gs|links:"short_name"|join_and }}', gs=groups[:2]) == (
        f"{links[0]} and {links[1]}"
    )
    assert render(load + '{{ gs|links:"short_name"|join_and }}', gs=groups[:1]) == links[0]
    assert render(load + '{{ gs|links|join:", "|default:"none" }}', gs=[]) == "none"
    # Without an attribute the link's words are the group's display name.
    assert f">{groups[0].display_name}</a>" in render(load + "{{ gs|links|join_and }}", gs=groups)


def test_link_words_and_joined_words_are_escaped(seeded):
    group = GovernanceGroup.objects.get(slug="psg")
    group.name = "Tom & <Jerry>"
    html = render('{% load directory %}{{ gs|links:"name"|join_and }}', gs=[group])
    assert html == '<a href="/groups/psg/">Tom &amp; &lt;Jerry&gt;</a>'
    load = "{% load directory %}"
    assert render(load + "{{ w|join_and }}", w=["a<b", "c"]) == "a&lt;b and c"
    assert render(load + "{{ w|uppercase_each|join_and }}", w=["psg", "dag", "sitwg"]) == (
        "PSG, DAG and SITWG"
    )


def test_mailto_links_join_as_the_templates_wrote_them():
    addresses = ["psg@example.org", "a&b@example.org"]
    load = "{% load directory %}"
    by_hand = render(
        load + '{% for a in m %}<a href="mailto:{{ a }}">{{ a }}</a>'
        "{% if not forloop.last %}, copied to {% endif %}{% endfor %}",
        m=addresses,
    )
    assert render(load + '{{ m|mailto_links|join:", copied to " }}', m=addresses) == by_hand
    assert by_hand == (
        '<a href="mailto:psg@example.org">psg@example.org</a>, copied to '
        '<a href="mailto:a&amp;b@example.org">a&amp;b@example.org</a>'
    )


@pytest.mark.parametrize(
    ("value", "display"),
    [
        (datetime(2026, 7, 1, 8, 30, tzinfo=UTC), "j F Y, H:i"),  # summer time: 09:30 in London
        (datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "H:i"),
        (date(2026, 11, 26), "l j F Y"),
        (None, "j F Y"),
    ],
)
def test_time_tag_is_the_time_element_the_templates_wrote_by_hand(value, display):
    by_hand = render(
        '{% load directory %}<time datetime="{{ v|iso }}">{{ v|date:f }}</time>', v=value, f=display
    )
    assert render("{% load directory %}{{ v|time_tag:f }}", v=value, f=display) == by_hand


def test_time_tag_shows_uk_time():
    html = render(
        '{% load directory %}{{ v|time_tag:"j F Y, H:i" }}',
        v=datetime(2026, 7, 1, 8, 30, tzinfo=UTC),
    )
    assert html == '<time datetime="2026-07-01T09:30:00+01:00">1 July 2026, 09:30</time>'


def _occurrence(status=OccurrenceStatus.CONFIRMED, *, ended: bool, **fields):
    end = PINNED_NOW - timedelta(hours=1) if ended else PINNED_NOW + timedelta(hours=1)
    return Occurrence(None, None, "", end - timedelta(hours=2), end, status=status, **fields)


STATUS = "{% load records %}{% meeting_status o now group %}"


@pytest.mark.parametrize(
    ("status", "ended", "shown"),
    [
        (OccurrenceStatus.CONFIRMED, True, "Held"),
        (OccurrenceStatus.CONFIRMED, False, "Scheduled"),
        (OccurrenceStatus.CANCELLED, True, '<strong class="status-cancelled">Cancelled</strong>'),
        (
            OccurrenceStatus.TENTATIVE,
            False,
            '<strong class="status-tentative">Tentative date</strong>',
        ),
    ],
)
def test_meeting_status_in_a_word(status, ended, shown):
    assert render(STATUS, o=_occurrence(status, ended=ended), now=PINNED_NOW, group=None) == shown


def test_a_meeting_ending_now_has_been_held():
    occurrence = Occurrence(None, None, "", PINNED_NOW - timedelta(hours=2), PINNED_NOW)
    assert render(STATUS, o=occurrence, now=PINNED_NOW, group=None) == "Held"


def test_meeting_status_says_where_it_moved_from_that_it_is_a_one_off_its_note_and_holiday(seeded):
    group = GovernanceGroup.objects.get(slug="psg")
    fields = {"moved_from": date(2026, 12, 2), "one_off": True, "note": "Room <B>"}
    occurrence = _occurrence(ended=False, bank_holiday="Boxing Day", **fields)
    assert render(STATUS, o=occurrence, now=PINNED_NOW, group=group) == (
        'Scheduled: moved from <a href="/groups/psg/meetings/2026-12-02/">Wednesday 2 December'
        " 2026</a>: a one-off meeting. Room &lt;B&gt;"
        ' <strong class="bank-holiday">Boxing Day is a bank holiday: check with the PMO that it'
        " goes ahead.</strong>"
    )
    # A cancelled meeting says nothing of the bank holiday it would have fallen on.
    cancelled = _occurrence(OccurrenceStatus.CANCELLED, ended=False, bank_holiday="Boxing Day")
    assert "bank" not in render(STATUS, o=cancelled, now=PINNED_NOW, group=group)


def _day(**fields):
    values = {"date": date(2026, 11, 26), "in_month": True, "is_today": False, "bank_holiday": None}
    return Day(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "classes"),
    [
        ({}, "empty"),
        ({"occurrences": ["a meeting"]}, ""),
        ({"moved_away": ["a meeting"]}, ""),
        ({"is_past": True, "in_month": False}, "past other-month empty"),
        ({"is_today": True, "occurrences": ["a meeting"]}, "today"),
        ({"bank_holiday": "Christmas Day"}, "holiday"),
        (
            {"is_past": True, "bank_holiday": "Boxing Day", "in_month": False},
            "past other-month holiday",
        ),
    ],
)
def test_a_calendar_days_classes(fields, classes):
    assert render("{% load directory %}{{ d|day_classes }}", d=_day(**fields)) == classes


@pytest.mark.parametrize(
    ("kind", "words"),
    [("difference", "sources differ"), ("inferred", "inferred"), ("single_source", "one source")],
)
def test_the_monthly_patterns_marker_words(kind, words):
    note = type("Note", (), {"kind": kind})()
    assert render("{% load provenance %}{{ n|pattern_marker }}", n=note) == words


def test_no_template_line_is_longer_than_120_characters():
    """As ``make lint`` checks: a long line hides logic that belongs in Python."""
    root = Path(settings.BASE_DIR) / "templates"
    long = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > 120
    ]
    assert long == []


@pytest.mark.parametrize(
    ("words", "sentence"),
    [([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C")],
)
def test_core_join_and_writes_a_list_as_in_a_sentence(words, sentence):
    assert join_and(iter(words)) == sentence
