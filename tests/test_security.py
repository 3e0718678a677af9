"""Production settings, run in a child process as they would be deployed."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
    "DJANGO_SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "sqlite://:memory:",
    "DJANGO_SITE_URL": "https://example.org",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
    "DJANGO_FROM_EMAIL": "MHHS governance <governance@example.org>",
}
# The probe collects the static files (about 7 s): once, in one test process
# (`--dist loadgroup`, Makefile).
pytestmark = pytest.mark.xdist_group("production-probe")


def run(args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings", **env},
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    # Its own static folder: two test processes collecting into one folder at once race.
    static_root = tmp_path_factory.mktemp("static")
    result = run(
        ["-m", "tests.https_probe"], {**PRODUCTION, "DJANGO_STATIC_ROOT": str(static_root)}
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_security_headers(probe):
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    assert probe["status"] == 200
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_plain_http_redirects_to_https(probe):
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://example.org/contact/"


def test_cookies_are_secure(probe):
    assert "Secure" in probe["csrf_cookie"]
    assert settings.SESSION_COOKIE_HTTPONLY


def test_no_traceback_when_debug_is_off(probe):
    assert "Page not found" in probe["debug_404"]
    assert "Traceback" not in probe["debug_404"]


def test_passwords_need_twelve_characters(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Sh0rt-pass!")
    validate_password("a much longer passphrase")


def test_headers_on_an_ordinary_page(client, seeded):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_user_text_is_escaped(client, seeded, now):
    from groups.models import GovernanceGroup

    GovernanceGroup.objects.filter(slug="dag").update(status_note="<script>alert(1)</script>")
    html = client.get("/groups/dag/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_database_unreachable_answers_503():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(raise_request_exception=False);"
        "r = c.get('/groups/', HTTP_HOST='example.org', secure=True);"
        "h = c.get('/healthz', HTTP_HOST='example.org', secure=True);"
        "print(r.status_code, h.status_code, r.content.decode())"
    )
    env = {**PRODUCTION, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("503 503 The directory's database is not answering.")
    assert "Traceback" not in result.stdout
