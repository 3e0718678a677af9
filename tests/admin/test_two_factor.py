"""Two-factor sign-in for staff, over HTTP: password, then a code (core.two_factor).

The codes are real TOTP codes: django-otp checks them against the real time (time.time(),
not the project's clock), so each test computes the code of the current 30-second step from
the key the enrolment page shows, through django-otp's own TOTP.
"""

import re
from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from lxml import html

from groups.models import GovernanceGroup
from tests.forms import form_fields

PASSWORD = "a-long-password-2"


def admin_urls():
    """One of each kind of admin page: index, app index, changelist, change form, add form,
    history, and a custom admin view (records' overdue list)."""
    dag = GovernanceGroup.objects.get(slug="dag").pk
    return [
        "/admin/",
        "/admin/groups/",
        "/admin/groups/governancegroup/",
        f"/admin/groups/governancegroup/{dag}/change/",
        f"/admin/groups/governancegroup/{dag}/history/",
        "/admin/meetings/oneoffmeeting/add/",
        reverse("admin:records_meetingrecord_overdue"),
    ]


def password_step(client, username="pmo", password=PASSWORD):
    """The admin's own login form, posted as a browser would."""
    page = client.get("/admin/login/?next=/admin/")
    fields = form_fields(page.content.decode(), "login-form")
    fields.update(username=[username], password=[password])
    return client.post("/admin/login/?next=/admin/", fields)


def current_code(key_b32: str) -> str:
    """The code an authenticator app shows now for the key (the real time's step)."""
    totp = TOTP(b32decode(key_b32))
    return f"{totp.token():06d}"


def enrolment_key(page_html: str) -> str:
    key = html.fromstring(page_html).xpath('//code[@class="otp-key"]')[0].text_content()
    return "".join(key.split())


def post_code(client, path, code, expected_form="two-factor-form"):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.content.decode(), expected_form)
    fields["code"] = [code]
    return client.post(path, fields)


def enrol(client):
    """Set up the authenticator from the enrolment page; the recovery codes it then shows."""
    enrol_url = reverse("admin:two_factor_enrol")
    key = enrolment_key(client.get(enrol_url).content.decode())
    response = post_code(client, enrol_url, current_code(key))
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    return key, [code.text_content() for code in page.xpath('//ul[@class="recovery-codes"]//code')]


@pytest.fixture
def browser(seeded, pmo_user):
    return Client()


def test_two_factor_is_on_in_tests_as_in_production(settings):
    assert settings.ADMIN_2FA is True


def test_password_alone_opens_no_admin_page(browser):
    response = password_step(browser)
    assert response.status_code == 302
    for url in admin_urls():
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), (url, response["Location"])
    # The login page sends the user on to the code step, then (no authenticator yet) to
    # setting one up.
    step = browser.get("/admin/login/?next=/admin/groups/")
    assert step["Location"] == "/admin/two-factor/?next=%2Fadmin%2Fgroups%2F"
    assert browser.get(step["Location"])["Location"] == (
        "/admin/two-factor/set-up/?next=%2Fadmin%2Fgroups%2F"
    )
    # A POST to a change form saves nothing either.
    dag = GovernanceGroup.objects.get(slug="dag")
    browser.post(f"/admin/groups/governancegroup/{dag.pk}/change/", {"status": "mobilised"})
    dag.refresh_from_db()
    assert dag.status == "ad_hoc"


def test_enrolment_shows_qr_and_key_then_recovery_codes_once(browser, pmo_user):
    password_step(browser)
    enrol_url = reverse("admin:two_factor_enrol")
    page = browser.get(enrol_url)
    body = page.content.decode()
    tree = html.fromstring(body)
    key = enrolment_key(body)
    svg = tree.xpath('//figure[@class="qr-code"]/svg')
    assert svg and svg[0].xpath(".//path")
    # Drawn on the server: the page's only scripts are the admin's own (its theme switch).
    assert all(src.startswith("/static/admin/") for src in tree.xpath("//script/@src"))
    assert not tree.xpath("//script[not(@src)]")
    device = TOTPDevice.objects.get(user=pmo_user)
    assert device.confirmed is False and b32decode(key) == device.bin_key
    # Reloading shows the same key: an app set up from the first page keeps working.
    assert enrolment_key(browser.get(enrol_url).content.decode()) == key

    response = post_code(browser, enrol_url, current_code(key))
    assert response.status_code == 200
    codes = [
        c.text_content()
        for c in html.fromstring(response.content).xpath('//ul[@class="recovery-codes"]//code')
    ]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(
        StaticToken.objects.filter(device__user=pmo_user).values_list("token", flat=True)
    ) == set(codes)
    device.refresh_from_db()
    assert device.confirmed is True
    for url in admin_urls():
        assert browser.get(url).status_code == 200, url
    # The set-up page is gone for good: the codes are never shown again.
    again = browser.get(enrol_url)
    assert again.status_code == 302 and again["Location"] == "/admin/"


def test_a_wrong_code_at_enrolment_is_refused(browser, pmo_user):
    password_step(browser)
    response = post_code(browser, reverse("admin:two_factor_enrol"), "000000x")
    assert response.status_code == 400
    assert "That code was not accepted" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=pmo_user, confirmed=True).exists()
    assert browser.get("/admin/").status_code == 302


