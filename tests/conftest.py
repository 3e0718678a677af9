from datetime import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from django.test.utils import teardown_databases
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import clock
from groups.roles import PROGRAMME_OFFICE
from operations.seeding import governance_data_delete
from tests import database as test_database
from tests.tools import CHROMIUM, CHROMIUM_ARGS, require, snapshot_save

LONDON = timezone.get_default_timezone()
# A fixed "now" for every test that reads the time: Thursday 26 November 2026, 09:00 UK.
PINNED_NOW = datetime(2026, 11, 26, 9, 0, tzinfo=LONDON)
# When the seed was loaded, for the test database.
SEEDED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """The test database, migrated and seeded once per process (tests/database.py); each test
    then runs in a transaction that is rolled back, so it starts from the seed however it
    changed the data."""
    with django_db_blocker.unblock():
        config = test_database.create(seeded_at=SEEDED_AT)
        snapshot_save("seed")  # for the live-server tests, after a flush (tests/tools.py)
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture
def seeded(db):
    """The seed's data, as loaded once for the session."""


@pytest.fixture
def empty_db(db):
    """A database without the directory's data (roles and users stay), for seeding tests."""
    governance_data_delete()


@pytest.fixture(autouse=True)
def now(monkeypatch):
    """Pin the project's clock for every test, fixtures included: no test reads the real date.

    A test that needs another moment replaces ``clock.now`` again; one that starts another
    process (gunicorn, moto) asserts nothing on a date it does not control."""
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW)
    return PINNED_NOW


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")


@pytest.fixture
def pmo_user(db):
    user = User.objects.create_user("pmo", "pmo@example.org", "a-long-password-2", is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_OFFICE))
    return user


@pytest.fixture
def staff_user(db):
    return User.objects.create_user(
        "staff", "staff@example.org", "a-long-password-3", is_staff=True
    )


class Browser(Client):
    """The test client, whose ``force_login`` also passes a staff user's second factor (with
    their authenticator set up), as a signed-in member of staff would have done."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.is_staff and settings.ADMIN_2FA:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="Test authenticator", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    """pytest-django's ``client``, as a ``Browser``."""
    return Browser()


def signed_in(user) -> Client:
    """A browser of its own, signed in as ``user`` (staff: past the second factor)."""
    client = Browser()
    client.force_login(user)
    return client


@pytest.fixture
def office(pmo_user):
    """The Programme office, signed in."""
    return signed_in(pmo_user)


@pytest.fixture
def root(superuser):
    """An administrator, signed in."""
    return signed_in(superuser)


@pytest.fixture(scope="session")
def browser():
    """The session's one Chromium, for every browser test wherever it lives: Playwright's
    sync API refuses a second instance in the same process while one runs."""
    require(CHROMIUM, what="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
