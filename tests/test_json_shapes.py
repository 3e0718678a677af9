"""The exact shape of every JSON answer under /api/ (SPEC's contract): its keys, no more and
no fewer, and each value's type, null included.

A shape is a type (``str``, ``int``, ``bool``: exactly that type, so ``True`` is no ``int``),
``None`` (null), one of the ``Kind`` checks below, a dict of key -> shape (exactly those
keys), a one-item list ``[shape]`` (a list whose every item has that shape), or a tuple of
shapes (any one of them). An optional text is ``(TEXT, None)``: null when absent, never "".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core import clock
from groups.models import GovernanceGroup
from groups.services import change_group_status
from records.models import Decision
from tests.representation.files import GOOD, import_file
from tests.sample_records import sample_records


@dataclass(frozen=True)
class Kind:
    """A JSON value the type alone does not describe, such as text that is never empty."""

    name: str
    test: Callable[[Any], bool]

    def __repr__(self):
        return self.name


def _parses(parse, value) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _aware(value) -> bool:
    return _parses(datetime.fromisoformat, value) and (
        datetime.fromisoformat(value).utcoffset() is not None
    )


def _day(value) -> bool:
    return len(value) == 10 and _parses(date.fromisoformat, value)


TEXT = Kind("text", lambda v: type(v) is str and v != "")
AWARE = Kind("an ISO 8601 time with its offset", lambda v: type(v) is str and _aware(v))
DAY = Kind("an ISO 8601 date", lambda v: type(v) is str and _day(v))
URL = Kind("an absolute URL", lambda v: type(v) is str and v.startswith(("http://", "https://")))
HH_MM = Kind("a time as HH:MM", lambda v: type(v) is str and len(v) == 5 and v[2] == ":")


def shape_errors(value, shape, at="$") -> list[str]:
    """What in ``value`` differs from ``shape``, each with the path to it; [] when nothing."""
    if isinstance(shape, tuple):
        if any(not shape_errors(value, option, at) for option in shape):
            return []
        return [f"{at}: {value!r} is none of {shape!r}"]
    if shape is None:
        return [] if value is None else [f"{at}: {value!r} is not null"]
    if isinstance(shape, Kind):
        return [] if shape.test(value) else [f"{at}: {value!r} is not {shape!r}"]
    if isinstance(shape, type):
        return [] if type(value) is shape else [f"{at}: {value!r} is not {shape.__name__}"]
    if isinstance(shape, dict):
        if type(value) is not dict:
            return [f"{at}: {value!r} is not an object"]
        errors = [f"{at}: no key {key!r}" for key in shape.keys() - value.keys()]
        errors += [f"{at}: unexpected key {key!r}" for key in value.keys() - shape.keys()]
        for key in shape.keys() & value.keys():
            errors += shape_errors(value[key], shape[key], f"{at}.{key}")
        return errors
    if isinstance(shape, list):
        (item,) = shape
        if type(value) is not list:
            return [f"{at}: {value!r} is not a list"]
        return [error for i, v in enumerate(value) for error in shape_errors(v, item, f"{at}[{i}]")]
    raise TypeError(f"not a shape: {shape!r}")


def assert_shape(value, shape):
    errors = shape_errors(value, shape)
    assert not errors, "\n".join(errors)


def test_a_shape_is_exact():
    shape = {"a": int, "b": (TEXT, None), "c": [DAY]}
    assert shape_errors({"a": 1, "b": None, "c": ["2026-11-26"]}, shape) == []
    assert shape_errors({"a": 1, "b": "x", "c": []}, shape) == []
    assert shape_errors({"a": 1, "b": "", "c": []}, shape) == ["$.b: '' is none of (text, None)"]
    assert shape_errors({"a": True, "b": None, "c": []}, shape) == ["$.a: True is not int"]
    assert shape_errors({"a": 1, "c": ["26/11/2026"]}, shape) == [
        "$: no key 'b'",
        "$.c[0]: '26/11/2026' is not an ISO 8601 date",
    ]
    assert shape_errors({"a": 1, "b": None, "c": [], "d": 0}, shape) == ["$: unexpected key 'd'"]
    assert shape_errors("2026-11-26T09:00:00", AWARE)  # no offset
    assert not shape_errors("2026-11-26T09:00:00+00:00", AWARE)


SCHEDULE = {
    "title": TEXT,
    "text": TEXT,
    "rrule": (TEXT, None),
    "start_time": (HH_MM, None),
    "end_time": (HH_MM, None),
}
GROUP = {
    "slug": TEXT,
    "acronym": str,
    "name": TEXT,
    "level": (int, None),
    "level_note": (TEXT, None),
    "kind": TEXT,
    "workstream": (TEXT, None),
    "parent": (TEXT, None),
    "children": [TEXT],
    "status": TEXT,
    "status_label": TEXT,
    "status_note": str,
    "scheduled_status": ({"status": TEXT, "from": DAY}, None),
    "status_changed_at": (AWARE, None),
    "attendance": TEXT,
    "decision_making": bool,
    "purpose": str,
    "attendees": str,
    "timeframe": str,
    "inferred": [TEXT],
    "schedules": [SCHEDULE],
    "url": URL,
    "calendar_url": URL,
    "next_meeting": (AWARE, None),
}
OCCURRENCE = {
    "group": TEXT,
    "title": TEXT,
    "start": AWARE,
    "end": AWARE,
    "status": TEXT,
    "bank_holiday": (TEXT, None),
    "note": (TEXT, None),
}
STEP = {
    "target": TEXT,
    "label": TEXT,
    "contacts": [TEXT],
    "detail": TEXT,
    "suggested": bool,
    "inferred": [TEXT],
}
ROUTE = {
    "group": (TEXT, None),
    "workstream": (TEXT, None),
    "kind": TEXT,
    "decision": (TEXT, None),
    "topic": (TEXT, None),
    "constituency": None,
    "notes": [TEXT],
    "steps": [STEP],
}
# With a constituency, each step on a group with constituency members names the current
# members and alternates (empty with the seats vacant) and says what to do; null elsewhere.
ROUTE_FOR_A_CONSTITUENCY = {
    **ROUTE,
    "constituency": TEXT,
    "steps": [
        {
            **STEP,
            "representatives": ([TEXT], None),
            "alternates": ([TEXT], None),
            "representation": (TEXT, None),
        }
    ],
}
CHANGE = {
    "id": int,
    "at": AWARE,
    "recorded_at": AWARE,
    "visible_at": AWARE,
    "kind": TEXT,
    "group": (TEXT, None),
    "summary": TEXT,
    "before": str,
    "after": str,
    "url": URL,
}
DECISION = {
    "reference": TEXT,
    "group": TEXT,
    "date": DAY,
    "title": TEXT,
    "summary": str,
    "rationale": str,
    "status": TEXT,
    "status_reason": str,
    "superseded_by": (TEXT, None),
    "recommended_by": (TEXT, None),
    "meeting": (DAY, None),
    "meeting_url": (URL, None),
    "published_at": AWARE,
    "url": URL,
    "challenge_url": URL,
}
ACTION = {
    "reference": TEXT,
    "group": TEXT,
    "meeting": DAY,
    "meeting_url": URL,
    "description": TEXT,
    "owner": TEXT,
    "due": (DAY, None),
    "status": TEXT,
}
REPRESENTATIVE = {
    "name": TEXT,
    "organisation": TEXT,
    "role": TEXT,
    "group": TEXT,
    "constituency": TEXT,
    "start_date": DAY,
    "end_date": (DAY, None),
    "current": bool,
    "alternate_for": (TEXT, None),
}
POPOLO = {
    "organizations": [
        (
            {
                "id": TEXT,
                "name": TEXT,
                "classification": TEXT,
                "parent_id": (TEXT, None),
                "inferred": [TEXT],
            },
            {"id": TEXT, "name": TEXT, "classification": TEXT, "description": str},
        )
    ],
    "posts": [
        {
            "id": TEXT,
            "label": TEXT,
            "organization_id": TEXT,
            "role": TEXT,
            "maximum_memberships": int,
        }
    ],
    "memberships": [
        {
            "id": TEXT,
            "person_id": TEXT,
            "organization_id": TEXT,
            "post_id": TEXT,
            "on_behalf_of_id": TEXT,
            "role": TEXT,
            "organisation_name": TEXT,
            "start_date": DAY,
            "end_date": (DAY, None),
            "alternate_for_id": (TEXT, None),
        }
    ],
    "persons": [{"id": TEXT, "name": TEXT}],
}
REFUSED = {"error": TEXT, "errors": dict}
NOT_FOUND = {"error": TEXT}

# Each /api/ URL's name -> its examples: (an address that answers, the answer's shape, the
# list in it that must not be empty, so that the items' shape is checked).
ENDPOINTS = {
    "directory:api_groups": [("/api/groups/", {"count": int, "groups": [GROUP]}, "groups")],
    "directory:api_group": [("/api/groups/psg/", GROUP, "schedules")],
    "meetings:api_month": [
        (
            "/api/calendar/2026/12/",
            {"year": int, "month": int, "occurrences": [OCCURRENCE]},
            "occurrences",
        )
    ],
    "escalations:api_route": [
        ("/api/escalations/route/?group=sitwg&kind=formal", ROUTE, "steps"),
        ("/api/escalations/route/?workstream=test&kind=query", ROUTE, "steps"),
        (
            "/api/escalations/route/?group=sitwg&kind=formal&constituency=large-supplier",
            ROUTE_FOR_A_CONSTITUENCY,
            "steps",
        ),
    ],
    "groups:api_changes": [
        (
            "/api/changes/?since=2000-01-01T00:00:00Z",
            {"count": int, "changes": [CHANGE]},
            "changes",
        )
    ],
    "records:api_decisions": [
        ("/api/decisions/", {"count": int, "decisions": [DECISION]}, "decisions")
    ],
    "records:api_actions": [("/api/actions/", {"count": int, "actions": [ACTION]}, "actions")],
    "representation:api_representatives": [
        (
            "/api/representatives/",
            {"count": int, "representatives": [REPRESENTATIVE]},
            "representatives",
        )
    ],
    "representation:api_popolo": [("/api/popolo.json", POPOLO, "memberships")],
}
EXAMPLES = [
    pytest.param(name, *example, id=example[0])
    for name, examples in ENDPOINTS.items()
    for example in examples
]


def _api_url_names(resolver=None, namespace="", prefix="") -> set[str]:
    """The names of every URL under /api/ in the URLconf."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _api_url_names(entry, inner, route)
        elif isinstance(entry, URLPattern) and route.startswith("api/"):
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_api_url_has_its_shape_here():
    assert _api_url_names() == set(ENDPOINTS)


