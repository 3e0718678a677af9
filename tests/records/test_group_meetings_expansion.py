"""A group's page expands the group's schedule once: its next meetings and its meetings
list come from the same expansion, the next meetings as the feeds' ``next_occurrences``."""

from datetime import timedelta

import pytest

import meetings.occurrences
from meetings.occurrences import next_occurrences
from records.selectors import group_meetings, group_with_schedule


@pytest.mark.parametrize("slug", ["psg", "sitwg", "dag", "ccag"])
@pytest.mark.parametrize("days", [0, 40, 200])
def test_the_next_meetings_are_those_of_the_feeds(seeded, now, slug, days):
    at = now + timedelta(days=days, hours=3)
    group = group_with_schedule(slug)
    assert group_meetings(group, now=at).next == next_occurrences(
        series=group.regular_series, one_offs=group.one_off_meetings.all(), now=at
    )


def test_the_group_page_expands_the_schedule_once(client, seeded, monkeypatch):
    calls = []
    expand = meetings.occurrences.series_dates

    def counted(series, start, end):
        calls.append(series.group.slug)
        return expand(series, start, end)

    monkeypatch.setattr(meetings.occurrences, "series_dates", counted)
    assert client.get("/groups/psg/").status_code == 200
    assert set(calls) == {"psg"}
    regular = len(group_with_schedule("psg").regular_series)
    assert len(calls) == regular  # once per series, not twice
