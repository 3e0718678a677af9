"""tests/mutation_score.py reads `mutmut results --all true`: timeouts are not kills."""

import io

import pytest

from tests import mutation_score

RESULTS = """\
    directory.signals.x__bump__mutmut_1: killed
    directory.signals.x__bump__mutmut_2: killed
    directory.signals.x__bump__mutmut_3: caught by type check
    directory.middleware.xǁDataVersionPageCacheMiddlewareǁ__call____mutmut_4: timeout
    groups.api.x_group_as_json__mutmut_5: survived
    groups.api.x_group_as_json__mutmut_6: no tests
    groups.api.x_group_as_json__mutmut_7: skipped
    groups.api.x_group_as_json__mutmut_8: suspicious
a line that is not a result: killed
"""


def _run(monkeypatch, capsys, text, *args):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    status = mutation_score.main(list(args))
    return status, capsys.readouterr().out.strip()


def test_timeouts_are_reported_apart_and_not_counted_as_kills(monkeypatch, capsys):
    status, out = _run(monkeypatch, capsys, RESULTS)
    assert status == 0
    assert out == (
        "Mutation score: 42.9% (killed 3 of 7; timed out 1: "
        "directory.middleware.xǁDataVersionPageCacheMiddlewareǁ__call____mutmut_4; "
        "survived: groups.api.x_group_as_json__mutmut_5, "
        "groups.api.x_group_as_json__mutmut_6 (no tests), "
        "groups.api.x_group_as_json__mutmut_8 (suspicious))"
    )


@pytest.mark.parametrize(("fail_under", "status"), [("42.8", 0), ("43", 1)])
def test_fail_under_compares_the_score(monkeypatch, capsys, fail_under, status):
    assert _run(monkeypatch, capsys, RESULTS, "--fail-under", fail_under)[0] == status


def test_all_killed_and_nothing_else_listed(monkeypatch, capsys):
    text = "    a.x_f__mutmut_1: killed\n    a.x_f__mutmut_2: killed\n"
    status, out = _run(monkeypatch, capsys, text, "--fail-under", "90")
    assert (status, out) == (
        0,
        "Mutation score: 100.0% (killed 2 of 2; timed out 0: none; survived: none)",
    )


def test_no_results_is_a_failure(monkeypatch, capsys):
    status, out = _run(monkeypatch, capsys, "nothing here\n")
    assert status == 1
    assert "no mutants found" in out


def test_patterns_count_only_the_mutants_they_name(monkeypatch, capsys):
    status, out = _run(monkeypatch, capsys, RESULTS, "directory.*", "groups.api.*_5")
    assert status == 0
    assert out == (
        "Mutation score: 60.0% (killed 3 of 5; timed out 1: "
        "directory.middleware.xǁDataVersionPageCacheMiddlewareǁ__call____mutmut_4; "
        "survived: groups.api.x_group_as_json__mutmut_5)"
    )