def test_a_right_code_straight_after_a_wrong_one_says_wait(browser, pmo_user, settings):
    """django-otp refuses any code for a while after a wrong one (1 s by default; 30 s here,
    so a slow machine cannot outlast it): the page says so, not that the right code was
    wrong."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    password_step(browser)
    enrol_url = reverse("admin:two_factor_enrol")
    page = browser.get(enrol_url).content.decode()
    key = enrolment_key(page)
    shown = html.fromstring(page).xpath('//code[@class="otp-key"]')[0].text_content()
    assert shown == " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    field = html.fromstring(page).get_element_by_id("id_code")
    assert field.get("inputmode") == "numeric"
    assert field.get("autocomplete") == "one-time-code"
    assert post_code(browser, enrol_url, "000000").status_code == 400
    response = post_code(browser, enrol_url, current_code(key))
    assert response.status_code == 400
    text = response.content.decode()
    assert re.search(
        r"Too many tries: wait (30|29|28) seconds and enter the code your app shows then\.", text
    )
    assert "That code was not accepted" not in text


def test_the_code_step_says_wait_after_a_wrong_code(browser, pmo_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    password_step(browser)
    key, _codes = enrol(browser)
    later = Client()
    password_step(later)
    url = reverse("admin:two_factor")
    assert "That code was not accepted" in post_code(later, url, "000000").content.decode()
    totp = TOTP(b32decode(key))
    totp.time = totp.time + 30
    response = post_code(later, url, f"{totp.token():06d}")
    assert response.status_code == 400
    assert "Too many tries: wait" in response.content.decode()
    # The code field on this step takes recovery codes too: no numeric keypad.
    field = html.fromstring(response.content.decode()).get_element_by_id("id_code")
    assert field.get("inputmode") is None


def test_each_sign_in_asks_for_the_code_and_a_recovery_code_works_once(browser, pmo_user):
    password_step(browser)
    _key, codes = enrol(browser)
    browser.post(reverse("admin:logout"))

    # Next sign-in: the password, then the code step (not the set-up page again).
    later = Client()
    password_step(later)
    assert later.get("/admin/")["Location"].startswith("/admin/login/")
    step = later.get("/admin/login/?next=/admin/")
    assert step["Location"] == "/admin/two-factor/?next=%2Fadmin%2F"
    response = post_code(later, step["Location"], codes[0].upper())  # typed in capitals
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert later.get("/admin/groups/governancegroup/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert StaticToken.objects.filter(device__user=pmo_user).count() == 9

    # The same recovery code again is refused.
    third = Client()
    password_step(third)
    response = post_code(third, reverse("admin:two_factor"), codes[0])
    assert response.status_code == 400
    assert "That code was not accepted" in response.content.decode()
    assert third.get("/admin/").status_code == 302


def test_the_code_step_takes_a_current_app_code(browser, pmo_user):
    password_step(browser)
    key, _codes = enrol(browser)
    # The enrolment used this step's code; the app's code of the next step signs in next.
    device = TOTPDevice.objects.get(user=pmo_user)
    later = Client()
    password_step(later)
    totp = TOTP(b32decode(key))
    totp.time = totp.time + 30
    response = post_code(later, reverse("admin:two_factor"), f"{totp.token():06d}")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.last_t == totp.t()


def test_wrong_codes_are_throttled_by_axes(browser, pmo_user):
    password_step(browser)
    _key, codes = enrol(browser)
    browser.post(reverse("admin:logout"))
    attacker = Client()
    password_step(attacker)
    url = reverse("admin:two_factor")
    for _ in range(4):
        assert post_code(attacker, url, "123456").status_code == 400
    # The fifth failure reaches the limit (five): locked out, whatever code comes next.
    assert post_code(attacker, url, "123457").status_code == 429
    locked = attacker.get(url)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert attacker.post(url, {"code": codes[1]}).status_code == 429
    assert StaticToken.objects.filter(token=codes[1]).exists()
    assert attacker.get("/admin/").status_code == 302
    # The password step is locked for the account at that address too.
    assert password_step(Client()).status_code == 429


def test_an_unverified_session_signs_out_from_the_code_step(browser):
    password_step(browser)
    page = browser.get(reverse("admin:two_factor_enrol"))
    fields = form_fields(page.content.decode(), "sign-out-form")
    response = browser.post(reverse("admin:two_factor_sign_out"), fields)
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert browser.get(reverse("admin:two_factor_enrol"))["Location"].startswith("/admin/login/")


def test_the_code_pages_need_a_password_first(seeded):
    anonymous = Client()
    for name in ("admin:two_factor", "admin:two_factor_enrol"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@override_settings(ADMIN_2FA=False)
def test_with_two_factor_off_the_password_is_enough(browser):
    password_step(browser)
    assert browser.get("/admin/").status_code == 200
    assert browser.get(reverse("admin:two_factor"))["Location"] == "/admin/"


def test_a_superuser_needs_the_second_factor_too(seeded, superuser):
    client = Client()
    password_step(client, "admin", "a-long-password-1")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_signed_in_helper_passes_the_second_factor(office):
    assert office.get("/admin/").status_code == 200


def test_non_staff_never_reach_the_code_step(seeded):
    User.objects.create_user("reader", "r@example.org", "a-long-password-7")
    client = Client()
    password_step(client, "reader", "a-long-password-7")
    assert client.get(reverse("admin:two_factor"))["Location"].startswith("/admin/login/")
