"""Reads of representation, each in a fixed number of queries whatever the data's size."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from django.db.models import Prefetch
from django.utils import timezone

from groups.enums import PMO_MAILBOX
from groups.models import Mailbox

from .enums import Role
from .models import Constituency, Membership, Seat


def memberships_read():
    return Membership.objects.select_related("person", "alternate_for__person").order_by(
        "start", "pk"
    )


def seats_read():
    """Seats with their group, constituency and every membership (3 queries)."""
    return Seat.objects.select_related("group__level", "constituency").prefetch_related(
        Prefetch("memberships", queryset=memberships_read())
    )


def _held_on(terms, day: date) -> int:
    return sum(1 for m in terms if m.holds_on(day))


@dataclass(frozen=True)
class SeatView:
    """A seat as a page shows it on a day: who holds it, who is to, who did."""

    seat: Seat
    members: list
    alternates: list
    coming: list
    past: list
    vacant: int
    vacant_since: date | None
    since_recorded: bool

    @property
    def group(self):
        return self.seat.group

    @property
    def constituency(self):
        return self.seat.constituency

    @property
    def vacancy(self) -> str:
        """ "1 of 2 seats vacant since 1 April 2026", or "" where every seat is held. A seat
        never full since it was entered says so, not that its vacancy began then."""
        if not self.vacant:
            return ""
        total = self.seat.seats
        counted = f"{self.vacant} of {total} seat{'s' if total != 1 else ''} vacant"
        if self.since_recorded:
            return (
                f"{counted} (no holder recorded since the seat was entered on "
                f"{self.vacant_since:%-d %B %Y})"
            )
        return f"{counted} since {self.vacant_since:%-d %B %Y}" if self.vacant_since else counted

    @property
    def names(self) -> list[str]:
        return [m.person.display_name for m in self.members]


def seat_view(seat: Seat, today: date) -> SeatView:
    """The seat on ``today``, from its prefetched memberships."""
    memberships = list(seat.memberships.all())
    current = [m for m in memberships if m.holds_on(today)]
    members = [m for m in memberships if m.role == Role.MEMBER]
    vacant = max(seat.seats - _held_on(members, today), 0)
    since, recorded = None, False
    if vacant:
        points = {m.start for m in members} | {m.end + timedelta(days=1) for m in members if m.end}
        full_before = [
            p
            for p in points
            if p <= today and _held_on(members, p - timedelta(days=1)) >= seat.seats
        ]
        if full_before:
            since = max(full_before)
        else:
            since, recorded = timezone.localdate(seat.recorded_at), True
    return SeatView(
        seat=seat,
        members=[m for m in current if m.role == Role.MEMBER],
        alternates=[m for m in current if m.role == Role.ALTERNATE],
        coming=[m for m in memberships if m.start > today],
        past=sorted(
            (m for m in memberships if m.is_past(today)), key=lambda m: (m.end, m.pk), reverse=True
        ),
        vacant=vacant,
        vacant_since=since,
        since_recorded=recorded,
    )


def _group_order(view: SeatView):
    group = view.seat.group
    return (group.level.number if group.level_id else 9, group.name)


def constituency_list(*, organisation: str = ""):
    """Every constituency, with its seats' groups; with ``organisation``, those whose
    representatives (now or before) come from an organisation whose name contains it,
    each with the organisations that matched."""
    constituencies = Constituency.objects.prefetch_related(
        Prefetch("seats", queryset=Seat.objects.select_related("group__level"))
    )
    matched: dict[int, set[str]] = {}
    if organisation:
        for constituency_id, name in Membership.objects.filter(
            organisation__icontains=organisation
        ).values_list("seat__constituency_id", "organisation"):
            matched.setdefault(constituency_id, set()).add(name)
        constituencies = constituencies.filter(pk__in=list(matched))
    listed = list(constituencies)
    for constituency in listed:
        constituency.matched_organisations = sorted(matched.get(constituency.pk, ()))
        constituency.seat_groups = sorted(
            (seat.group for seat in constituency.seats.all()),
            key=lambda g: (g.level.number if g.level_id else 9, g.name),
        )
    return listed


def constituency_seats(constituency: Constituency, today: date) -> list[SeatView]:
    """Every seat of ``constituency``, by group (level, then name)."""
    views = [seat_view(seat, today) for seat in seats_read().filter(constituency=constituency)]
    return sorted(views, key=_group_order)


def group_seats(group, today: date) -> list[SeatView]:
    """Every seat on ``group``, by constituency."""
    return [
        seat_view(seat, today)
        for seat in seats_read().filter(group=group).order_by("constituency__name")
    ]


def seats_by_group(constituency: Constituency | None, today: date) -> dict[int, SeatView]:
    """``constituency``'s seats on ``today``, by group pk (empty without a constituency)."""
    if constituency is None:
        return {}
    return {view.seat.group_id: view for view in constituency_seats(constituency, today)}