@pytest.fixture
def records_and_changes(seeded, now, tmp_path):
    """The sample records (decisions, actions and their change-log entries), the sample
    representatives, a status change today and one announced for later, so that each
    optional part of an answer is there."""
    sample_records()
    import_file(tmp_path, GOOD)
    for slug, day, status in [("psg", None, "mobilising"), ("cdwg", "2027-02-01", "ad_hoc")]:
        group = GovernanceGroup.objects.get(slug=slug)
        group.status_effective_from = date.fromisoformat(day) if day else None
        change_group_status(group=group, status=status, note="A note", by=None, at=clock.now())


@pytest.mark.parametrize(("name", "path", "shape", "listed"), EXAMPLES)
def test_each_api_answer_has_its_exact_shape(
    client, records_and_changes, name, path, shape, listed
):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert_shape(body, shape)
    assert body[listed], f"{path} lists no {listed}: their shape goes unchecked"


def test_every_group_has_the_group_shape_its_optional_parts_included(client, records_and_changes):
    groups = client.get("/api/groups/").json()["groups"]
    details = [client.get(f"/api/groups/{g['slug']}/").json() for g in groups]
    assert_shape(details, [GROUP])
    for key in ("level", "level_note", "workstream", "parent", "next_meeting"):
        assert {g[key] is None for g in details} == {True, False}, f"{key}: null and not"
    assert {g["slug"] for g in details if g["scheduled_status"]} == {"cdwg"}
    # A group whose meeting dates rest on an inference says so: CDWG's series, from its
    # assumed known-from date (DAG's schedule is itself an inference of the source notes).
    inferred = {g["slug"]: g["inferred"] for g in details}
    assert inferred["cdwg"] == inferred["dag"] == ["parent", "schedules"]
    assert {g["slug"] for g in details if g["status_changed_at"]} >= {"psg"}


