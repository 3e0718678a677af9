"""The review's fixes to "Who represents me" and its neighbours: a way in from the menu, the
group pages and the guidance; forms whose errors and hints are linked; routes that say which
email to use; the change log's filter label."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from lxml import html

from records.models import Decision
from tests.representation.files import GOOD, import_file
from tests.sample_records import sample_records


@pytest.fixture
def imported(seeded, tmp_path):
    import_file(tmp_path, GOOD)


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content[:2000]
    return html.fromstring(response.content.decode())


def test_the_main_menu_leads_to_who_represents_me(seeded, client):
    nav = page(client, "/").xpath('//nav[@aria-label="Main"]')[0]
    assert nav.xpath('.//a[@href="/constituencies/"]')[0].text_content().strip() == (
        "Who represents me"
    )
    current = page(client, "/constituencies/").xpath(
        '//nav[@aria-label="Main"]//a[@href="/constituencies/"]'
    )
    assert current[0].get("aria-current") == "page"


def test_the_group_page_links_its_attendance_to_its_seats(imported, client):
    dd = page(client, "/groups/psg/").xpath('//dt[text()="Who may attend"]/following-sibling::dd')[
        0
    ]
    link = dd.xpath('.//a[@href="#representatives"]')[0]
    assert link.text_content() == "through your constituency representative"


def test_the_worked_examples_link_constituency_representatives(seeded, client):
    examples = page(client, "/escalations/").xpath(
        '//section[@aria-labelledby="examples-heading"]'
    )[0]
    links = [a for a in examples.xpath(".//a") if "constituency representative" in a.text_content()]
    assert links and all(a.get("href") == "/constituencies/" for a in links)


@pytest.mark.parametrize(
    "path",
    [
        "/escalations/route/?group=dag&kind=formal&constituency={}",
        "/decisions/CCAG-2026-001/?constituency={}",
    ],
)
def test_the_constituency_select_points_to_its_hint_and_its_error(imported, client, path):
    sample_records()
    valid = page(client, path.format("large-supplier")).get_element_by_id("id_constituency")
    assert valid.get("aria-describedby") == "constituency-hint"
    refused = page(client, path.format("nowhere"), status=400)
    select = refused.get_element_by_id("id_constituency")
    ids = select.get("aria-describedby").split()
    assert ids == ["constituency-hint", "id_constituency_error"]
    assert all(refused.get_element_by_id(i) is not None for i in ids)
    assert (
        "There is no constituency nowhere"
        in refused.get_element_by_id("id_constituency_error").text_content()
    )


def test_the_decision_page_asks_a_constituency_only_where_a_step_has_seats(imported, client):
    sample_records()
    ccag = Decision.objects.get(group__slug="ccag").get_absolute_url()  # to PSG: seats
    psg = Decision.objects.filter(group__slug="psg").first().get_absolute_url()  # to the IPA
    assert page(client, ccag).xpath('//select[@name="constituency"]')
    assert not page(client, psg).xpath('//select[@name="constituency"]')


def test_the_route_says_which_email_to_use_and_the_group_email_names_them(imported, client):
    doc = page(client, "/escalations/route/?group=dag&kind=formal&constituency=large-supplier")
    psg = doc.xpath('//ol[@class="route"]/li')[0]
    said = " ".join(psg.text_content().split())
    assert (
        'To escalate, use "Write to Programme Steering Group (PSG)": it is for the attention '
        "of your representatives." in said
    )
    mailto = [
        a.get("href")
        for a in psg.xpath(".//a")
        if "Write to Programme Steering" in a.text_content()
    ][0]
    query = parse_qs(urlsplit(mailto).query)
    attention = "my PSG representatives for Large Supplier (Ann Archer, Ben Baker)"
    assert query["subject"][0].endswith(f", for the attention of {attention}")
    assert query["body"][0].startswith(f"For the attention of {attention}.")
    # Alternates with their organisation and whom they stand in for.
    assert "alternates: Cat Cole (Crest Utilities) for Ann Archer" in said
    # The next meeting, with no space before a full stop.
    assert " ." not in said
    # Without a constituency, the group's email names nobody.
    plain = page(client, "/escalations/route/?group=dag&kind=formal")
    mailto = [
        a.get("href")
        for a in plain.xpath("//a")
        if "Write to Programme Steering" in a.text_content()
    ][0]
    assert "attention" not in unquote(mailto)


def test_one_representative_is_singular(imported, client):
    doc = page(client, "/escalations/route/?group=sitwg&kind=formal&constituency=large-supplier")
    said = " ".join(doc.xpath('//ol[@class="route"]/li')[0].text_content().split())
    assert "Your SITAG representative for Large Supplier: Fay Ford (Crest Utilities)." in said


def test_the_organisation_search_says_its_limit_and_links_the_pmo(imported, client):
    doc = page(client, "/constituencies/?organisation=zebra")
    assert doc.get_element_by_id("search-heading").text_content() == (
        "Does someone from my company hold a seat?"
    )
    assert "a company with no representative recorded is not found" in doc.text_content()
    ask = [a for a in doc.xpath("//main//a") if a.text_content() == "Ask the PMO"][0]
    assert ask.get("href").lower().startswith("mailto:pmo@")


def test_the_change_log_filter_is_labelled_and_its_lede_says_what_it_holds(seeded, client):
    doc = page(client, "/changes/")
    assert "[invalid name]" not in doc.text_content()
    label = doc.xpath('//label[@for="id_group"]')[0].text_content().strip()
    assert label == "Group"
    lede = " ".join(doc.xpath('//p[@class="lede"]')[0].text_content().split())
    for kind in ("decision", "action", "paper", "seat", "representative"):
        assert kind in lede
