"""Print the mutation score from `mutmut results --all true` read on standard input.

    mutmut results --all true | python tests/mutation_score.py [--fail-under 90] [PATTERN ...]

prints one line, for example

    Mutation score: 93.4% (killed 412 of 441; timed out 2: meetings.ical.x_fold__mutmut_7,
    meetings.ical.x_fold__mutmut_9; survived: meetings.ical.x__describe__mutmut_3, ...)

(on one line). A mutant counts as killed when a test failed (mutmut's "killed") or the type
check caught it. A mutant whose tests ran out of time ("timeout") is not a kill: a mutant
that makes a loop endless is found, but one that only makes the tests slow is not, and the
two cannot be told apart here; timeouts count against the score and are listed apart, to be
looked at (`mutmut show NAME` prints a mutant's diff). Every other outcome ("survived", "no
tests", "suspicious", "segfault", "not checked") counts against the score and is listed by
name, with its outcome unless it survived. mutmut's "skipped" mutants are left out of the
count. With --fail-under, the exit status is 1 when the score is below that percentage.
With PATTERNs (mutmut's names, `*` for any text, as `mutmut run` takes them), only the
mutants they name are counted: those of a narrowed run (`make mutate MUTANTS=...`).
"""

import argparse
import sys
from fnmatch import fnmatchcase

KILLED = {"killed", "caught by type check"}
TIMEOUT = "timeout"
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
    timed_out = [name for name, status in counted if status == TIMEOUT]
    others = [
        name if status == "survived" else f"{name} ({status})"
        for name, status in counted
        if status not in KILLED and status != TIMEOUT
    ]
    score = 100.0 * killed / len(counted) if counted else 0.0
    return (
        score,
        f"Mutation score: {score:.1f}% (killed {killed} of {len(counted)}; "
        f"timed out {len(timed_out)}: {', '.join(timed_out) or 'none'}; "
        f"survived: {', '.join(others) or 'none'})",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=None, metavar="PERCENT")
    parser.add_argument("patterns", nargs="*", metavar="PATTERN")
    args = parser.parse_args(argv)
    results = [
        (name, status)
        for name, status in parse(sys.stdin)
        if not args.patterns or any(fnmatchcase(name, p) for p in args.patterns)
    ]
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
