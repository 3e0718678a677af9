"""The programme office's admin of representation, and constant query counts on the new
pages whatever the number of constituencies and memberships."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup
from representation.models import Constituency, Membership, Person, Seat
from tests.forms import form_fields
from tests.representation.files import BAD, GOOD, import_file

IMPORT = "/admin/representation/membership/import/"


def upload(client, text: str):
    return client.post(
        IMPORT, {"file": SimpleUploadedFile("reps.csv", text.encode(), content_type="text/csv")}
    )


def test_the_programme_office_imports_in_the_admin(seeded, office):
    response = upload(office, GOOD)
    assert response.status_code == 302
    assert Membership.objects.count() == 9
    messages = office.get(response["Location"]).content.decode()
    assert "Imported. 2 constituencies added" in messages


def test_a_bad_file_in_the_admin_lists_every_error_and_stores_nothing(seeded, office):
    response = upload(office, BAD)
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 errors" in page
    for line in ("line 3:", "line 5:", "line 6:"):
        assert line in page
    assert Seat.objects.count() == 0


def test_only_the_role_may_import(seeded, staff_user, client):
    client.force_login(staff_user)
    assert client.get(IMPORT).status_code == 403


def test_an_alternate_from_their_members_organisation_is_flagged(seeded, office, tmp_path):
    import_file(tmp_path, GOOD)
    cat = Membership.objects.get(person__name="Cat Cole")
    url = f"/admin/representation/membership/{cat.pk}/change/"
    data = form_fields(office.get(url).content.decode())
    data["organisation"] = ["Acme Energy"]  # Ann Archer's
    response = office.post(url, {**data, "_save": "Save"}, follow=True)
    page = response.content.decode()
    assert "is an alternate from the same organisation as Ann Archer" in page
    assert Membership.objects.get(pk=cat.pk).organisation == "Acme Energy"  # allowed
    listing = office.get("/admin/representation/membership/").content.decode()
    assert "Alternate from the member&#x27;s organisation" in listing


def test_the_office_ends_a_term_and_changes_seat_counts_with_history(seeded, office, tmp_path):
    import_file(tmp_path, GOOD)
    ann = Membership.objects.get(person__name="Ann Archer")
    url = f"/admin/representation/membership/{ann.pk}/change/"
    data = form_fields(office.get(url).content.decode())
    data["end"] = ["31/12/2026"] if "/" in (data.get("start") or [""])[0] else ["2026-12-31"]
    assert office.post(url, {**data, "_save": "Save"}).status_code == 302
    assert Membership.objects.get(pk=ann.pk).end == date(2026, 12, 31)
    assert ChangeEntry.objects.filter(kind="representative_ended").count() == 1
    seat = Seat.objects.get(group__slug="psg", constituency__slug="small-supplier")
    url = f"/admin/representation/seat/{seat.pk}/change/"
    data = form_fields(office.get(url).content.decode())
    data["seats"] = ["3"]
    assert office.post(url, {**data, "_save": "Save"}).status_code == 302
    entry = ChangeEntry.objects.get(kind="seats_changed")
    assert (entry.before, entry.after, entry.group_slug) == ("2 seats", "3 seats", "psg")


def test_a_stale_edit_is_refused(seeded, office, tmp_path):
    import_file(tmp_path, GOOD)
    seat = Seat.objects.get(group__slug="psg", constituency__slug="small-supplier")
    url = f"/admin/representation/seat/{seat.pk}/change/"
    data = form_fields(office.get(url).content.decode())
    meanwhile = Seat.objects.get(pk=seat.pk)
    meanwhile.seats = 4
    meanwhile.save()  # someone else saved it meanwhile
    data["seats"] = ["3"]
    response = office.post(url, {**data, "_save": "Save"})
    assert response.status_code == 200
    assert "so your edit was not saved" in response.content.decode()
    assert Seat.objects.get(pk=seat.pk).seats == 4


def test_no_seat_on_a_group_without_constituency_members(seeded, office):
    constituency = Constituency.objects.create(name="Large Supplier", slug="large-supplier")
    sitwg = GovernanceGroup.objects.get(slug="sitwg")
    data = form_fields(office.get("/admin/representation/seat/add/").content.decode())
    data.update({"group": [str(sitwg.pk)], "constituency": [str(constituency.pk)], "seats": ["1"]})
    response = office.post("/admin/representation/seat/add/", {**data, "_save": "Save"})
    assert response.status_code == 200
    assert Seat.objects.count() == 0


def test_terms_ending_soon_and_vacant_seats(seeded, office, tmp_path, now):
    import_file(tmp_path, GOOD)
    Membership.objects.filter(person__name="Ben Baker").update(end=now.date() + timedelta(days=30))
    Membership.objects.filter(person__name="Erin East").update(end=now.date() + timedelta(days=90))
    page = office.get("/admin/representation/membership/attention/").content.decode()
    ending = page.split("Terms ending in the next 60 days")[1].split("Vacant seats today")[0]
    assert "Ben Baker" in ending and "Erin East" not in ending
    vacant = page.split("Vacant seats today")[1]
    assert "PSG seats for Small Supplier" in vacant
    assert "1 of 2 seats vacant (no holder recorded since the seat was entered on" in vacant
    listing = office.get("/admin/representation/membership/?term=ending").content.decode()
    assert "Ben Baker" in listing and "Erin East" not in listing
    seats = office.get("/admin/representation/seat/?vacant=yes").content.decode()
    seats = seats.split('id="result_list"')[1].split("</table>")[0]
    assert (
        "1 of 2 seats vacant (no holder recorded since" in seats and "Large Supplier" not in seats
    )
    # The group by its short name, so the vacancy column fits; the term's end is listed.
    assert ">PSG</" in seats and "Programme Steering Group" not in seats
    members = office.get("/admin/representation/membership/").content.decode()
    assert "column-end" in members and "2027" in members.split("column-end")[-1]


def test_the_office_cannot_delete_a_membership(seeded, office, tmp_path):
    import_file(tmp_path, GOOD)
    ann = Membership.objects.get(person__name="Ann Archer")
    office.post(f"/admin/representation/membership/{ann.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=ann.pk).exists()


# Query counts ---------------------------------------------------------------------------------


def grow(copies: int) -> None:
    """``copies`` more constituencies, each with seats on PSG, DAG and SITAG held by two
    members, an alternate and a past member; and as many more past holders of Large
    Supplier's PSG seat."""
    groups = list(GovernanceGroup.objects.filter(slug__in=["psg", "dag", "sitag"]))
    large_psg = Seat.objects.get(group__slug="psg", constituency__slug="large-supplier")
    for n in range(copies):
        constituency = Constituency.objects.create(name=f"Copy {n}", slug=f"copy-{n}")
        for group in groups:
            seat = Seat.objects.create(group=group, constituency=constituency, seats=2)
            people = Person.objects.bulk_create(
                Person(name=f"{group.slug} {n} person {i}") for i in range(4)
            )
            first, second = Membership.objects.bulk_create(
                Membership(seat=seat, person=p, organisation=f"Org {n}", start=date(2026, 1, 1))
                for p in people[:2]
            )
            Membership.objects.create(
                seat=seat,
                person=people[2],
                organisation="Other",
                role="alternate",
                alternate_for=first,
                start=date(2026, 1, 1),
            )
            Membership.objects.create(
                seat=seat,
                person=people[3],
                organisation="Past",
                start=date(2024, 1, 1),
                end=date(2025, 12, 31),
            )
        past = Person.objects.create(name=f"Past holder {n}")
        Membership.objects.create(
            seat=large_psg,
            person=past,
            organisation="Long gone",
            start=date(2020, 1, 1),
            end=date(2020, 12, 31),
        )


PAGES = [
    "/constituencies/",
    "/constituencies/?organisation=acme",
    "/constituencies/large-supplier/",
    "/groups/psg/",
    "/api/representatives/",
    "/api/representatives/?group=psg&constituency=large-supplier",
    "/api/popolo.json",
    "/escalations/route/?group=dag&kind=formal&constituency=large-supplier",
    "/api/escalations/route/?group=sitwg&kind=formal&constituency=large-supplier",
]


def counts(client) -> dict[str, int]:
    found = {}
    for path in PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        found[path] = len(queries)
    return found


@pytest.mark.django_db
def test_constant_query_counts_at_1x_and_10x(seeded, client, tmp_path):
    import_file(tmp_path, GOOD)
    at_1x = counts(client)
    grow(9)
    at_10x = counts(client)
    assert at_10x == at_1x
