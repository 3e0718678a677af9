"""Where each fact comes from, on every surface: an inferred fact is marked in the same
plain words wherever it shows, a stated one is not, the source's typing errors are kept and
marked "[sic]", and every page says the source is undated and when its facts were loaded."""

import csv
import html as html_lib
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from icalendar import Calendar

from core import clock
from groups.enums import NoteKind, Status
from groups.models import GovernanceGroup, SourceNote
from groups.provenance import INFERRED_LEAD, FactField, spellings, typos_in, with_sic
from groups.services import change_group_status
from operations.seeding import governance_seed
from tests.conftest import PINNED_NOW, SEEDED_AT

PSG_PARENT = f"{INFERRED_LEAD} PSG reports to Ofgem, the Sponsor"
SITWG_PARENT = f"{INFERRED_LEAD} SITWG reports to SITAG"


def _text(markup: str) -> str:
    """What a reader sees: tags dropped, entities read, spaces collapsed."""
    text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    return re.sub(r" ([,.;:])", r"\1", text)


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _card(page: str, slug: str) -> str:
    """The text of a group's card (an <a class="card"> with no link inside)."""
    found = re.search(rf'<a class="card[^"]*" href="/groups/{slug}/">(.*?)</a>', page, re.S)
    assert found, slug
    return _text(found[1])


def _row(page: str, slug: str) -> str:
    rows = [r for r in page.split("<tr>") if f'<th scope="row"><a href="/groups/{slug}/">' in r]
    assert len(rows) == 1, slug
    return _text(rows[0].split("</tr>")[0])


def _fact(page: str, label: str) -> str:
    """The text of one row of a group page's "About this group" list."""
    facts = page.split('id="facts-heading"', 1)[1]
    return _text(facts.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0])


def test_each_group_says_which_of_its_fields_are_inferred(seeded):
    groups = {g.slug: g for g in GovernanceGroup.objects.prefetch_related("source_notes")}
    assert groups["psg"].inferred_fields == ["parent", "schedules"]
    assert groups["sitwg"].inferred_fields == ["parent"]
    assert groups["ofgem"].inferred_fields == ["attendance", "decision_making"]
    assert groups["lqtsg"].inferred_fields == [
        "workstream",
        "parent",
        "attendance",
        "decision_making",
    ]
    assert groups["glig"].inferred_fields == ["decision_making", "schedules"]
    # A status the source does not give is "not stated", not an inference.
    assert groups["lqtsg"].status == Status.NOT_STATED
    assert all("status" not in g.inferred_fields for g in groups.values())


def test_every_inference_names_its_field_and_what_it_assumes(seeded):
    inferred = SourceNote.objects.filter(kind=NoteKind.INFERRED)
    assert inferred.count() >= 40
    for note in inferred:
        assert note.field in FactField.values, note.slug
        assert note.assumption and not note.assumption.endswith("."), note.slug
    assert not SourceNote.objects.exclude(field__in=FactField.values).exclude(
        slug="general-queries-typo"
    )
    unsaid = SourceNote(slug="unsaid", kind=NoteKind.INFERRED, fact="x", explanation="y")
    with pytest.raises(ValidationError):
        unsaid.full_clean()
    unsaid.field, unsaid.assumption = FactField.PARENT, "it reports to PSG"
    unsaid.full_clean()


def test_the_org_chart_explains_the_mark_once_and_marks_each_card(client, seeded):
    page = _page(client, "/")
    assert page.count('class="help inferred-key"') == 1
    assert PSG_PARENT in _card(page, "psg")
    sitwg = _card(page, "sitwg")
    assert SITWG_PARENT in sitwg
    assert sitwg.count(INFERRED_LEAD) == 1 and ";" not in sitwg.split(INFERRED_LEAD)[1]
    # Every card whose group has an inference carries the mark; no other card does.
    groups = GovernanceGroup.objects.prefetch_related("source_notes")
    for group in groups:
        assert (INFERRED_LEAD in _card(page, group.slug)) == bool(group.inferred_fields)


