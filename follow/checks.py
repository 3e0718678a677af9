"""Deploy checks for sending email: ``manage.py check --deploy`` warns, with debug off,
when emails would not reach anyone or would carry the wrong links."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@register(Tags.compatibility, deploy=True)
def email_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    found = []
    if not settings.EMAIL_HOST:
        found.append(
            Warning(
                "No mail server: emails (confirmations, notices, digests, reminders) are "
                f"written to files in {settings.EMAIL_FILE_PATH}, not sent.",
                hint="Set DJANGO_EMAIL_HOST (and DJANGO_EMAIL_PORT, DJANGO_EMAIL_USER, "
                "DJANGO_EMAIL_PASSWORD, DJANGO_EMAIL_TLS).",
                id="follow.W001",
            )
        )
    if urlsplit(settings.SITE_URL).hostname in LOCAL_HOSTS:
        found.append(
            Warning(
                f"Links in emails point to {settings.SITE_URL}, this machine.",
                hint="Set DJANGO_SITE_URL to the site's public address, e.g. "
                "https://governance.example.org.",
                id="follow.W002",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
        found.append(
            Warning(
                f"Emails come from {settings.DEFAULT_FROM_EMAIL}, an address nobody can answer.",
                hint="Set DJANGO_FROM_EMAIL to an address of the site's domain (with SPF and "
                "DKIM set up for it).",
                id="follow.W003",
            )
        )
    return found
