from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from groups.seeding import governance_seed
from mhhs_gov import clock

LONDON = timezone.get_default_timezone()
# A fixed "now" for every test that reads the time: Thursday 26 November 2026, 09:00 UK.
PINNED_NOW = datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    governance_seed()


@pytest.fixture
def now(monkeypatch):
    """Pin the clock the views read."""
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW)
    return PINNED_NOW
