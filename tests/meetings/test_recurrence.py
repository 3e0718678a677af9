"""Expansion of series against dates worked out by hand from a printed calendar."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from groups.models import GovernanceGroup
from meetings.enums import Frequency
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from meetings.occurrences import occurrences_between
from meetings.recurrence import is_rule_date, series_dates
from meetings.selectors import series_queryset
from tests.conftest import LONDON


@pytest.mark.parametrize(
    ("year", "month", "weekday", "ordinal", "expected"),
    [
        (2026, 12, 2, 1, date(2026, 12, 2)),  # 1st Wednesday, month starts on Tuesday
        (2027, 1, 4, 1, date(2027, 1, 1)),  # January 2027 starts on a Friday
        (2027, 1, 3, 1, date(2027, 1, 7)),  # ...so its 1st Thursday is the 7th
        (2027, 1, 4, 5, date(2027, 1, 29)),  # five Fridays
        (2027, 2, 4, 5, None),  # four Fridays only
        (2026, 12, 3, 4, date(2026, 12, 24)),
        (2026, 12, 3, -1, date(2026, 12, 31)),  # last Thursday: the 5th, not the 4th
        (2027, 3, 1, 4, date(2027, 3, 23)),
        (2027, 3, 6, -1, date(2027, 3, 28)),  # last Sunday of March: clocks go forward
    ],
)
def test_nth_weekday(year, month, weekday, ordinal, expected):
    series = MeetingSeries(frequency=Frequency.MONTHLY, ordinal=ordinal, weekday=weekday)
    month_start = date(year, month, 1)
    month_end = (month_start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    assert series_dates(series, month_start, month_end) == ([expected] if expected else [])
    if expected:
        assert is_rule_date(series, expected)
        assert not is_rule_date(series, expected - timedelta(days=7))


def test_psg_over_24_months_by_hand(seeded):
    psg = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    first_wednesdays = [
        date(2026, 12, 2),
        date(2027, 1, 6),
        date(2027, 2, 3),
        date(2027, 3, 3),
        date(2027, 4, 7),
        date(2027, 5, 5),
        date(2027, 6, 2),
        date(2027, 7, 7),
        date(2027, 8, 4),
        date(2027, 9, 1),
        date(2027, 10, 6),
        date(2027, 11, 3),
        date(2027, 12, 1),
        date(2028, 1, 5),
        date(2028, 2, 2),
        date(2028, 3, 1),
        date(2028, 4, 5),
        date(2028, 5, 3),
        date(2028, 6, 7),
        date(2028, 7, 5),
        date(2028, 8, 2),
        date(2028, 9, 6),
        date(2028, 10, 4),
        date(2028, 11, 1),
    ]
    assert series_dates(psg, date(2026, 12, 1), date(2028, 11, 30)) == first_wednesdays


def test_fourth_thursday_in_months_with_five(seeded):
    dcwg = MeetingSeries.objects.get(group__slug="dcwg")
    # December 2026 has five Thursdays (3, 10, 17, 24, 31): the 4th is the 24th.
    assert series_dates(dcwg, date(2026, 12, 1), date(2027, 1, 31)) == [
        date(2026, 12, 24),
        date(2027, 1, 28),
    ]


def test_fortnightly_fridays_from_the_anchor(seeded):
    glig = MeetingSeries.objects.get(group__slug="glig")
    dates = series_dates(glig, date(2026, 12, 1), date(2027, 1, 31))
    # Anchored on Friday 2 January 2026: 48 weeks on is Friday 4 December 2026.
    assert dates == [
        date(2026, 12, 4),
        date(2026, 12, 18),
        date(2027, 1, 1),
        date(2027, 1, 15),
        date(2027, 1, 29),
    ]
    assert series_dates(glig, date(2025, 12, 1), date(2026, 1, 10)) == [date(2026, 1, 2)]


def _utc_hours(occurrences, slug):
    return [o.start.astimezone(UTC).hour for o in occurrences if o.group.slug == slug]


def test_clock_changes_move_utc_not_local_time(seeded):
    found = occurrences_between(date(2027, 2, 1), date(2027, 11, 30), series=series_queryset())
    psg = [o for o in found if o.group.slug == "psg" and o.series.slug == "meeting"]
    assert [o.local_start.strftime("%d %b %H:%M") for o in psg[:3]] == [
        "03 Feb 10:00",
        "03 Mar 10:00",
        "07 Apr 10:00",
    ]
    # 10:00 GMT is 10:00 UTC; 10:00 BST (from 28 March 2027) is 09:00 UTC; back on 31 October.
    assert _utc_hours(psg, "psg") == [10, 10, 9, 9, 9, 9, 9, 9, 9, 10]
    mcag = [o for o in found if o.group.slug == "mcag"]
    assert [(o.local_start.date().isoformat(), o.start.astimezone(UTC).hour) for o in mcag][
        1:3
    ] == [("2027-03-23", 14), ("2027-04-27", 13)]


def test_only_mobilised_groups_meet_regularly(seeded):
    found = occurrences_between(date(2027, 1, 1), date(2027, 1, 31), series=series_queryset())
    slugs = {o.group.slug for o in found if o.status == "confirmed"}
    assert "dag" not in slugs  # available for ad hoc meetings only: its slot is tentative
    assert {o.status for o in found if o.group.slug == "dag"} == {"tentative"}
    assert {
        "psg",
        "sitag",
        "sitwg",
        "mcag",
        "mwg",
        "dcwg",
        "torwg",
        "qag",
        "qwg",
        "ccag",
        "cdwg",
    } == slugs
    # GLIG's Fridays rest on an assumed first date: tentative, each saying why.
    glig = [o for o in found if o.group.slug == "glig"]
    assert [o.local_start.day for o in glig] == [1, 15, 29]
    assert {o.status for o in glig} == {"tentative"}
    assert all(o.note.startswith("Not stated in the source: we assume") for o in glig)
    GovernanceGroup.objects.filter(slug="dag").update(status="mobilised")
    found = occurrences_between(date(2027, 1, 1), date(2027, 1, 31), series=series_queryset())
    assert [o.local_start for o in found if o.group.slug == "dag"] == [
        datetime(2027, 1, 13, 10, tzinfo=LONDON)
    ]


def test_cancelled_moved_and_one_off(seeded):
    sitag = MeetingSeries.objects.get(group__slug="sitag")
    Cancellation.objects.create(series=sitag, date=date(2027, 1, 20), note="Christmas break")
    mwg = MeetingSeries.objects.get(group__slug="mwg")
    Move.objects.create(
        series=mwg,
        original_date=date(2027, 1, 14),
        start=datetime(2027, 1, 15, 9, tzinfo=LONDON),
        end=datetime(2027, 1, 15, 11, tzinfo=LONDON),
    )
    dag = GovernanceGroup.objects.get(slug="dag")
    OneOffMeeting.objects.create(
        group=dag,
        title="DAG extraordinary meeting",
        start=datetime(2027, 1, 27, 13, tzinfo=LONDON),
        end=datetime(2027, 1, 27, 14, tzinfo=LONDON),
    )
    found = occurrences_between(
        date(2027, 1, 1),
        date(2027, 1, 31),
        series=series_queryset(),
        one_offs=OneOffMeeting.objects.select_related("group"),
        include_cancelled=True,
    )
    by_group = {}
    for o in found:
        by_group.setdefault(o.group.slug, []).append(o)
    assert [(o.local_start.day, o.status) for o in by_group["sitag"]] == [(20, "cancelled")]
    assert [(o.local_start.day, o.local_start.hour, o.moved_from) for o in by_group["mwg"]] == [
        (15, 9, date(2027, 1, 14))
    ]
    assert [(o.title, o.one_off) for o in by_group["dag"] if o.status != "tentative"] == [
        ("DAG extraordinary meeting", True)
    ]
    confirmed = occurrences_between(date(2027, 1, 1), date(2027, 1, 31), series=series_queryset())
    assert "sitag" not in {o.group.slug for o in confirmed}


def test_bank_holidays_are_marked(seeded):
    found = occurrences_between(date(2027, 3, 1), date(2027, 3, 31), series=series_queryset())
    glig = [o for o in found if o.group.slug == "glig"]
    assert [(o.local_start.day, o.bank_holiday) for o in glig] == [(12, None), (26, "Good Friday")]


def test_series_validity_window(seeded):
    cdwg = MeetingSeries.objects.get(group__slug="cdwg")
    cdwg.valid_from, cdwg.valid_until = date(2027, 2, 1), date(2027, 3, 31)
    assert series_dates(cdwg, date(2027, 1, 1), date(2027, 6, 30)) == [
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]


def test_moves_into_range_from_outside(seeded):
    qwg = MeetingSeries.objects.get(group__slug="qwg")
    Move.objects.create(
        series=qwg,
        original_date=date(2027, 2, 9),
        start=datetime(2027, 1, 30, 10, tzinfo=LONDON) + timedelta(days=1),
        end=datetime(2027, 1, 31, 11, tzinfo=LONDON),
    )
    found = occurrences_between(date(2027, 1, 1), date(2027, 1, 31), series=series_queryset())
    assert [o.local_start.day for o in found if o.group.slug == "qwg"] == [12, 31]
    found = occurrences_between(date(2027, 2, 1), date(2027, 2, 28), series=series_queryset())
    assert [o.local_start.day for o in found if o.group.slug == "qwg"] == []


def test_time_of_day_is_stored_local(seeded):
    series = MeetingSeries.objects.get(group__slug="qwg")
    assert (series.start_time, series.end_time) == (time(14), time(15, 30))
