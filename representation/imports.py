"""The representatives spreadsheet: read, checked whole, then stored in one transaction.

Columns: ``group,constituency,seats,role,name,organisation,from,to`` and, optionally,
``alternate_for``. A row is identified by group, constituency, role, name and ``from``: an
import adds what is new and updates what changed, and ends nothing absent from the file,
so the same file twice changes nothing. Any bad row refuses the whole file; every error
names its line as a spreadsheet shows it (the header is line 1).
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from groups.models import GovernanceGroup

from . import services
from .enums import Role
from .models import Constituency, Membership, Seat, members_at_once, seat_refusal

REQUIRED = ("group", "constituency", "role", "name", "organisation", "from")
OPTIONAL = ("seats", "to", "alternate_for")
COLUMNS = (*REQUIRED[:2], "seats", *REQUIRED[2:], "to", "alternate_for")
DATE_FORMATS = (
    (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), (1, 2, 3)),
    (re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"), (3, 2, 1)),
)


class ImportRefused(Exception):
    """The file was refused whole; ``errors`` says why, line by line."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class Row:
    line: int
    group: GovernanceGroup
    constituency: str
    seats: int | None
    role: str
    name: str
    organisation: str
    start: date
    end: date | None
    alternate_for: str

    @property
    def seat_key(self):
        return (self.group.pk, slugify(self.constituency))

    @property
    def key(self):
        return (*self.seat_key, self.role, self.name.casefold(), self.start)


