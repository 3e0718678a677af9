"""A participant's journeys in Chromium, and every public page at 1280 px and 360 px."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.browser.conftest import screenshot
from tests.public_pages import ALL_PAGES, MAIN_PAGES

pytestmark = pytest.mark.browser


def test_sitwg_next_meeting_within_two_clicks_from_home(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name=re.compile(r"\bSITWG Systems")).first.click()
    page.wait_for_url(site + "/groups/sitwg/")
    glance = page.locator(".at-a-glance")
    assert re.search(r"Next meeting\s+\w+day \d{1,2} \w+ \d{4}, \d\d:\d\d to", glance.inner_text())


def test_build_a_psg_and_sitwg_feed_and_copy_its_address(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    try:
        _build_and_copy(context.new_page(), site)
    finally:
        context.close()


def _build_and_copy(page, site):
    page.goto(site + "/my-calendar/")
    page.get_by_label("Programme Steering Group (PSG)").check()
    page.get_by_label("Systems Integration Testing Working Group (SITWG)").check()
    page.get_by_role("button", name="Make my calendar").click()
    page.wait_for_url(re.compile(r".*/my-calendar/\?groups=.*"))
    # One press: the Subscribe panel is open once the groups are chosen.
    assert page.locator("details.subscribe-panel").get_attribute("open") is not None
    address = page.get_by_label("Calendar address").input_value()
    assert address == site + "/calendar.ics?groups=psg,sitwg"
    page.get_by_role("button", name="Copy address").click()
    # The copy is asynchronous: wait for the announcement, then read the clipboard.
    page.get_by_role("status").filter(has_text="Address copied").wait_for(timeout=10_000)
    assert page.evaluate("navigator.clipboard.readText()") == address
    screenshot(page, "my-calendar")


def test_route_from_design_and_a_challenge_to_psgs_contacts(page, site):
    page.goto(site + "/escalations/route/")
    page.get_by_label("Design", exact=True).check()
    page.get_by_label("Challenge a decision").check()
    page.get_by_role("button", name="Find where to go").click()
    first = page.locator("ol.route > li").first
    assert first.inner_text().startswith("Programme Steering Group (PSG)")
    write = first.get_by_role("link", name=re.compile("^Write to"))
    mailto = write.get_attribute("href")
    assert mailto.startswith("mailto:PMO@mhhsprogramme.co.uk?")
    assert "Design workstream" in unquote(parse_qs(urlsplit(mailto).query)["subject"][0])
    assert first.get_by_role("link", name="PMO@mhhsprogramme.co.uk").count() == 1
    screenshot(page, "route-design-formal")


def test_calendar_to_a_meeting_page_and_its_papers(page, site, now):
    errors = []

    def console(message):  # a CSP refusal, a missing file, a script error: any is a failure
        if message.type == "error":
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", console)
    page.goto(site + "/calendar/2026/11/")
    with page.expect_navigation() as navigation:
        page.locator('a[href$="/groups/psg/meetings/2026-11-04/"]').first.click()
    assert navigation.value.url == site + "/groups/psg/meetings/2026-11-04/"
    assert "script-src" in navigation.value.headers.get("content-security-policy", "")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "PSG meeting" in heading and "4 November 2026" in heading
    papers = page.locator("section", has=page.get_by_role("heading", name="Papers", exact=True))
    pack = papers.get_by_role("link", name="Migration readiness pack")
    assert pack.count() == 1
    structured = [
        json.loads(text)
        for text in page.locator('script[type="application/ld+json"]').all_text_contents()
    ]
    assert any(
        data.get("@type") == "Event"
        and data.get("eventStatus") == "https://schema.org/EventScheduled"
        for data in structured
    ), structured
    screenshot(page, "meeting-papers")
    with page.expect_download() as info:
        pack.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    assert errors == []


# The page's width, and the email addresses it shows: how many, and those broken over more
# than one line; one call.
MEASURE = """() => {
  const addresses = [...document.querySelectorAll('a[href^="mailto:"]')]
    .filter(a => a.textContent.includes("@"));
  return {
    scroll: document.documentElement.scrollWidth,
    addresses: addresses.length,
    broken: addresses.filter(a => a.getClientRects().length > 1).map(a => a.textContent.trim()),
  };
}"""


# Every public page, in two parts (a test each, for the test processes to share): the main
# pages (44 addresses at 1280 px), then the groups' pages and the error pages (81).
PARTS = {"main": ALL_PAGES[: len(MAIN_PAGES)], "groups-and-errors": ALL_PAGES[len(MAIN_PAGES) :]}


def test_the_parts_are_every_public_page():
    assert [path for part in PARTS.values() for path in part] == ALL_PAGES


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("width", [1280, 360])
def test_every_public_page_fits_and_is_photographed(browser, site, width, part):
    """No page is wider than the screen; on a wide screen no address breaks mid-word."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    too_wide, broken, addresses = {}, {}, 0
    for path in PARTS[part]:
        page.goto(site + path)
        measured = page.evaluate(MEASURE)
        if measured["scroll"] > width:
            too_wide[path] = measured["scroll"]
        if width == 1280:
            addresses += measured["addresses"]
            if measured["broken"]:
                broken[path] = measured["broken"]
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        screenshot(page, f"{width}/{name}")
    context.close()
    assert too_wide == {}, f"pages wider than {width} px: {too_wide}"
    assert broken == {}, f"addresses broken over lines at {width} px: {broken}"
    assert width != 1280 or addresses > 30  # the check saw addresses to measure


def test_search_dip_finds_the_sims_and_ems_mailbox(page, site):
    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_role("searchbox").fill("DIP")
    page.get_by_role("button", name=re.compile("^Search")).click()
    page.wait_for_url(re.compile(r".*/search/\?q=DIP"))
    first = page.locator("main ol li").first
    assert "Sims" in first.inner_text() or "Ems" in first.inner_text()
    assert first.locator("mark").first.inner_text().upper() == "DIP"
    screenshot(page, "search-dip")