@pytest.mark.parametrize(
    "path, shape, status",
    [
        ("/api/groups/no-such-group/", NOT_FOUND, 404),
        ("/api/groups/?level=99", REFUSED, 400),
        ("/api/calendar/2026/11/?workstream=no-such", REFUSED, 400),
        ("/api/escalations/route/", REFUSED, 400),
        ("/api/changes/?since=yesterday", REFUSED, 400),
        ("/api/decisions/?group=no-such-group", REFUSED, 400),
        ("/api/actions/?group=no-such-group", REFUSED, 400),
        ("/api/representatives/?constituency=no-such", REFUSED, 400),
        ("/api/escalations/route/?group=psg&kind=formal&constituency=no-such", REFUSED, 400),
    ],
)
def test_a_refusal_has_its_exact_shape(client, seeded, path, shape, status):
    response = client.get(path)
    assert response.status_code == status
    assert_shape(response.json(), shape)


def test_decisions_and_representatives_carry_their_optional_parts_when_they_have_them(
    client, records_and_changes
):
    """Each optional value of a decision and a representative is there for one that has
    it (null for one that has not), and names the right thing."""
    decisions = client.get("/api/decisions/").json()["decisions"]
    for key in ("superseded_by", "recommended_by"):
        assert {d[key] is None for d in decisions} == {True, False}, f"{key}: null and not"
    assert Decision.objects.filter(record__isnull=False).exists()
    for decision in Decision.objects.select_related("record__group"):
        (data,) = [d for d in decisions if d["reference"] == decision.reference]
        record = decision.record
        assert data["meeting"] == (record.date.isoformat() if record else None)
        assert data["meeting_url"] == (
            f"http://testserver{record.get_absolute_url()}" if record else None
        )

    representatives = client.get("/api/representatives/").json()["representatives"]
    alternates = {r["name"]: r["alternate_for"] for r in representatives if r["alternate_for"]}
    assert alternates == {"Cat Cole": "Ann Archer"}
    posts = client.get("/api/popolo.json").json()["posts"]
    assert {post["role"] for post in posts} == {"Constituency representative"}