@dataclass
class Outcome:
    """What an import did, and what it flags without refusing."""

    constituencies_added: int = 0
    seats_added: int = 0
    seats_changed: int = 0
    memberships_added: int = 0
    memberships_changed: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.constituencies_added,
                self.seats_added,
                self.seats_changed,
                self.memberships_added,
                self.memberships_changed,
            )
        )

    def summary(self) -> str:
        return (
            f"{self.constituencies_added} constituencies added, {self.seats_added} seats added, "
            f"{self.seats_changed} seat counts changed, {self.memberships_added} memberships "
            f"added, {self.memberships_changed} changed, {self.unchanged} unchanged."
        )


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without Excel's BOM), else Windows-1252 (Excel's
    "CSV" on Windows in the UK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_date(text: str) -> date | None:
    """A date as YYYY-MM-DD or as the UK writes it, DD/MM/YYYY; None if neither."""
    for pattern, order in DATE_FORMATS:
        found = pattern.fullmatch(text)
        if found:
            year, month, day = (int(found[part]) for part in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _clean(text) -> str:
    return " ".join((text or "").split())


def _group_finder():
    """Find a group by slug, acronym or name (any case)."""
    found = {}
    for group in GovernanceGroup.objects.select_related("level").prefetch_related("replaced_by"):
        for label in (group.slug, group.acronym, group.name):
            if label:
                found.setdefault(label.casefold(), group)
    return found


def read_rows(text: str) -> tuple[list[Row], list[str]]:
    """The rows of the file, and the errors of single rows (``line N: ...``)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], ["line 1: the file is empty; its first line names the columns."]
    names = [_clean(name).casefold().replace(" ", "_") for name in header]
    missing = [name for name in REQUIRED if name not in names]
    unknown = [name for name in names if name and name not in (*REQUIRED, *OPTIONAL)]
    if missing or unknown:
        said = []
        if missing:
            said.append(f"no column {', '.join(missing)}")
        if unknown:
            said.append(f"unknown column {', '.join(unknown)}")
        return [], [f"line 1: {'; '.join(said)}. The columns are: {','.join(COLUMNS)}."]
    groups = _group_finder()
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(_clean(cell) for cell in cells):
            continue  # a blank line, as spreadsheets leave at the end
        values = {name: _clean(cell) for name, cell in zip(names, cells, strict=False)}
        problems = []
        group = groups.get(values.get("group", "").casefold())
        if group is None:
            problems.append(f"there is no group {values.get('group')!r}")
        else:
            refusal = seat_refusal(group)
            if refusal:
                problems.append(refusal)
        constituency = values.get("constituency", "")
        if not slugify(constituency):
            problems.append("give the constituency")
        seats = None
        if values.get("seats"):
            if values["seats"].isdigit() and int(values["seats"]) >= 1:
                seats = int(values["seats"])
            else:
                problems.append(f"seats {values['seats']!r} is not a whole number of 1 or more")
        role = values.get("role", "").casefold()
        if role not in Role.values:
            problems.append(f"role {values.get('role')!r} is neither member nor alternate")
        for name in ("name", "organisation"):
            if not values.get(name):
                problems.append(f"give the {name}")
        start = parse_date(values.get("from", ""))
        if start is None:
            problems.append(f"from {values.get('from')!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
        end = None
        if values.get("to"):
            end = parse_date(values["to"])
            if end is None:
                problems.append(f"to {values['to']!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
        if start and end and end < start:
            problems.append(f"to ({end:%d/%m/%Y}) is before from ({start:%d/%m/%Y})")
        alternate_for = values.get("alternate_for", "")
        if role == Role.MEMBER and alternate_for:
            problems.append("a member stands in for nobody: leave alternate_for empty")
        if role == Role.ALTERNATE and not alternate_for:
            problems.append("an alternate for nobody: give the member's name in alternate_for")
        if problems:
            errors.append(f"line {line}: {'; '.join(problems)}.")
            continue
        rows.append(
            Row(
                line=line,
                group=group,
                constituency=constituency,
                seats=seats,
                role=role,
                name=values["name"],
                organisation=values["organisation"],
                start=start,
                end=end,
                alternate_for=alternate_for,
            )
        )
    return rows, errors


@dataclass
class Plan:
    """What storing the rows means: the seats' counts, and the rows matched to what is
    stored already."""

    rows: list[Row]
    constituencies: dict[str, Constituency | None]
    seats: dict[tuple, Seat | None]
    seat_counts: dict[tuple, int]
    stored: dict[tuple, Membership]


def _stored_key(membership: Membership):
    seat = membership.seat
    return (
        seat.group_id,
        seat.constituency.slug,
        membership.role,
        membership.person.name.casefold(),
        membership.start,
    )


def check(rows: list[Row]) -> tuple[Plan | None, list[str]]:
    """Check the rows together, with what is stored: one seat count per group and
    constituency, no more members at once than seats, each alternate for a member, no row
    twice. Returns the plan, or the errors."""
    errors = []
    by_seat: dict[tuple, list[Row]] = defaultdict(list)
    first_line: dict[tuple, Row] = {}
    for row in rows:
        if row.key in first_line:
            errors.append(
                f"line {row.line}: the same group, constituency, role, name and from as line "
                f"{first_line[row.key].line}."
            )
            continue
        first_line[row.key] = row
        by_seat[row.seat_key].append(row)
    slugs = {slug for _group, slug in by_seat}
    constituencies = {c.slug: c for c in Constituency.objects.filter(slug__in=slugs)}
    stored_seats = {
        (seat.group_id, seat.constituency.slug): seat
        for seat in Seat.objects.filter(constituency__slug__in=slugs).select_related("constituency")
    }
    stored_memberships = list(
        Membership.objects.filter(seat__constituency__slug__in=slugs, person__erased_at=None)
        .select_related("seat__constituency", "person")
        .order_by("pk")
    )
    stored = {_stored_key(m): m for m in stored_memberships}
    seat_counts = {}
    for seat_key, seat_rows in by_seat.items():
        label = f"{seat_rows[0].group.short_name} / {seat_rows[0].constituency}"
        given = [row for row in seat_rows if row.seats is not None]
        for row in given[1:]:
            if row.seats != given[0].seats:
                errors.append(
                    f"line {row.line}: seats {row.seats} differs from {given[0].seats} on line "
                    f"{given[0].line} for {label}."
                )
        # Every membership of the seat once the file is stored: the stored ones, updated by
        # the file's rows.
        terms = {
            key: (m.start, m.end, m.role, m.person.name.casefold())
            for key, m in stored.items()
            if key[:2] == seat_key
        }
        for row in seat_rows:
            terms[row.key] = (row.start, row.end, row.role, row.name.casefold())
        members = [(start, end) for start, end, role, _name in terms.values() if role == "member"]
        seat = stored_seats.get(seat_key)
        if given:
            count = given[0].seats
        elif seat is not None:
            count = seat.seats
        else:
            count = max(members_at_once(members), 1)
        seat_counts[seat_key] = count
        at_once = members_at_once(members)
        if at_once > count:
            last = [row for row in seat_rows if row.role == Role.MEMBER][-1:] or seat_rows[-1:]
            errors.append(
                f"line {last[0].line}: more members than seats for {label}: {at_once} members "
                f"hold it at once, and it has {count} seat{'s' if count != 1 else ''}."
            )
        member_names = {name for _s, _e, role, name in terms.values() if role == "member"}
        for row in seat_rows:
            if row.role == Role.ALTERNATE and row.alternate_for.casefold() not in member_names:
                errors.append(
                    f"line {row.line}: an alternate for nobody: {row.alternate_for} is not a "
                    f"member for {label} in this file or the directory."
                )
    if errors:
        return None, errors
    return (
        Plan(
            rows=[row for rows_ in by_seat.values() for row in rows_],
            constituencies={slug: constituencies.get(slug) for slug in slugs},
            seats={key: stored_seats.get(key) for key in by_seat},
            seat_counts=seat_counts,
            stored=stored,
        ),
        [],
    )


def _member_for(seat: Seat, name: str, start: date) -> Membership:
    """The membership an alternate named ``name`` stands in for: the one holding on the
    alternate's start, else the latest."""
    members = list(
        Membership.objects.filter(
            seat=seat, role=Role.MEMBER, person__name__iexact=name, person__erased_at=None
        ).order_by("start", "pk")
    )
    holding = [m for m in members if m.holds_on(start)]
    return (holding or members)[-1]


@transaction.atomic
def store(plan: Plan, *, by) -> Outcome:
    """Store a checked plan: what is new is added, what changed is updated."""
    outcome = Outcome()
    constituencies = dict(plan.constituencies)
    seats = {}
    for row in plan.rows:
        slug = slugify(row.constituency)
        if constituencies.get(slug) is None:
            constituencies[slug] = services.constituency_save(
                constituency=Constituency(name=row.constituency), by=by
            )
            outcome.constituencies_added += 1
        if row.seat_key in seats:
            continue
        seat = plan.seats[row.seat_key]
        count = plan.seat_counts[row.seat_key]
        if seat is None:
            seat = Seat(group=row.group, constituency=constituencies[slug], seats=count)
            services.seat_save(seat=seat, by=by)
            outcome.seats_added += 1
        elif seat.seats != count:
            seat.seats = count
            services.seat_save(seat=seat, by=by)
            outcome.seats_changed += 1
        seat.group = row.group  # as read, with its acronym, for the change log
        seats[row.seat_key] = seat
    # Members first, so that each alternate finds the member they stand in for.
    for row in sorted(plan.rows, key=lambda r: (r.role != Role.MEMBER, r.line)):
        seat = seats[row.seat_key]
        membership = plan.stored.get(row.key)
        alternate_for = (
            _member_for(seat, row.alternate_for, row.start) if row.role == Role.ALTERNATE else None
        )
        if membership is None:
            membership = Membership(
                seat=seat,
                person=services.person_named(row.name, by=by),
                organisation=row.organisation,
                role=row.role,
                alternate_for=alternate_for,
                start=row.start,
                end=row.end,
            )
            services.membership_save(membership=membership, by=by)
            outcome.memberships_added += 1
        else:
            wanted = (row.organisation, row.end, alternate_for.pk if alternate_for else None)
            if (membership.organisation, membership.end, membership.alternate_for_id) == wanted:
                outcome.unchanged += 1
            else:
                membership.organisation, membership.end = row.organisation, row.end
                membership.alternate_for = alternate_for
                membership.seat = seat
                services.membership_save(membership=membership, by=by)
                outcome.memberships_changed += 1
        if membership.same_organisation_as_member:
            outcome.warnings.append(
                f"line {row.line}: {row.name} is an alternate from the same organisation as "
                f"their member ({row.organisation}); allowed, but other panels (the REC's) "
                "ask for another organisation."
            )
    return outcome


def import_representatives(data: bytes, *, by=None) -> Outcome:
    """Read, check and store a representatives file; ``ImportRefused`` (nothing stored)
    with every error where any row is bad."""
    rows, errors = read_rows(decode(data))
    plan, cross_errors = check(rows)
    errors = sorted([*errors, *cross_errors], key=_line_of)
    if errors or plan is None:
        raise ImportRefused(errors or ["line 1: the file has no rows."])
    if not plan.rows:
        raise ImportRefused(["line 2: the file has no rows under its header."])
    return store(plan, by=by)


def _line_of(error: str) -> int:
    number = error.removeprefix("line ").split(":", 1)[0]
    return int(number) if number.isdigit() else 0