def test_the_directory_marks_each_row(client, seeded):
    page = _page(client, "/groups/")
    assert PSG_PARENT in _row(page, "psg")
    assert "Ofgem makes decisions, as the Sponsor" in _row(page, "ofgem")
    assert INFERRED_LEAD in _row(page, "sitwg") and "open to all" not in _row(page, "sitwg")
    # A group with no inference has no mark: none in the seed, so make one.
    psg = GovernanceGroup.objects.get(slug="psg")
    psg.source_notes.filter(kind=NoteKind.INFERRED).delete()
    assert INFERRED_LEAD not in _row(_page(client, "/groups/"), "psg")


def test_the_group_page_marks_the_inferred_fact_and_not_the_stated_ones(client, seeded):
    page = _page(client, "/groups/psg/")
    assert PSG_PARENT in _fact(page, "Reports to")
    for stated in ("Purpose", "Who may attend", "Decision-making", "Workstream", "Level"):
        assert INFERRED_LEAD not in _fact(page, stated), stated
    assert f"{INFERRED_LEAD} the PSG pre-meeting webinar" in _fact(page, "Schedule")
    # Each mark links to its reason.
    assert 'href="/data-quality/#psg-parent"' in page
    lqtsg = _page(client, "/groups/lqtsg/")
    assert INFERRED_LEAD in _fact(lqtsg, "Who may attend")
    assert INFERRED_LEAD in _fact(lqtsg, "Workstream")
    # At a glance too: the summary marks what it assumes.
    glance = lqtsg.split('id="glance-heading"', 1)[1].split("</dl>", 1)[0]
    for label in ("Who may attend", "Makes decisions"):
        row = _text(glance.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0])
        assert INFERRED_LEAD in row, label
    # PSG's glance marks only the Programme workstream's mailbox, which it assumes.
    psg_glance = _text(page.split('id="glance-heading"', 1)[1].split("</dl>", 1)[0])
    assert psg_glance.count(INFERRED_LEAD) == 1
    assert f"{INFERRED_LEAD} the Programme workstream's mailbox is PMO" in psg_glance


def test_workstream_pages_and_contact_mark_inferred_mailboxes(client, seeded):
    programme = _page(client, "/workstreams/programme/")
    assert (
        f"{INFERRED_LEAD} the Programme workstream's mailbox is PMO@mhhsprogramme.co.uk"
        in _text(programme)
    )
    assert PSG_PARENT in _card(programme, "psg")
    qualification = _text(_page(client, "/workstreams/qualification/"))
    assert f"{INFERRED_LEAD} {QUALIFICATION_TO_PPC}" in qualification
    contact = _text(_page(client, "/contact/"))
    listing = _text(_page(client, "/workstreams/"))
    for page in (contact, listing):
        assert f"{INFERRED_LEAD} the Programme workstream's mailbox is PMO" in page
        assert f"{INFERRED_LEAD} {QUALIFICATION_TO_PPC}" in page
    # The source says each workstream owns a mailbox, never which: every pairing is marked,
    # once per workstream on the list, and on each workstream's page.
    assert listing.count(INFERRED_LEAD) == 6
    for slug, name, address in MATCHED_BY_NAME:
        said = f"{INFERRED_LEAD} the {name} workstream's mailbox is {address}, matched by name."
        assert said in listing and said in contact
        page = _page(client, f"/workstreams/{slug}/").split('id="upcoming-heading"')[0]
        assert said in _text(page)
    # Nor does the source contradict itself: it names no Qualification mailbox, it does
    # not say there is none.
    assert "has no mailbox of its own" not in contact