def pmo_mailbox():
    return Mailbox.objects.filter(slug=PMO_MAILBOX).first()


def contact_mailto(address: str, subject: str) -> str:
    return f"mailto:{address}?{urlencode({'subject': subject}, quote_via=quote)}"


def representative_subject(membership: Membership, seat: Seat) -> str:
    """The subject of an email to the PMO for a representative: the source routes contact
    through the PMO, and the directory keeps no personal email address."""
    return (
        f"For {membership.person.display_name}, {seat.group.short_name} "
        f"{membership.get_role_display().lower()} for {seat.constituency.name}"
    )


def representatives(*, group=None, constituency=None):
    """Every membership (current and past), filtered by group and constituency, in a
    fixed number of queries."""
    found = Membership.objects.select_related(
        "person", "seat__group", "seat__constituency", "alternate_for__person"
    ).order_by("seat__constituency__name", "seat__group__name", "role", "start", "pk")
    if group is not None:
        found = found.filter(seat__group=group)
    if constituency is not None:
        found = found.filter(seat__constituency=constituency)
    return found


@dataclass(frozen=True)
class StepRepresentatives:
    """Who represents ``constituency`` on ``group`` on a route's step: ``view`` is the seat
    (None where no seat has been recorded)."""

    group: object
    constituency: Constituency
    view: SeatView | None
    pmo_address: str

    @property
    def names(self) -> list[str]:
        """The current members' names; empty where the seat is vacant or unrecorded."""
        return self.view.names if self.view else []

    @property
    def alternates(self) -> list[str]:
        return [m.person.display_name for m in self.view.alternates] if self.view else []

    @property
    def sentence(self) -> str:
        group, name = self.group.short_name, self.constituency.name
        if self.view is None:
            return (
                f"No {group} seat for {name} has been recorded: ask the PMO who represents "
                f"{name} on {group}."
            )
        said = []
        if self.names:
            said.append(
                f"Your {group} {self.representatives_word} for {name}: "
                + ", ".join(
                    f"{m.person.display_name} ({m.organisation})" for m in self.view.members
                )
            )
            if self.view.vacancy:
                said.append(self.view.vacancy)
        elif self.view.vacancy:
            seats = "seat" if self.view.seat.seats == 1 else "seats"
            said.append(f"Your {group} {seats} for {name}: {self.view.vacancy}")
        if self.view.alternates:
            said.append(
                "alternates: "
                + ", ".join(
                    f"{m.person.display_name} ({m.organisation})"
                    + (f" for {m.alternate_for.person.display_name}" if m.alternate_for else "")
                    for m in self.view.alternates
                )
            )
        text = "; ".join(said)
        return f"{text}. Contact them through the PMO."

    @property
    def representatives_word(self) -> str:
        return "representative" if len(self.names) == 1 else "representatives"

    @property
    def attention(self) -> str:
        """ "my PSG representatives for Large Supplier (Ann Archer, Ben Baker)", for the
        group's email; "" where nobody holds the seat."""
        if not self.names:
            return ""
        return (
            f"my {self.group.short_name} {self.representatives_word} for "
            f"{self.constituency.name} ({', '.join(self.names)})"
        )

    @property
    def mailto(self) -> str:
        group, name = self.group.short_name, self.constituency.name
        who = ", ".join(self.names) or "the vacant seat"
        return contact_mailto(
            self.pmo_address, f"For my {group} {self.representatives_word} for {name} ({who})"
        )


def step_representatives(group, *, constituency, seats: dict, pmo_address: str):
    """Who represents ``constituency`` on ``group``, or None where the group has no
    constituency members (or no constituency was chosen)."""
    if constituency is None or group is None or not group.constituency_representatives:
        return None
    return StepRepresentatives(
        group=group,
        constituency=constituency,
        view=seats.get(group.pk),
        pmo_address=pmo_address,
    )
