"""A real SMTP server (aiosmtpd) in a process of its own, for the sending tests.

``Server`` starts it (``serve``) in a child process: it listens on 127.0.0.1:PORT and writes
each message it accepts to FOLDER as a JSON file (envelope and raw data). An address whose
local part starts with ``gone`` is refused for good (550 5.1.1), ``norelay`` as a relay
refuses what it may not pass on (550 5.7.54); one starting with ``flaky`` is
refused for now (451) the first time the server sees it and accepted after.

The tests start it once per test process (``mail_server``) and point Django's SMTP backend
at it (``outbox``); ``Outbox.messages()`` parses what arrived with the email package.
"""

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core import clock
from follow.enums import Frequency, Topic
from follow.models import Subscription
from groups.models import GovernanceGroup, Workstream
from meetings.models import Cancellation, MeetingSeries
from meetings.services import cancellation_save
from records.models import Decision, Document, MeetingRecord
from records.services import decision_save, document_save
from tests.conftest import PINNED_NOW

SITE_URL = "https://governance.example.org"
CONFIRMED = PINNED_NOW - timedelta(days=1)
# The server process: Django set up as in the tests (this module needs it), then serve.
SERVER = (
    "import sys, django; django.setup(); "
    "from tests.follow.smtp import serve; serve(sys.argv[1], int(sys.argv[2]))"
)


class Handler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.seen: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("gone"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("norelay"):
            return "550 5.7.54 Unable to relay recipient in non-accepted domain"
        if local.startswith("flaky") and address not in self.seen:
            self.seen.add(address)
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
        }
        name = f"{time.time_ns()}-{self.count:05d}"
        partial = self.folder / f"{name}.part"
        partial.write_text(json.dumps(record))
        partial.rename(self.folder / f"{name}.json")  # whole files only
        return "250 Message accepted for delivery"


def serve(folder, port: int) -> None:
    """Listen on 127.0.0.1:``port`` until SIGTERM, writing what arrives to ``folder``."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller = Controller(Handler(Path(folder)), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


# In the tests ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The server process, its port and the folder it writes to."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(folder), str(self.port)],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"The SMTP server did not start: {line!r}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


class Outbox:
    """What the server received since the test began."""

    def __init__(self, folder: Path):
        self.folder = folder
        for old in folder.glob("*.json"):
            old.unlink()

    def received(self) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted(self.folder.glob("*.json"))]

    def messages(self) -> list:
        """Each message received, parsed (``email.message.EmailMessage``), with its
        envelope recipients as ``rcpt_tos``."""
        parsed = []
        for record in self.received():
            message = BytesParser(policy=policy.default).parsebytes(record["data"].encode())
            message.rcpt_tos = record["rcpt_tos"]
            parsed.append(message)
        return parsed

    def to(self, address: str) -> list:
        return [m for m in self.messages() if address in m.rcpt_tos]


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("smtp"))
    yield server
    server.stop()


@pytest.fixture
def outbox(mail_server, settings):
    """Django sends by SMTP to the server; links in emails are the site's public ones."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = SITE_URL
    settings.DEFAULT_FROM_EMAIL = "MHHS governance <governance@example.org>"
    return Outbox(mail_server.folder)


def parts(message) -> tuple[str, str]:
    """A message's plain-text and HTML bodies (each must be there)."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    return text.get_content(), html.get_content()


def links(message) -> list[str]:
    """Every link in a message: the URLs of its text and the hrefs of its HTML."""
    text, html = parts(message)
    return re.findall(r"https?://\S+", text) + re.findall(r'href="([^"]*)"', html)


def assert_unsubscribe_headers(message, subscription) -> None:
    unsubscribe = f"{SITE_URL}/follow/unsubscribe/{subscription.token}/"
    # A long header is folded (a line break before the URL): read it unfolded.
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def assert_plain_and_absolute(message) -> None:
    """Both parts there, every link absolute to the site and none rewritten, no image."""
    text, html = parts(message)
    found = links(message)
    assert found
    assert all(link.startswith(f"{SITE_URL}/") for link in found), found
    assert "<img" not in html.lower()


# Making subscriptions and moving the clock ---------------------------------------------------


def subscribe(
    email,
    *,
    groups=(),
    workstreams=(),
    topics=None,
    frequency=Frequency.IMMEDIATE,
    reminder_days=0,
    confirmed_at=CONFIRMED,
):
    """A subscription as confirming one leaves it (confirmed a day before the pinned now)."""
    subscription = Subscription.objects.create(
        email=email,
        frequency=frequency,
        reminder_days=reminder_days,
        topics=[t.value for t in Topic] if topics is None else list(topics),
        created_at=confirmed_at - timedelta(hours=1),
        confirmed_at=confirmed_at,
    )
    subscription.groups.set(GovernanceGroup.objects.filter(slug__in=groups))
    subscription.workstreams.set(Workstream.objects.filter(slug__in=workstreams))
    return subscription


def set_clock(monkeypatch, moment: datetime) -> datetime:
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def send() -> str:
    """Run ``manage.py send_notifications`` as cron would; returns what it printed."""
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


# Changes made as the programme office makes them (the services) ---------------------------------

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PSG_DAY = date(2026, 12, 2)  # PSG meets on the first Wednesday, 10:00 to 12:00
SITAG_DAY = date(2026, 12, 16)  # SITAG on the third Wednesday


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def cancel(slug="sitag", day=SITAG_DAY):
    series = MeetingSeries.objects.get(group__slug=slug, slug="meeting")
    return cancellation_save(cancellation=Cancellation(series=series, date=day), by=None)


def meeting_record(slug="psg", day=PSG_DAY) -> MeetingRecord:
    record = MeetingRecord.objects.filter(group__slug=slug, date=day).first()
    if record is None:
        record = MeetingRecord(group=GovernanceGroup.objects.get(slug=slug), date=day)
        record.full_clean()
        record.save()
    return record


def publish_paper(slug="psg", day=PSG_DAY, *, kind="papers", title="Papers", publish_at=None):
    """A document of the group's meeting on ``day``, public from ``publish_at`` (now)."""
    return document_save(
        document=Document(
            record=meeting_record(slug, day),
            kind=kind,
            title=title,
            file=SimpleUploadedFile(f"{kind}.pdf", PDF),
            publish_at=publish_at or clock.now(),
        ),
        by=None,
    )


def publish_decision(slug="psg", day=date(2026, 11, 4), *, title, published_at=None):
    return decision_save(
        decision=Decision(
            group=GovernanceGroup.objects.get(slug=slug),
            date=day,
            title=title,
            summary=f"{title}.",
            rationale="Set out in the papers.",
            published_at=published_at or clock.now(),
        ),
        by=None,
    )
