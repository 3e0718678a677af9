"""/follow/ at 360 px without JavaScript, from a group page's Subscribe panel to stopping.

Here, not beside the other follow tests: the browser is the session's one (this folder's
conftest); a second Playwright in the same process would refuse to start."""

import pytest

from follow.models import Subscription

from .conftest import screenshot


@pytest.mark.browser
def test_following_by_email_in_a_narrow_browser(browser, site):
    """The whole journey at 360 px: nothing wider than the screen, and pages work without
    JavaScript."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/groups/psg/")
    page.locator("#subscribe-group summary").click()
    page.get_by_role("link", name="Follow by email").click()
    assert page.get_by_label("PSG", exact=False).first.is_checked()
    page.get_by_label("Your email address").fill("narrow@example.org")
    page.get_by_label("Weekly digest", exact=False).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "follow-form-narrow")
    page.get_by_role("button", name="Follow").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    subscription = Subscription.objects.get(email="narrow@example.org")
    assert subscription.frequency == "weekly"
    page.goto(f"{site}/follow/confirm/{subscription.token}/")
    page.get_by_role("button", name="Confirm").click()
    assert "You are now following" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="manage this subscription").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "follow-manage-narrow")
    page.get_by_role("button", name="Stop all emails to this subscription").click()
    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    assert not Subscription.objects.filter(email="narrow@example.org").exists()
    context.close()
