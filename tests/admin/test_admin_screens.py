"""The programme office's admin screens in Chromium at 1280 px and 360 px: the admin home
(the office's week), the group list and the meeting screen, signed in past the second factor.
None is wider than the screen; the group list's status, note and "takes effect from" are in
view at 1280 px with the admin's sidebar open; axe finds nothing on any of them, at either
width."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User

from groups.roles import programme_office_role_sync
from tests.browser.conftest import SCREENSHOTS, screenshot, site_data
from tests.conftest import signed_in
from tests.tools import AXE, require

pytestmark = pytest.mark.browser

HOME = "/admin/"
GROUPS = "/admin/groups/governancegroup/"
MEETING = "/admin/records/meetingrecord/meetings/psg/2026-12-02/"  # the meeting screen
WIDTHS = (1280, 360)


@pytest.fixture
def chromium(browser):
    """The session's Chromium (tests/conftest.py)."""
    return browser


@pytest.fixture
def office_site(live_server, transactional_db):
    """The seed and the sample records, and the programme office's session (past the second
    factor) as a cookie."""
    site_data()
    user = User.objects.create_user("pmo", "pmo@example.org", "a-long-password-2", is_staff=True)
    # The test database is flushed between live-server tests: make the role again.
    user.groups.add(programme_office_role_sync(Group, Permission))
    session = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    return live_server.url, session


def open_page(chromium, office_site, path, width, *, axe=False):
    url, session = office_site
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=axe)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    response = page.goto(url + path)
    assert response.status == 200, path
    return page


def screenshots(page, name: str) -> None:
    """The whole page, and the first screenful as the office sees it on opening."""
    screenshot(page, name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-top.png"))


def page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def too_wide(page) -> list[str]:
    """What reaches past the screen's right edge, for the failure's message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 8)
          .map(e => `${e.tagName}#${e.id}.${e.className} ${e.getBoundingClientRect().right}`)"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_home_fits(chromium, office_site, width):
    page = open_page(chromium, office_site, HOME, width)
    assert page.get_by_role("heading", name="This week and next").is_visible()
    scroll, inner = page_width(page)
    screenshots(page, f"admin-home-{width}")
    assert scroll <= inner, too_wide(page)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_group_list_fits(chromium, office_site, width):
    page = open_page(chromium, office_site, GROUPS, width)
    sizes = page.evaluate(
        """() => {
          const box = e => e.getBoundingClientRect();
          const row = document.querySelector('#result_list tbody tr');
          const results = document.querySelector('#changelist .results');
          return {
            inner: window.innerWidth,
            sidebar: box(document.querySelector('#nav-sidebar')).width,
            results: [results.scrollWidth, results.clientWidth],
            // Each field in view, and what is at its middle is the field itself (not hidden).
            fields: ['status', 'status_note', 'status_effective_from'].map(name => {
              const field = row.querySelector(`[name$="-${name}"]`);
              const b = box(field);
              const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
              return [name, b.left, b.right, hit === field];
            }),
          };
        }"""
    )
    screenshots(page, f"admin-group-list-{width}")
    scroll, inner = page_width(page)
    assert scroll <= inner, too_wide(page)
    results_scroll, results_width = sizes["results"]
    if width == 1280:
        assert sizes["sidebar"] > 0  # the admin's sidebar is open
        assert results_scroll <= results_width  # no scrolling within the list
        for name, left, right, reachable in sizes["fields"]:
            assert left >= 0 and right <= inner and reachable, (name, left, right)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_meeting_screen_fits(chromium, office_site, width):
    page = open_page(chromium, office_site, MEETING, width)
    screenshots(page, f"admin-meeting-screen-{width}")
    scroll, inner = page_width(page)
    assert scroll <= inner, too_wide(page)
    page.context.close()


@pytest.mark.parametrize("path", [HOME, GROUPS, MEETING])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_the_office_screens(chromium, office_site, path, width):
    require(AXE, what="axe-core")
    page = open_page(chromium, office_site, path, width, axe=True)
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    assert found == []
    page.context.close()