QUALIFICATION_TO_PPC = (
    "the Qualification workstream's queries go to the PPC team until the programme office "
    "names its mailbox."
)
MATCHED_BY_NAME = (
    ("design", "Design", "Design@mhhsprogramme.co.uk"),
    ("test", "Test", "Testing@mhhsprogramme.co.uk"),
    ("migration", "Migration", "Migration@mhhsprogramme.co.uk"),
    ("code", "Code", "Code@mhhsprogramme.co.uk"),
)


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        ("sitag", "the Test workstream's mailbox is Testing@"),
        ("psg", "the Programme workstream's mailbox is PMO@"),
        ("dag", "the Design workstream's mailbox is Design@"),
        ("qwg", QUALIFICATION_TO_PPC),
        ("lqtsg", "LQTSG belongs to the Qualification workstream"),
        ("lqtsg", QUALIFICATION_TO_PPC),
    ],
)
def test_each_group_page_marks_the_mailbox_its_queries_go_to(client, seeded, slug, said):
    page = _page(client, f"/groups/{slug}/")
    for label in ("Queries to", "Mailbox for queries"):  # at a glance, and in full
        row = _text(page.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0])
        assert f"{INFERRED_LEAD} {said}" in row, label


def test_json_and_csv_list_the_inferred_fields(client, seeded):
    listing = {g["slug"]: g for g in client.get("/api/groups/").json()["groups"]}
    assert listing["psg"]["inferred"] == ["parent", "schedules"]
    assert listing["ofgem"]["inferred"] == ["attendance", "decision_making"]
    assert listing["ofgem"]["status"] == "not_stated"
    # Every series starts on an assumed date (1 April 2024) until the office sets one.
    assert client.get("/api/groups/sitwg/").json()["inferred"] == ["parent", "schedules"]
    assert client.get("/api/groups/ofgem/").json()["schedules"] == []
    rows = {
        r["slug"]: r
        for r in csv.DictReader(io.StringIO(client.get("/groups/export.csv").content.decode()))
    }
    assert rows["psg"]["inferred"] == "parent;schedules"
    assert rows["sitwg"]["inferred"] == "parent;schedules"
    assert rows["ofgem"]["inferred"] == "attendance;decision_making"
    assert set(rows) == set(listing)


def test_schedules_stop_being_inferred_once_the_office_sets_the_dates(client, seeded):
    series = GovernanceGroup.objects.get(slug="sitwg").series.get()
    series.known_from_set_on = series.known_from
    series.save()
    assert client.get("/api/groups/sitwg/").json()["inferred"] == ["parent"]


def test_a_fact_the_programme_office_sets_is_set_on_a_date(client, seeded, pmo_user):
    group = GovernanceGroup.objects.get(slug="sitwg")
    # No seeded status is inferred any more: give SITWG one, as an older seed did.
    group.source_notes.create(
        slug="sitwg-status-guess",
        kind=NoteKind.INFERRED,
        field=FactField.STATUS,
        fact="status",
        assumption="it may be mobilised",
        explanation="The diagram gives its status by colour only.",
    )
    assert "status" in client.get("/api/groups/sitwg/").json()["inferred"]
    group = GovernanceGroup.objects.get(slug="sitwg")
    change_group_status(
        group=group, status=Status.AD_HOC, note="Meets when called.", by=pmo_user, at=clock.now()
    )
    page = _page(client, "/groups/sitwg/")
    glance = _text(page.split('class="glance-status"')[1].split("</div>")[0])
    assert "set by the programme office on 26 November 2026" in glance
    assert INFERRED_LEAD not in glance
    assert "status" not in client.get("/api/groups/sitwg/").json()["inferred"]


def test_every_page_says_the_source_is_undated_and_when_it_was_loaded(client, seeded):
    loaded = f"Its facts were loaded here on {SEEDED_AT:%-d %B %Y, %H:%M}"
    for path in ("/", "/groups/", "/groups/psg/", "/contact/", "/escalations/", "/search/"):
        footer = _text(_page(client, path).split('<footer class="site-footer">')[1])
        assert "The source document is undated." in footer, path
        assert loaded in footer, path


