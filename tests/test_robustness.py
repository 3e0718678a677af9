"""Random paths and query strings on every public URL pattern: never a 5xx."""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PATTERNS = [
    "/",
    "/groups/",
    "/groups/{}/",
    "/groups/{}/calendar.ics",
    "/groups/export.csv",
    "/workstreams/",
    "/workstreams/{}/",
    "/workstreams/{}/calendar.ics",
    "/contact/",
    "/data-quality/",
    "/calendar/",
    "/calendar/{}/{}/",
    "/calendar/pattern/",
    "/calendar.ics",
    "/escalations/",
    "/escalations/route/",
    "/api/groups/",
    "/api/groups/{}/",
    "/api/calendar/{}/{}/",
    "/api/escalations/route/",
    "/healthz",
    "/groups/{}/meetings/",
    "/groups/{}/meetings/{}/",
    "/groups/psg/meetings/{}/documents/{}/",
    "/decisions/",
    "/decisions/{}/",
    "/decisions/export.csv",
    "/api/decisions/",
    "/api/actions/",
    "/constituencies/",
    "/constituencies/{}/",
    "/api/representatives/",
    "/api/popolo.json",
]
KEYS = [
    "q",
    "level",
    "workstream",
    "status",
    "attendance",
    "decision_making",
    "groups",
    "group",
    "kind",
    "format",
    "page",
    "year",
    "decision",
    "constituency",
    "organisation",
]
segment = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["psg", "dag", "bprwg-tdwg", "test", "2026", "11", "13", "0000", "99999"]
        + ["2026-12-02", "0001-01-01", "9999-12-31", "2026-02-30", "PSG-2026-001", "1"]
    ),
)
query = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(KEYS), st.text(max_size=10)),
        st.one_of(st.text(max_size=60), st.sampled_from(["3", "na", "true", "psg,dag"])),
    ),
    max_size=5,
)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pattern=st.sampled_from(PATTERNS),
    segments=st.lists(segment, min_size=2, max_size=2),
    params=query,
)
def test_no_server_errors(client, seeded, now, pattern, segments, params):
    path = pattern.format(*(quote(s, safe="") for s in segments))
    response = client.get(path + ("?" + urlencode(params) if params else ""))
    assert response.status_code < 500, (path, params, response.status_code)
    assert b"Traceback" not in response.content
