import base64
import os
from pathlib import Path

import pytest
from django.conf import settings

from operations.seeding import governance_seed
from tests.sample_records import sample_records
from tests.tools import snapshot_restore, snapshot_save

# Playwright's sync API runs an event loop in this thread; the database calls the tests
# make around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_page(browser):
    # axe-core is injected by the test, so this context alone bypasses the page's CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def site_data() -> None:
    """The seed and the sample records, for a test against the live server (its database
    flushed after each test): loaded once per process, then restored from a copy."""
    if snapshot_restore("site"):
        return
    if not snapshot_restore("seed"):
        governance_seed()
    sample_records()
    snapshot_save("site")


@pytest.fixture
def site(live_server, transactional_db):
    site_data()
    return live_server.url


def screenshot(page, name: str) -> None:
    """The whole page, as a PNG under test-artifacts/screenshots/: taken by Chromium's
    DevTools protocol, encoded for speed (Playwright's full-page screenshot takes twice as
    long, mostly encoding)."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    devtools = page.context.new_cdp_session(page)
    try:
        size = devtools.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = devtools.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            },
        )
    finally:
        devtools.detach()
    path.write_bytes(base64.b64decode(shot["data"]))