def test_a_fresh_seed_records_when_its_facts_were_loaded(empty_db, client, now):
    governance_seed()
    footer = _page(client, "/").split('<footer class="site-footer">')[1]
    assert f"loaded here on {PINNED_NOW:%-d %B %Y, %H:%M}" in _text(footer)


def test_the_level_4_sub_groups_band(client, seeded):
    home = _page(client, "/")
    levels = _text(home.split('id="levels-heading"')[1].split("</section>")[0])
    assert "“Level 4 Sub groups”: DRG, GLIG, LQTSG, SAQTSG." in levels
    grid = home.split('id="grid-heading"')[1]
    assert '<th scope="col">Level 4 Sub groups</th>' in grid
    assert "No level (NA)" not in grid
    for slug in ("drg", "glig", "lqtsg", "saqtsg"):
        assert "Level 4 Sub groups" in _card(home, slug)
        assert "the band “Level 4 Sub groups”" in _fact(_page(client, f"/groups/{slug}/"), "Level")
    # DRG and GLIG keep the overview table's "NA", as a difference.
    for slug in ("drg", "glig"):
        level = _fact(_page(client, f"/groups/{slug}/"), "Level")
        assert level.startswith("NA (the overview table gives no level).")
        assert "sources differ" in level
    assert "Level 4 Sub groups" not in _card(home, "sitwg")


def test_typing_errors_are_kept_and_marked_on_every_surface(client, seeded):
    psg = _page(client, "/groups/psg/")
    assert "Owens [sic] (as the source writes it; likely “Owns”) the delivery" in _text(psg)
    assert "Owns the delivery" not in psg
    sitag = _text(_page(client, "/groups/sitag/"))
    assert "consult and approved [sic]" in sitag
    assert client.get("/api/groups/psg/").json()["purpose"].startswith("Owens [sic] the")
    schedule = client.get("/api/groups/dag/").json()["schedules"][0]["text"]
    assert schedule == "2 nd [sic] Wednesday of each month, 1000-1300"
    guidance = _text(_page(client, "/escalations/"))
    assert "An update-to-date [sic]" in guidance
    feed = Calendar.from_ical(client.get("/groups/psg/calendar.ics").content)
    descriptions = [str(e["DESCRIPTION"]) for e in feed.walk("VEVENT")]
    assert descriptions and all("Owens [sic] the delivery" in d for d in descriptions)
    # Search finds both spellings, and shows the words as written.
    for query in ("owns", "Owens"):
        results = _text(_page(client, f"/search/?q={query}").split('id="main"')[1])
        assert "Programme Steering Group (PSG)" in results, query
        assert "Owens [sic]" in results, query
    data_quality = _text(_page(client, "/data-quality/"))
    assert '"Owens" is likely a typing error for "Owns"' in data_quality


def test_the_tables_own_names_are_searchable(client, seeded):
    for query, first in [
        ("Fast Track Implementation Group", "/groups/glig/"),
        ("Code Draft Working Group 1", "/groups/cdwg/"),
        ("System Integration & Testing Advisory Group", "/groups/sitag/"),
    ]:
        page = _page(client, f"/search/?q={query}")
        results = page.split('id="main"')[1]
        links = re.findall(r'href="(/groups/[^"/]+/)"', results)
        assert links[0] == first, query


def test_sic_marks_only_the_errors():
    assert with_sic("Oversee, review, consult and approved the") == (
        "Oversee, review, consult and approved [sic] the"
    )
    assert with_sic("Decisions approved at PSG") == "Decisions approved at PSG"
    assert with_sic("1 st Wednesday; 21 st") == "1 st [sic] Wednesday; 21 st"
    assert [t.meaning for t in typos_in("Owens it. An update-to-date list")] == [
        "Owns",
        "up-to-date",
    ]
    assert spellings("owns") == ["owns", "owens"]
    assert spellings("design") == ["design"]


