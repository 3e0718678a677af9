"""Each email owed is delivered exactly once, counted at a real SMTP server, when two app
servers (gunicorn) share one PostgreSQL database and two ``send_notifications`` runs start
at the same moment.

10 people follow PSG through the /follow/ form, 5 on each server at once (the client-address
limit is 10 an hour, and every request here comes from 127.0.0.1); two runs at once send
their confirmations; each confirms by POST, alternately on each server. 20 more confirmed
subscriptions are added, and the programme office publishes 5 PSG decisions (the service
its admin calls); two runs at once then owe 30 x 5 notices. Every owed email arrives once,
none twice, and a third run sends nothing.

The servers and the commands run on the real clock (processes of their own), so nothing
here depends on a date: every email is an immediate one.
"""

import json
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import policy
from email.parser import BytesParser
from urllib.parse import urlsplit

import pytest

from tests.follow import smtp
from tests.forms import form_fields
from tests.serving import COMMAND_TIMEOUT, REPO_ROOT, Client, Server, postgres_database

SITE_URL = "https://governance.example.org"
BY_FORM = 10
BY_SHELL = 20
DECISIONS = 5

CONFIRMED_SUBSCRIPTIONS = """
import json
from datetime import timedelta
from core import clock
from follow.models import Subscription
from groups.models import GovernanceGroup
psg = GovernanceGroup.objects.get(slug="psg")
moment = clock.now() - timedelta(seconds=1)
for n in range({count}):
    s = Subscription.objects.create(
        email=f"shell{{n:02d}}@example.org", frequency="immediate",
        created_at=moment - timedelta(minutes=1), confirmed_at=moment,
    )
    s.groups.set([psg])
print(json.dumps(Subscription.objects.confirmed().count()))
"""
PUBLISH_DECISIONS = """
import json
from datetime import date
from core import clock
from groups.models import GovernanceGroup
from records.models import Decision
from records.services import decision_save
psg = GovernanceGroup.objects.get(slug="psg")
for n in range({count}):
    decision_save(
        decision=Decision(
            group=psg, date=date(2026, 11, 4), title=f"Race decision {{n}}",
            summary="Published while two senders run.", rationale="To count the emails.",
            published_at=clock.now(),
        ),
        by=None,
    )
print(json.dumps(Decision.objects.filter(title__startswith="Race decision").count()))
"""
DELIVERIES = """
import json
from follow.models import Delivery
rows = Delivery.objects.values_list("subscription__email", "key", "sent_at")
print(json.dumps([[email, key, sent is not None] for email, key, sent in rows]))
"""


@pytest.fixture
def race_database():
    """A database of the test's own on the PostgreSQL server DATABASE_URL names."""
    with postgres_database("mhhs_follow", needs="exactly-once sending across hosts") as url:
        yield url


@pytest.fixture
def smtp_server(tmp_path):
    folder = tmp_path / "smtp"
    folder.mkdir()
    server = smtp.Server(folder)
    yield server
    server.stop()


@pytest.fixture
def two_servers(tmp_path, race_database, smtp_server):
    servers = []
    for number in (1, 2):
        server = Server(tmp_path / f"server{number}")
        server.directory.mkdir()
        server.env.update(
            {
                "DATABASE_URL": race_database,
                "DJANGO_EMAIL_HOST": "127.0.0.1",
                "DJANGO_EMAIL_PORT": str(smtp_server.port),
                "DJANGO_SITE_URL": SITE_URL,
            }
        )
        servers.append(server)
    servers[0].prepare()
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def received(folder) -> list:
    """Every message the SMTP server accepted, parsed, with its envelope recipients."""
    messages = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text())
        message = BytesParser(policy=policy.default).parsebytes(record["data"].encode())
        message.rcpt_tos = record["rcpt_tos"]
        messages.append(message)
    return messages


