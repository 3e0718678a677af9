"""Writes of representation: each save validated, and its change-log entry written in the
same transaction (the group's Atom feed carries the entries about its seats)."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from changelog.services import record_change, redact_subject, subject_of
from core import clock

from .enums import ERASED_NAME, RepresentationChange, Role
from .models import Constituency, Membership, Person, Seat


def _day(value) -> str:
    return f"{value:%-d %B %Y}" if value else "no end date"


def _seats(count: int) -> str:
    return f"{count} seat{'s' if count != 1 else ''}"


def _term(membership) -> str:
    held = f"from {_day(membership.start)}"
    if membership.end:
        held += f" to {_day(membership.end)}"
    return f"{membership.get_role_display().lower()}, {membership.organisation}, {held}"


def _holder(membership) -> str:
    seat = membership.seat
    return (
        f"{membership.person.display_name} ({membership.organisation}), {seat.group.short_name} "
        f"{membership.get_role_display().lower()} for {seat.constituency.name}"
    )


@transaction.atomic
def constituency_save(*, constituency: Constituency, by) -> Constituency:
    constituency.full_clean()
    before = constituency.stored()
    constituency.updated_by = by
    constituency.save()
    if before is None:
        record_change(
            kind=RepresentationChange.CONSTITUENCY_ADDED,
            summary=f"Constituency added: {constituency.name}",
            url=constituency.get_absolute_url(),
            subject=subject_of(constituency),
            by=by,
        )
    elif (before.name, before.description) != (constituency.name, constituency.description):
        record_change(
            kind=RepresentationChange.CONSTITUENCY_CHANGED,
            summary=f"Constituency changed: {constituency.name}",
            url=constituency.get_absolute_url(),
            before=f"{before.name}: {before.description}".rstrip(": "),
            after=f"{constituency.name}: {constituency.description}".rstrip(": "),
            subject=subject_of(constituency),
            by=by,
        )
    return constituency


@transaction.atomic
def seat_save(*, seat: Seat, by) -> Seat:
    """Add a constituency's seats on a group, or change how many it has."""
    seat.full_clean()
    before = seat.stored()
    seat.updated_by = by
    seat.save()
    if before is None:
        record_change(
            kind=RepresentationChange.SEATS_ADDED,
            summary=f"{seat.group.short_name}: {_seats(seat.seats)} for {seat.constituency.name}",
            url=seat.get_absolute_url(),
            group=seat.group,
            after=_seats(seat.seats),
            subject=subject_of(seat),
            by=by,
        )
    elif before.seats != seat.seats:
        record_change(
            kind=RepresentationChange.SEATS_CHANGED,
            summary=f"{seat.group.short_name}: {seat.constituency.name} now has "
            f"{_seats(seat.seats)}",
            url=seat.get_absolute_url(),
            group=seat.group,
            before=_seats(before.seats),
            after=_seats(seat.seats),
            subject=subject_of(seat),
            by=by,
        )
    return seat


def person_named(name: str, *, by) -> Person:
    """The representative of that name (names identify people here), added if new."""
    name = " ".join(name.split())
    person = Person.objects.filter(name__iexact=name, erased_at=None).first()
    if person is None:
        person = Person(name=name, updated_by=by)
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def membership_save(*, membership: Membership, by) -> Membership:
    """Appoint a member or alternate, or change their term (ending it keeps it, dated)."""
    membership.full_clean()
    before = membership.stored()
    membership.updated_by = by
    membership.save()
    seat = membership.seat
    common = {
        "url": seat.get_absolute_url(),
        "group": seat.group,
        "subject": subject_of(membership),
        "by": by,
    }
    if before is None:
        record_change(
            kind=RepresentationChange.REPRESENTATIVE_APPOINTED,
            summary=f"{_holder(membership)} from {_day(membership.start)}",
            after=_term(membership),
            **common,
        )
        return membership
    if _term(before) == _term(membership) and before.alternate_for_id == (
        membership.alternate_for_id
    ):
        return membership
    ended = before.end is None and membership.end is not None
    record_change(
        kind=RepresentationChange.REPRESENTATIVE_ENDED
        if ended
        else RepresentationChange.REPRESENTATIVE_CHANGED,
        summary=f"{_holder(membership)}: "
        + (f"term ends {_day(membership.end)}" if ended else "term changed"),
        before=_term(before),
        after=_term(membership),
        **common,
    )
    return membership


@transaction.atomic
def person_erase(*, person: Person, by) -> Person:
    """Erase a representative's name on request (a superuser only): the pages, exports,
    change log and admin history read "Name removed on request" instead. Their seats'
    dates stay."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied("Only an administrator erases a name.")
    if person.is_erased:
        return person
    memberships = list(person.memberships.select_related("seat__group", "seat__constituency"))
    person.name = ERASED_NAME
    person.erased_at = clock.now()
    person.updated_by = by
    person.save()
    for membership in memberships:
        redact_subject(
            subject_of(membership),
            summary=f"{_holder(membership)}: a representative's entry, name removed on request",
        )
    # The admin's own history names the person too.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
    ).update(object_repr=ERASED_NAME, change_message="")
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id__in=[str(m.pk) for m in memberships],
    ).update(object_repr=ERASED_NAME, change_message="")
    return person


def alternates_same_organisation(membership) -> bool:
    """Whether to warn: an alternate from their member's organisation."""
    return membership.role == Role.ALTERNATE and membership.same_organisation_as_member
