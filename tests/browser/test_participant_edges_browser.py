"""A participant's edges in Chromium: a group with a status history fits a phone, the month
stays a list at 360 px, addresses stay whole at 1280 px, the subscribe panel opens at once.

Every public page's width at 1280 and 360 px, and its addresses, are checked by the sweep in
``test_participant_journeys``; these add the data the sweep's pages lack."""

import pytest

from core import clock
from groups.enums import Status
from groups.models import GovernanceGroup
from groups.services import change_group_status

from .conftest import screenshot

pytestmark = pytest.mark.browser


# Each address shown: its text, how many lines it takes, its height and its line height.
ADDRESSES = """addresses => addresses.map(a => [
  a.innerText,
  a.getClientRects().length,
  a.getBoundingClientRect().height,
  parseFloat(getComputedStyle(a).lineHeight),
])"""


def _at(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context, context.new_page()


def test_a_group_with_a_status_history_fits_a_phone(browser, site):
    dag = GovernanceGroup.objects.get(slug="dag")
    dag.status_effective_from = None
    assert change_group_status(
        group=dag,
        status=Status.AD_HOC,
        note="Email update provided in lieu of papers; a slot is kept for ad hoc meetings.",
        by=None,
        at=clock.now(),
    )  # a change recorded: the page has a status history
    context, page = _at(browser, 360)
    try:
        page.goto(site + "/groups/dag/")
        history = page.locator("#history-heading + table")
        assert history.locator("tbody tr").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Stacked: each change a block, its cells named.
        cell = history.locator("tbody td").first
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
        assert "When:" in cell.evaluate("td => getComputedStyle(td, '::before').content")
        history.scroll_into_view_if_needed()
        screenshot(page, "360/edges-dag-status-history")
    finally:
        context.close()


def test_the_month_is_a_list_on_a_phone_and_a_grid_on_a_desktop(browser, site):
    for width, display in ((360, "block"), (1280, "table-cell")):
        context, page = _at(browser, width)
        try:
            page.goto(site + "/calendar/2026/12/")
            day = page.locator("table.month td", has=page.locator("time[datetime='2026-12-02']"))
            assert day.evaluate("td => getComputedStyle(td).display") == display
            entry = day.locator("li", has_text="PSG").first
            assert "Programme Steering Group" in entry.inner_text()
            assert "Closed" in entry.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"{width}/edges-calendar-december")
        finally:
            context.close()


def test_addresses_are_one_line_on_a_desktop(browser, site):
    context, page = _at(browser, 1280)
    try:
        for path in ("/contact/", "/groups/psg/", "/workstreams/migration/", "/escalations/"):
            page.goto(site + path)
            addresses = page.locator('a[href^="mailto:"]', has_text="@").evaluate_all(ADDRESSES)
            assert len(addresses) >= 1, path
            for text, lines, height, line in addresses:
                assert lines == 1 and height <= line + 1, (path, text)
    finally:
        context.close()


def test_the_subscribe_panel_is_open_after_choosing_groups(browser, site):
    context, page = _at(browser, 360)
    try:
        page.goto(site + "/my-calendar/")
        page.get_by_label("Programme Steering Group (PSG)").check()
        page.get_by_role("button", name="Make my calendar").click()
        page.wait_for_url("**/my-calendar/?groups=psg#feed-heading")
        assert page.get_by_role("link", name="Add to Microsoft 365").is_visible()
        assert page.get_by_label("Calendar address").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, "360/edges-my-calendar-chosen")
    finally:
        context.close()
