"""Run in a child process with production settings: print the security headers as JSON."""

import json

import django
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

django.setup()
setup_test_environment()
call_command("collectstatic", interactive=False, verbosity=0)
call_command("migrate", verbosity=0)
call_command("seed_governance", stdout=open("/dev/null", "w"))  # noqa: SIM115
client = Client(raise_request_exception=False)
page = client.get("/contact/", secure=True, HTTP_HOST="example.org")
plain = client.get("/contact/", HTTP_HOST="example.org")
login = client.get("/admin/login/", secure=True, HTTP_HOST="example.org")
print(
    json.dumps(
        {
            "status": page.status_code,
            "headers": dict(page.headers),
            "plain_status": plain.status_code,
            "plain_location": plain.headers.get("Location"),
            "csrf_cookie": login.cookies["csrftoken"].output()
            if "csrftoken" in login.cookies
            else "",
            "debug_404": client.get(
                "/groups/nope/", secure=True, HTTP_HOST="example.org"
            ).content.decode(),
        }
    )
)
