"""Who represents me: constituencies, seats and representatives, imported from a
spreadsheet, shown on their pages and the group pages, named on the routes, and published as
open data (issue 22)."""

import json
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command

from changelog.models import ChangeEntry
from core import clock
from records.models import Decision
from representation.models import Constituency, Membership, Person, Seat
from tests.representation.files import BAD, GOOD, UK_EXCEL, import_file
from tests.sample_records import sample_records

NONE_RECORDED = "No constituency has been recorded"


def text(response) -> str:
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def route(client, query) -> dict:
    response = client.get(f"/api/escalations/route/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def imported(seeded, tmp_path):
    import_file(tmp_path, GOOD)


def stored() -> tuple:
    return (
        sorted(Constituency.objects.values_list("slug", "name")),
        sorted(Seat.objects.values_list("group__slug", "constituency__slug", "seats")),
        sorted(
            Membership.objects.values_list(
                "seat__group__slug", "person__name", "organisation", "role", "start", "end"
            )
        ),
        ChangeEntry.objects.count(),
    )


# A fresh seed: the source names no constituency ------------------------------------------


def test_a_fresh_seed_says_no_constituency_has_been_recorded(client, seeded):
    assert Constituency.objects.count() == 0
    assert NONE_RECORDED in text(client.get("/constituencies/"))
    for slug in ("psg", "dag", "sitag"):
        page = text(client.get(f"/groups/{slug}/"))
        assert f"No constituency has been recorded with seats on {slug.upper()}" in page
    assert "Constituency representatives" not in text(client.get("/groups/sitwg/"))
    assert "Constituency representatives" not in text(client.get("/groups/tmag/"))
    assert "The source document gives no constituencies and no people" in text(
        client.get("/data-quality/")
    )
    assert client.get("/api/representatives/").json() == {"count": 0, "representatives": []}
    popolo = client.get("/api/popolo.json").json()
    assert (popolo["posts"], popolo["memberships"], popolo["persons"]) == ([], [], [])
    assert {o["classification"] for o in popolo["organizations"]} == {
        "sponsor",
        "governance group",
        "sub group",
        "non-governance group",
        "non-governance delivery group",
    }


def test_a_fresh_seed_routes_as_today(client, seeded):
    answer = route(client, "group=dag&kind=formal")
    assert [s["target"] for s in answer["steps"]] == ["psg", "ipa"]
    assert all("representatives" not in s for s in answer["steps"])
    assert answer["constituency"] is None
    page = text(client.get("/escalations/route/?group=dag&kind=formal"))
    assert 'name="constituency"' not in page  # nothing to choose


# The import ---------------------------------------------------------------------------------


def test_the_import_stores_the_file(imported):
    constituencies, seats, memberships, _entries = stored()
    assert constituencies == [
        ("large-supplier", "Large Supplier"),
        ("small-supplier", "Small Supplier"),
    ]
    assert seats == [
        ("dag", "large-supplier", 1),
        ("dag", "small-supplier", 1),  # no seats given: the members in the file
        ("psg", "large-supplier", 2),
        ("psg", "small-supplier", 2),
        ("sitag", "large-supplier", 1),
        ("sitag", "small-supplier", 1),
    ]
    assert len(memberships) == 9
    cat = Membership.objects.get(person__name="Cat Cole")
    assert (cat.role, cat.alternate_for.person.name) == ("alternate", "Ann Archer")


def later(monkeypatch, now):
    """An hour on: the import's entries, a second apart from the pinned "now", are public."""
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(hours=1))


def test_changes_go_to_the_log_and_the_groups_feed(imported, client, monkeypatch, now):
    later(monkeypatch, now)
    entries = ChangeEntry.objects.filter(kind="representative_appointed")
    assert entries.count() == 9
    assert entries.filter(group_slug="psg").count() == 4
    assert ChangeEntry.objects.filter(kind="seats_added").count() == 6
    feed = client.get("/groups/psg/changes.atom").content.decode()
    assert "Ann Archer (Acme Energy), PSG member for Large Supplier" in feed


def test_the_same_file_twice_changes_nothing(imported, tmp_path):
    before = stored()
    import_file(tmp_path, GOOD, name="again.csv")
    assert stored() == before


def test_an_import_adds_and_updates_and_ends_nothing_absent(imported, tmp_path):
    updated = (
        "group,constituency,role,name,organisation,from,to\n"
        "PSG,Large Supplier,member,Ann Archer,Acme Energy,2026-01-01,2027-06-30\n"
    )
    import_file(tmp_path, updated, name="update.csv")
    ann = Membership.objects.get(person__name="Ann Archer")
    assert str(ann.end) == "2027-06-30"
    assert Membership.objects.count() == 9  # Ben Baker, absent, is not ended
    assert Membership.objects.get(person__name="Ben Baker").end.isoformat() == "2027-12-31"
    entry = ChangeEntry.objects.get(kind="representative_ended")
    assert "term ends 30 June 2027" in entry.summary