def test_the_migration_brings_an_existing_database_to_the_seeds_provenance(seeded):
    """A database seeded before: its notes gain their fields and assumptions, the rewritten
    notes and PSG's purpose become the source's words, unless an admin changed them."""
    migration = importlib.import_module("groups.migrations.0007_provenance_fields")
    SourceNote.objects.update(field="", assumption="", workstream=None)
    old_typo, _ = migration.REWRITTEN["psg-purpose-typo"]
    SourceNote.objects.filter(slug="psg-purpose-typo").update(**old_typo)
    old_ofgem, _ = migration.REWRITTEN["ofgem-facts"]
    SourceNote.objects.filter(slug="ofgem-facts").update(**old_ofgem)
    psg = GovernanceGroup.objects.get(slug="psg")
    GovernanceGroup.objects.filter(slug="psg").update(
        purpose=psg.purpose.replace("Owens", "Owns", 1)
    )
    GovernanceGroup.objects.filter(slug="glig").update(band="", source_names="")
    GovernanceGroup.objects.filter(slug="cdwg").update(source_names="Set in the admin")

    migration.forwards(django_apps, None)

    notes = {n.slug: n for n in SourceNote.objects.select_related("workstream")}
    assert (notes["psg-parent"].field, notes["psg-parent"].assumption) == (
        "parent",
        "PSG reports to Ofgem, the Sponsor",
    )
    assert notes["programme-mailbox"].workstream.slug == "programme"
    assert notes["psg-purpose-typo"].primary_statement.startswith("Owens the delivery")
    assert (notes["ofgem-facts"].fact, notes["ofgem-facts"].field) == ("attendance", "attendance")
    groups = {g.slug: g for g in GovernanceGroup.objects.all()}
    assert groups["psg"].purpose.startswith("Owens the delivery")
    assert groups["glig"].band == "Level 4 Sub groups"
    assert groups["glig"].source_names.startswith("Fast Track Implementation Group")
    assert groups["cdwg"].source_names == "Set in the admin", "an admin's edit stays"


def test_0009_gives_each_seeded_workstream_its_own_mailbox_note(seeded):
    """A database seeded before: the one note on every workstream's mailbox becomes one per
    workstream, and Qualification's note stops saying it has no mailbox; as the seed."""
    migration = importlib.import_module("groups.migrations.0009_workstream_mailbox_notes")
    fields = ("workstream__slug", "fact", "field", "assumption", "explanation")
    seed = {
        n["slug"]: n for n in SourceNote.objects.filter(field="mailbox").values("slug", *fields)
    }
    SourceNote.objects.filter(slug__in=migration.NEW_NOTES).delete()
    SourceNote.objects.create(
        slug=migration.OLD_SLUG,
        kind=NoteKind.INFERRED,
        fact="workstream mailboxes",
        field="mailbox",
        assumption=migration.OLD_ASSUMPTION,
        explanation="The source document says each workstream owns a mailbox but not which.",
    )
    slug, was, _now = migration.QUALIFICATION
    SourceNote.objects.filter(slug=slug).update(**was)

    migration.forwards(django_apps, None)

    after = {
        n["slug"]: n for n in SourceNote.objects.filter(field="mailbox").values("slug", *fields)
    }
    assert after == seed
    assert set(migration.NEW_NOTES) < set(after)


def test_0009_leaves_a_note_the_programme_office_edited(seeded):
    migration = importlib.import_module("groups.migrations.0009_workstream_mailbox_notes")
    SourceNote.objects.filter(slug__in=migration.NEW_NOTES).delete()
    SourceNote.objects.create(
        slug=migration.OLD_SLUG,
        kind=NoteKind.INFERRED,
        fact="workstream mailboxes",
        field="mailbox",
        assumption="edited in the admin",
        explanation="Edited.",
    )
    migration.forwards(django_apps, None)
    assert SourceNote.objects.filter(slug=migration.OLD_SLUG).exists()
    assert not SourceNote.objects.filter(slug__in=migration.NEW_NOTES).exists()