def send_twice_at_once(server) -> list[str]:
    """Two `manage.py send_notifications` processes started together; what each printed."""
    start = threading.Barrier(2)

    def run(_):
        start.wait(timeout=30)
        result = subprocess.run(
            [sys.executable, "manage.py", "send_notifications"],
            cwd=REPO_ROOT,
            env=server.child_env(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        return result.stdout.strip()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, range(2)))


def follow_psg(server, email: str) -> int:
    client = Client(server.base_url)
    page = client.get("/follow/")
    assert page.status == 200, f"GET /follow/ answered {page.status}"
    fields = form_fields(page.body, form_id="follow-form")
    fields.update({"email": [email], "groups": ["psg"], "frequency": ["immediate"]})
    response = client.post_form("/follow/", fields, referer=server.base_url + "/follow/")
    assert response.location == "/follow/check-your-email/", (response.status, response.body)
    return response.status


def confirm(server, path: str) -> int:
    client = Client(server.base_url)
    page = client.get(path)
    assert page.status == 200, f"GET {path} answered {page.status}"
    fields = form_fields(page.body, form_id="confirm-form")
    response = client.post_form(path, fields, referer=server.base_url + path)
    assert "You are now following" in response.body
    return response.status


def test_every_owed_email_is_delivered_once_with_two_servers_and_two_senders(
    two_servers, smtp_server
):
    folder = smtp_server.folder

    # 10 follow requests through both servers at once; their confirmations, two runs at once.
    emails = [f"form{n:02d}@example.org" for n in range(BY_FORM)]
    with ThreadPoolExecutor(max_workers=BY_FORM) as pool:
        answers = list(pool.map(lambda n: follow_psg(two_servers[n % 2], emails[n]), range(10)))
    assert answers == [302] * BY_FORM
    outputs = send_twice_at_once(two_servers[0])
    confirmations = received(folder)
    assert sorted(m.rcpt_tos[0] for m in confirmations) == emails, outputs

    # Each confirms by POST (a GET confirms nothing), alternately on each server.
    paths = []
    for message in confirmations:
        text = message.get_body(preferencelist=("plain",)).get_content()
        (link,) = {word for word in text.split() if word.startswith(f"{SITE_URL}/follow/confirm/")}
        paths.append(urlsplit(link).path)
    for n, path in enumerate(paths):
        assert confirm(two_servers[n % 2], path) == 200

    # 20 more confirmed subscriptions; then 5 PSG decisions published.
    assert two_servers[0].shell_json(CONFIRMED_SUBSCRIPTIONS.format(count=BY_SHELL)) == 30
    assert two_servers[1].shell_json(PUBLISH_DECISIONS.format(count=DECISIONS)) == DECISIONS

    outputs = send_twice_at_once(two_servers[1])
    notices = received(folder)[BY_FORM:]
    owed = (BY_FORM + BY_SHELL) * DECISIONS
    pairs = Counter((m.rcpt_tos[0], m["Subject"]) for m in notices)
    twice = [pair for pair, times in pairs.items() if times > 1]
    print(
        f"\n{owed} notices owed to {BY_FORM + BY_SHELL} subscriptions; two runs at once "
        f"printed {outputs}; the SMTP server received {len(notices)}, "
        f"{len(pairs)} distinct (recipient, subject), {len(twice)} twice"
    )
    assert len(notices) == owed
    assert not twice
    per_recipient = Counter(m.rcpt_tos[0] for m in notices)
    assert set(per_recipient.values()) == {DECISIONS} and len(per_recipient) == 30
    assert all("Race decision" in m["Subject"] for m in notices), {m["Subject"] for m in notices}

    # Each (subscription, key) once in the database too, every one sent; a third run: nothing.
    rows = two_servers[0].shell_json(DELIVERIES)
    keys = Counter((email, key) for email, key, _ in rows)
    assert set(keys.values()) == {1}
    assert len(rows) == BY_FORM + owed and all(sent for _, _, sent in rows)
    assert send_twice_at_once(two_servers[0]) == ["Sent 0 emails; 0 failed."] * 2
    assert len(received(folder)) == BY_FORM + owed
