import os
from pathlib import Path

import pytest
from django.conf import settings

from operations.seeding import governance_seed
from tests.sample_records import sample_records

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


@pytest.fixture
def site(live_server, transactional_db):
    governance_seed()
    sample_records()
    return live_server.url


def screenshot(page, name: str) -> None:
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