def test_a_file_with_three_bad_rows_is_refused_whole(seeded, tmp_path, capsys):
    before = stored()
    with pytest.raises(CommandError, match="3 errors; nothing was stored"):
        import_file(tmp_path, BAD)
    errors = capsys.readouterr().err.splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 5", "line 6"]
    assert "SITWG has no constituency members" in errors[0]
    assert "from '2026-13-01' is not a date" in errors[1]
    assert "to (01/04/2026) is before from (01/05/2026)" in errors[2]
    assert stored() == before


@pytest.mark.parametrize(
    ("csv", "error"),
    [
        (
            "group,constituency,role,name,organisation,from\n"
            "Nowhere,Large Supplier,member,A,B,2026-01-01\n",
            "line 2: there is no group 'Nowhere'.",
        ),
        (
            "group,constituency,seats,role,name,organisation,from\n"
            "PSG,Large Supplier,1,member,A One,B,2026-01-01\n"
            "PSG,Large Supplier,1,member,B Two,B,2026-01-01\n",
            "line 3: more members than seats for PSG / Large Supplier: 2 members hold it at "
            "once, and it has 1 seat.",
        ),
        (
            "group,constituency,seats,role,name,organisation,from\n"
            "PSG,Large Supplier,1,member,A One,B,2026-01-01\n"
            "PSG,Large Supplier,2,member,B Two,B,2026-01-01\n",
            "line 3: seats 2 differs from 1 on line 2 for PSG / Large Supplier.",
        ),
        (
            "group,constituency,role,name,organisation,from,alternate_for\n"
            "PSG,Large Supplier,alternate,A One,B,2026-01-01,Nobody\n",
            "line 2: an alternate for nobody: Nobody is not a member for PSG / Large Supplier",
        ),
        (
            "group,constituency,role,name,organisation,from\n"
            "TMAG,Large Supplier,member,A One,B,2026-01-01\n",
            "line 2: TMAG was replaced",
        ),
    ],
)
def test_each_rule_refuses_the_file(seeded, tmp_path, capsys, csv, error):
    with pytest.raises(CommandError):
        import_file(tmp_path, csv)
    assert error in capsys.readouterr().err
    assert Seat.objects.count() == 0


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_uk_dated_file_saved_by_excel_imports(seeded, tmp_path, encoding):
    import_file(tmp_path, UK_EXCEL, encoding=encoding)
    zoe = Membership.objects.get(seat__group__slug="psg")
    assert (zoe.person.name, zoe.organisation) == ("Zoë Zéphyr", "Ötztal Énergie")
    assert (zoe.start.isoformat(), zoe.end.isoformat()) == ("2026-04-01", "2028-03-31")
    assert Constituency.objects.get(name="I&C Supplier").slug == "ic-supplier"


def test_the_slug_comes_from_the_name(seeded, tmp_path):
    import_file(tmp_path, GOOD)
    assert Constituency.objects.get(name="Large Supplier").slug == "large-supplier"


