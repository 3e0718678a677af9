"""Print the mutation score from `mutmut results --all true` read on standard input.

    mutmut results --all true | python tests/mutation_score.py [--fail-under 90]

prints one line, for example

    Mutation score: 93.4% (killed 412 of 441; survived: meetings.ical.x__describe__mutmut_3)

A mutant counts as killed when a test failed (mutmut's "killed") or the tests ran out of
time ("timeout"); every other outcome ("survived", "no tests", "suspicious", "segfault",
"not checked") counts against the score and is listed by name (`mutmut show NAME` prints
its diff). mutmut's "skipped" mutants are left out of the count. With --fail-under, the exit
status is 1 when the score is below that percentage.
"""

import argparse
import sys

KILLED = {"killed", "timeout", "caught by type check"}
LEFT_OUT = {"skipped"}


def parse(lines):
    """(name, status) for each `    name: status` line of `mutmut results`."""
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            yield name, status


def score_line(results) -> tuple[float, str]:
    counted = [(name, status) for name, status in results if status not in LEFT_OUT]
    killed = sum(status in KILLED for _, status in counted)
    others = [
        name if status == "survived" else f"{name} ({status})"
        for name, status in counted
        if status not in KILLED
    ]
    score = 100.0 * killed / len(counted) if counted else 0.0
    listed = ", ".join(others) or "none"
    return (
        score,
        f"Mutation score: {score:.1f}% (killed {killed} of {len(counted)}; survived: {listed})",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=None, metavar="PERCENT")
    args = parser.parse_args(argv)
    results = list(parse(sys.stdin))
    if not results:
        print("Mutation score: no mutants found (run `mutmut run` first)")
        return 1
    score, line = score_line(results)
    print(line)
    if args.fail_under is not None and score < args.fail_under:
        print(f"Mutation score {score:.1f}% is below {args.fail_under:g}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
