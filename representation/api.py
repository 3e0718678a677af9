"""Representation as open data: the representatives list and Popolo.

Popolo (https://www.popoloproject.com/) models this as organizations (the groups, with
their parent, and the constituencies), posts (a constituency's seats on a group, with
``maximum_memberships``), memberships (a person holding a post, ``on_behalf_of_id`` the
constituency) and persons. Its ids here are stable: ``group/<slug>``,
``constituency/<slug>``, ``post/<group>/<constituency>``, ``membership/<pk>``,
``person/<pk>``. Popolo has no field for an alternate's member (one of its open
questions): ``alternate_for_id`` names the member's membership.
"""

from groups.provenance import FactField


def _day(value):
    return value.isoformat() if value else None


def representative_as_json(membership, *, today) -> dict:
    seat = membership.seat
    member = membership.alternate_for
    return {
        "name": membership.person.display_name,
        "organisation": membership.organisation,
        "role": membership.role,
        "group": seat.group.slug,
        "constituency": seat.constituency.slug,
        "start_date": _day(membership.start),
        "end_date": _day(membership.end),
        "current": membership.holds_on(today),
        "alternate_for": member.person.display_name if member else None,
    }


def group_id(group) -> str:
    return f"group/{group.slug}"


def constituency_id(constituency) -> str:
    return f"constituency/{constituency.slug}"


def post_id(seat) -> str:
    return f"post/{seat.group.slug}/{seat.constituency.slug}"


def popolo(*, groups, constituencies, seats, memberships) -> dict:
    """The Popolo document: every group and constituency, every seat, every membership
    (current and past) and every person holding one."""
    persons = {}
    for membership in memberships:
        persons[membership.person_id] = membership.person
    return {
        "organizations": [
            {
                "id": group_id(group),
                "name": group.display_name,
                # As the source classes it: "Ofgem as Sponsor", the rest by their kind.
                "classification": group.get_kind_display().lower(),
                "parent_id": group_id(group.parent) if group.parent_id else None,
                # The fields here that the source does not state (the directory's
                # inference, as /api/groups/ marks them).
                "inferred": ["parent_id"] if FactField.PARENT in group.inferred_fields else [],
            }
            for group in groups
        ]
        + [
            {
                "id": constituency_id(constituency),
                "name": constituency.name,
                "classification": "constituency",
                "description": constituency.description,
            }
            for constituency in constituencies
        ],
        "posts": [
            {
                "id": post_id(seat),
                "label": f"{seat.group.short_name} representative for {seat.constituency.name}",
                "organization_id": group_id(seat.group),
                "role": "Constituency representative",
                "maximum_memberships": seat.seats,
            }
            for seat in seats
        ],
        "memberships": [
            {
                "id": f"membership/{membership.pk}",
                "person_id": f"person/{membership.person_id}",
                "organization_id": group_id(membership.seat.group),
                "post_id": post_id(membership.seat),
                "on_behalf_of_id": constituency_id(membership.seat.constituency),
                "role": membership.role,
                # The organisation the person comes from (their employer), as recorded.
                "organisation_name": membership.organisation,
                "start_date": _day(membership.start),
                "end_date": _day(membership.end),
                "alternate_for_id": (
                    f"membership/{membership.alternate_for_id}"
                    if membership.alternate_for_id
                    else None
                ),
            }
            for membership in memberships
        ],
        "persons": [
            {"id": f"person/{pk}", "name": person.display_name}
            for pk, person in sorted(persons.items())
        ],
    }