def test_an_unreadable_file_exits_with_an_error(seeded, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_representatives", str(tmp_path / "missing.csv"))


# The pages ----------------------------------------------------------------------------------


def section(page: str, group: str) -> str:
    return page.split(f'id="seat-{group}-heading"', 1)[1].split("</section>", 1)[0]


def test_the_constituency_page_shows_seats_alternates_vacancies_and_past_holders(imported, client):
    page = text(client.get("/constituencies/large-supplier/"))
    psg = section(page, "psg")
    assert "Ann Archer" in psg and "Ben Baker" in psg
    assert "Cat Cole" in psg and "Alternate for Ann Archer" in psg
    assert "term ends <time" in psg and "31 December 2027" in psg
    assert "vacant" not in psg
    dag = section(page, "dag")
    assert "Erin East" in dag.split("Past holders")[0]
    assert "Dan Dee" in dag.split("Past holders")[1]  # the ended term stays, dated
    assert "31 March 2026" in dag
    small = text(client.get("/constituencies/small-supplier/"))
    small_psg = section(small, "psg")
    assert (
        "1 of 2 seats vacant (no holder recorded since the seat was entered on 26 November 2026)"
        in small_psg
    )
    # The table stacks on a narrow screen; the vacant seat has its own row, to the PMO.
    assert '<div class="seat stack-narrow" id="psg">' in small_psg
    vacant_row = small_psg.split('<tr class="vacant">')[1].split("</tr>")[0]
    assert "Vacant" in vacant_row and 'href="mailto:PMO@' in vacant_row
    assert "Contact the PMO" in vacant_row
    # Each "Write via the PMO" says, to a screen reader, about whom.
    assert 'Write via the PMO<span class="visually-hidden"> about Gus Gray</span>' in small_psg
    assert "Ivy Ives" in section(small, "sitag")
    assert (
        "@"
        not in page.replace("pmo@mhhsprogramme.co.uk", "")
        .replace("PMO@mhhsprogramme.co.uk", "")
        .split("<footer")[0]
        .split("</header>")[-1]
    )


def test_contact_is_the_pmo_with_a_subject_naming_the_representative(imported, client):
    page = text(client.get("/constituencies/large-supplier/"))
    links = [unquote(part.split('"')[0]) for part in page.split('href="mailto:')[1:]]
    assert any(
        link.lower().startswith("pmo@")
        and "subject=For Ann Archer, PSG member for Large Supplier" in link
        for link in links
    ), links


def test_the_list_and_the_search_by_organisation(imported, client):
    page = text(client.get("/constituencies/"))
    assert "Large Supplier" in page and "Small Supplier" in page
    found = text(client.get("/constituencies/?organisation=tiny"))
    assert "Small Supplier" in found and "Large Supplier" not in found
    assert "Tiny Volts" in found
    none = text(client.get("/constituencies/?organisation=zebra"))
    assert "No representative, now or before, comes from an organisation" in none


def test_an_unknown_constituency_is_404(imported, client):
    assert client.get("/constituencies/nowhere/").status_code == 404


def test_group_pages_list_their_seats_by_constituency(imported, client):
    page = text(client.get("/groups/psg/"))
    reps = page.split('id="representatives-heading"')[1].split("</section>")[0]
    assert reps.index("Large Supplier") < reps.index("Small Supplier")
    assert "Ann Archer" in reps and "Gus Gray" in reps
    assert (
        "1 of 2 seats vacant (no holder recorded since the seat was entered on 26 November 2026)"
        in reps
    )
    assert "stack-narrow" in reps


# Routes that name your representatives -------------------------------------------------------


def test_the_first_worked_example_names_the_psg_representatives(imported, client):
    answer = route(client, "group=dag&kind=formal&constituency=large-supplier")
    psg, ipa = answer["steps"]
    assert (psg["target"], ipa["target"]) == ("psg", "ipa")  # as the source states
    assert psg["representatives"] == ["Ann Archer", "Ben Baker"]
    assert psg["alternates"] == ["Cat Cole"]
    assert psg["representation"].startswith(
        "Your PSG representatives for Large Supplier: Ann Archer (Acme Energy), Ben Baker"
    )
    assert "pmo@" in psg["contacts"][0].lower()
    assert ipa["representatives"] is None
    page = text(client.get("/escalations/route/?group=dag&kind=formal&constituency=large-supplier"))
    assert "Your PSG representatives for Large Supplier: Ann Archer (Acme Energy)" in page
    assert 'value="large-supplier" selected' in page  # kept on the form


def test_the_sitag_example_names_the_sitag_representatives(imported, client):
    answer = route(client, "group=sitwg&kind=formal&constituency=large-supplier")
    assert answer["steps"][0]["target"] == "sitag"
    assert answer["steps"][0]["representatives"] == ["Fay Ford"]


def test_a_vacant_seat_says_vacant(imported, client, now):
    Membership.objects.filter(person__name="Fay Ford").update(end="2026-11-01")
    step = route(client, "group=sitwg&kind=formal&constituency=large-supplier")["steps"][0]
    assert step["representatives"] == []
    assert step["representation"].startswith(
        "Your SITAG seat for Large Supplier: 1 of 1 seat vacant since 2 November 2026. "
    )


def test_an_unknown_constituency_is_refused(imported, client):
    response = client.get("/api/escalations/route/?group=dag&kind=formal&constituency=nowhere")
    assert response.status_code == 400
    assert "There is no constituency nowhere" in json.dumps(response.json())
    page = client.get("/escalations/route/?group=dag&kind=formal&constituency=nowhere")
    assert page.status_code == 400
    assert "There is no constituency nowhere" in page.content.decode()


def test_challenge_this_decision_takes_the_constituency(imported, client):
    sample_records()
    decision = Decision.objects.get(group__slug="ccag")  # challenged at PSG, or the IPA
    url = decision.get_absolute_url()
    page = text(client.get(f"{url}?constituency=small-supplier"))
    # One name, one "representative"; a seat never full does not say its vacancy began
    # the day it was entered.
    assert (
        "Your PSG representative for Small Supplier: Gus Gray (Tiny Volts); 1 of 2 seats "
        "vacant (no holder recorded since the seat was entered on " in page
    )
    assert "partly vacant" not in page and "vacant since" not in page
    assert "&amp;constituency=small-supplier" in page  # kept in the route finder's link
    refused = client.get(f"{url}?constituency=nowhere")
    assert refused.status_code == 400
    assert "There is no constituency nowhere" in refused.content.decode()


# Open data ----------------------------------------------------------------------------------


def test_the_representatives_api(imported, client):
    found = client.get("/api/representatives/?group=dag&constituency=large-supplier").json()
    assert found["count"] == 2
    dan = next(r for r in found["representatives"] if r["name"] == "Dan Dee")
    assert dan == {
        "name": "Dan Dee",
        "organisation": "Acme Energy",
        "role": "member",
        "group": "dag",
        "constituency": "large-supplier",
        "start_date": "2025-01-01",
        "end_date": "2026-03-31",
        "current": False,
        "alternate_for": None,
    }
    assert client.get("/api/representatives/?constituency=nowhere").status_code == 400
    assert client.get("/api/representatives/?group=nowhere").status_code == 400
    assert client.get("/api/representatives/").json()["count"] == 9


def test_popolo_holds_organizations_posts_and_memberships_with_their_dates(imported, client):
    popolo = client.get("/api/popolo.json").json()
    organizations = {o["id"]: o for o in popolo["organizations"]}
    assert organizations["group/dag"]["parent_id"] == "group/psg"
    assert organizations["constituency/large-supplier"]["classification"] == "constituency"
    # Ofgem is the sponsor, as the source says, not a governance group.
    assert organizations["group/ofgem"]["classification"] == "sponsor"
    assert organizations["group/psg"]["classification"] == "governance group"
    # A parent the source does not state is marked inferred, as /api/groups/ marks it.
    inferred = {
        g["slug"] for g in client.get("/api/groups/").json()["groups"] if "parent" in g["inferred"]
    }
    assert inferred  # the seed has some
    for slug in inferred:
        assert organizations[f"group/{slug}"]["inferred"] == ["parent_id"]
    stated = [
        o for i, o in organizations.items() if i.startswith("group/") and i[6:] not in inferred
    ]
    assert stated and all(o["inferred"] == [] for o in stated)
    posts = {p["id"]: p for p in popolo["posts"]}
    assert posts["post/psg/small-supplier"]["maximum_memberships"] == 2
    assert posts["post/psg/small-supplier"]["organization_id"] == "group/psg"
    persons = {p["id"]: p["name"] for p in popolo["persons"]}
    dan = next(m for m in popolo["memberships"] if persons[m["person_id"]] == "Dan Dee")
    assert dan | {"id": None, "person_id": None} == {
        "id": None,
        "person_id": None,
        "organization_id": "group/dag",
        "post_id": "post/dag/large-supplier",
        "on_behalf_of_id": "constituency/large-supplier",
        "role": "member",
        "organisation_name": "Acme Energy",
        "start_date": "2025-01-01",
        "end_date": "2026-03-31",
        "alternate_for_id": None,
    }
    cat = next(m for m in popolo["memberships"] if persons[m["person_id"]] == "Cat Cole")
    ann = next(m for m in popolo["memberships"] if persons[m["person_id"]] == "Ann Archer")
    assert (cat["role"], cat["alternate_for_id"]) == ("alternate", ann["id"])
    assert len(popolo["memberships"]) == 9 and len(persons) == 9
    again = client.get("/api/popolo.json").json()
    assert again == popolo  # stable ids


# Erasure on request -------------------------------------------------------------------------


def test_a_superuser_erases_a_name_everywhere(imported, client, root, monkeypatch, now):
    later(monkeypatch, now)
    ann = Person.objects.get(name="Ann Archer")
    response = root.post(
        "/admin/representation/person/",
        {"action": "erase", "_selected_action": [ann.pk]},
    )
    assert response.status_code == 302
    for path in (
        "/constituencies/large-supplier/",
        "/api/representatives/",
        "/api/popolo.json",
        "/changes/",
        "/groups/psg/changes.atom",
        "/api/escalations/route/?group=dag&kind=formal&constituency=large-supplier",
    ):
        body = client.get(path).content.decode()
        assert "Ann Archer" not in body, path
    assert "Name removed on request" in text(client.get("/constituencies/large-supplier/"))
    assert "Ann Archer" not in "".join(ChangeEntry.objects.values_list("summary", flat=True))


def test_the_programme_office_cannot_erase(imported, office):
    ann = Person.objects.get(name="Ann Archer")
    office.post("/admin/representation/person/", {"action": "erase", "_selected_action": [ann.pk]})
    assert Person.objects.get(pk=ann.pk).name == "Ann Archer"
