"""End-to-end journeys in a real Chromium against a live server."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User

from groups.models import GovernanceGroup
from groups.roles import programme_office_role_sync
from tests.public_pages import MAIN_PAGES
from tests.serving import totp_now
from tests.tools import AXE, require

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_org_chart_to_group_to_subscribe(page, site):
    page.goto(site + "/")
    screenshot(page, "hierarchy")
    page.get_by_role("link", name=re.compile(r"\bPSG Programme Steering Group")).click()
    page.wait_for_url(site + "/groups/psg/")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Programme Steering Group (PSG)")
    )
    page.locator("summary", has_text="Subscribe").click()
    subscribe = page.get_by_role("link", name=re.compile("^Subscribe"))
    assert (
        subscribe.get_attribute("href")
        == site.replace("http://", "webcal://") + "/groups/psg/calendar.ics"
    )
    screenshot(page, "group-psg")
    download = page.get_by_role("link", name="Download .ics")
    assert download.get_attribute("href") == "/groups/psg/calendar.ics"


def test_directory_filter(page, site):
    page.goto(site + "/groups/")
    page.get_by_label("Level").select_option("3")
    page.get_by_role("button", name="Show groups").click()
    page.wait_for_url(re.compile(r".*/groups/\?.*level=3.*"))
    # The five advisory groups and TMAG, listed by default and marked replaced.
    assert page.get_by_role("status").inner_text().startswith("6 groups")
    rows = page.locator("table.directory tbody tr")
    assert rows.count() == 6
    assert "Replaced" in rows.filter(has_text="TMAG").inner_text()
    screenshot(page, "directory-level-3")


def test_calendar_next_and_previous(page, site):
    page.goto(site + "/calendar/2026/11/")
    assert page.get_by_role("heading", level=1).inner_text() == "Meetings in November 2026"
    page.get_by_role("link", name="December 2026 →").click()
    page.wait_for_url(site + "/calendar/2026/12/")
    assert "Christmas Day" in page.content()
    page.get_by_role("link", name="← November 2026").click()
    page.get_by_role("link", name="← October 2026").click()
    page.wait_for_url(site + "/calendar/2026/10/")
    screenshot(page, "calendar-october-2026")


def test_calendar_list_layout_on_a_narrow_screen(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(site + "/calendar/2026/12/")
    assert page.locator("td.empty").first.is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "calendar-narrow")
    context.close()


def test_route_finder(page, site):
    page.goto(site + "/escalations/route/")
    page.get_by_label("Which group is it about? (optional)").select_option("sitwg")
    page.get_by_label("Challenge a decision").check()
    page.get_by_role("button", name="Find where to go").click()
    steps = page.locator("ol.route > li")
    assert steps.count() == 3
    assert steps.nth(0).inner_text().startswith("Systems Integration and Testing Advisory Group")
    assert steps.nth(2).inner_text().startswith("IPA")
    screenshot(page, "route-finder")


def test_admin_login_change_status_public_page_shows_it(page, site):
    user = User.objects.create_user("pmo", "pmo@example.org", "a-long-password-2", is_staff=True)
    # The test database is flushed between live-server tests: make the role again.
    user.groups.add(programme_office_role_sync(Group, Permission))
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("pmo")
    page.get_by_label("Password").fill("a-long-password-2")
    page.get_by_role("button", name="Log in").click()
    # First sign-in: set up the authenticator app from the key shown, confirm with its code.
    page.wait_for_url(re.compile(r".*/admin/two-factor/set-up/.*"))
    assert page.locator("figure.qr-code svg").is_visible()
    page.get_by_label("Code from the app").fill(totp_now(page.locator("code.otp-key").inner_text()))
    page.get_by_role("button", name="Confirm and continue").click()
    assert page.locator("ul.recovery-codes li").count() == 10
    screenshot(page, "admin-recovery-codes")
    page.goto(site + "/admin/groups/governancegroup/")
    dag_pk = GovernanceGroup.objects.get(slug="dag").pk
    row = page.locator(
        "tr", has=page.locator(f'a[href="/admin/groups/governancegroup/{dag_pk}/change/"]').first
    )
    row.locator("select[name$='-status']").select_option("mobilised")
    row.locator("textarea[name$='-status_note']").fill("Meetings resume in January")
    page.locator("input[name='_save']").click()
    page.wait_for_load_state()
    page.goto(site + "/groups/dag/")
    status = page.locator(".group-status").inner_text()
    assert "Mobilised" in status and "Meetings resume in January" in status
    history = page.locator("section", has=page.get_by_role("heading", name="Status history"))
    assert "Available for any ad hoc meetings" in history.inner_text()
    screenshot(page, "group-dag-after-edit")


# The main pages in two halves, a test each, for the test processes to share.
HALVES = {"first": MAIN_PAGES[: len(MAIN_PAGES) // 2], "second": MAIN_PAGES[len(MAIN_PAGES) // 2 :]}


def test_the_halves_are_the_main_pages():
    assert HALVES["first"] + HALVES["second"] == MAIN_PAGES


@pytest.mark.parametrize("half", HALVES)
def test_no_axe_violations_on_public_pages(axe_page, site, half):
    require(AXE, what="axe-core")
    source = AXE.read_text()
    problems = {}
    for path in HALVES[half]:
        axe_page.goto(site + path)
        axe_page.evaluate(source)
        result = axe_page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
        )
        if result:
            problems[path] = result
    assert problems == {}
