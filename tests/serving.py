"""A real gunicorn server on a SQLite file, and HTTP clients that use it as people would.

Used by tests/test_serving.py. Standard library only. Every HTTP call and every command has
a timeout, and the server only ever listens on, and is only ever asked on, 127.0.0.1.

A server's SQLite database is a copy of one that ``manage.py migrate`` made (once for the
code, migrations and packages as they are) and, for a seeded one, ``manage.py
seed_governance`` then seeded (once in the test run): `template_database`. The same
commands, run once rather than for every server.
"""

import atexit
import base64
import fcntl
import hashlib
import hmac
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import closing, contextmanager
from dataclasses import dataclass
from email.message import Message
from functools import cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests import database as test_database
from tests.forms import form_fields

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = "a-long-password-9"
HTTP_TIMEOUT = 20  # seconds for any one request
COMMAND_TIMEOUT = 240  # seconds for any one manage.py command (a loaded CI machine is slow)
START_TIMEOUT = 20  # seconds for gunicorn to answer /healthz
STOP_TIMEOUT = 10  # seconds for gunicorn to exit before it is killed
SQLITE_SIDECARS = ("-wal", "-shm")

# Errors a request can end with when no HTTP answer arrives (refused, reset, timed out).
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


@dataclass
class Response:
    status: int
    headers: Message
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hand a 3xx back as it is, so a test sees the status code the server sent."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """One simulated user: its own cookie jar; never follows redirects; never uses a proxy."""

    def __init__(self, base_url: str, headers: dict | None = None):
        self.base_url = base_url
        self.headers = headers or {}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.cookies),
            _KeepRedirects,
        )

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            headers={**self.headers, **(headers or {})},
            method=method,
        )
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as response:
                body = response.read()
                return Response(response.status, response.headers, body.decode("utf-8", "replace"))
        except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx all arrive here
            with error:
                body = error.read()
                return Response(error.code, error.headers, body.decode("utf-8", "replace"))

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def head(self, path: str, headers=None) -> Response:
        return self.request("HEAD", path, headers=headers)

    def post_form(self, path: str, fields, referer: str) -> Response:
        """POST fields (a dict of name -> value or list of values) url-encoded."""
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
        return self.request("POST", path, data=data, headers=headers)

    def login(self, username: str, password: str = PASSWORD) -> None:
        """Log in to the admin through its login form, as a browser would."""
        page = self.get("/admin/login/?next=/admin/")
        assert page.status == 200, f"GET /admin/login/ answered {page.status}"
        token = form_fields(page.body, form_id="login-form")["csrfmiddlewaretoken"][0]
        fields = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
        response = self.post_form("/admin/login/", fields, referer=self.base_url + "/admin/login/")
        assert response.status == 302 and response.location == "/admin/", (
            f"logging in as {username} answered {response.status} {response.location!r}"
        )
        self.second_factor(username)

    def second_factor(self, username: str) -> None:
        """With two-factor sign-in on, a first sign-in sets up the authenticator: follow the
        admin's redirects to its set-up page and confirm with the current code of its key."""
        path = "/admin/"
        for _ in range(4):
            page = self.get(path)
            if page.status != 302:
                break
            path = page.location
        if path == "/admin/":
            return  # two-factor sign-in is off
        assert page.status == 200 and "otp-key" in page.body, (
            f"{username}: the set-up page {path} answered {page.status}"
        )
        # The page shows the key in groups of four, as people type it.
        shown = re.search(r'<code class="otp-key">([A-Z2-7= ]+)</code>', page.body).group(1)
        key = shown.replace(" ", "")
        fields = form_fields(page.body, form_id="two-factor-form")
        fields["code"] = [totp_now(key)]
        response = self.post_form(path, fields, referer=self.base_url + path)
        assert response.status == 200 and "recovery-codes" in response.body, (
            f"{username}: confirming the authenticator answered {response.status}"
        )


def totp_now(key_b32: str) -> str:
    """The 6-digit code an authenticator app shows now for the key (RFC 6238, 30 s steps)."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    secret = base64.b32decode(key_b32.replace(" ", ""))  # as shown: in groups of four
    digest = hmac.new(secret, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def gunicorn_version() -> tuple[int, ...]:
    return tuple(int(part) for part in version("gunicorn").split(".")[:2])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_database(prefix: str, *, needs: str):
    """A database of the test's own on the PostgreSQL server DATABASE_URL names (its URL),
    dropped afterwards; the test is skipped, saying it ``needs`` PostgreSQL, elsewhere."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(f"{needs} needs PostgreSQL: DATABASE_URL is not postgres://")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    server = urlsplit(url)
    admin_url = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(env=None) -> dict[str, str]:
    """The environment for a process started now. Under libfaketime, `@moment` starts every
    new process's clock at that moment, so a server started minutes into the run would be
    minutes behind this process (a one-time code from here refused, a presigned URL expired):
    a child starts at this process's present instead."""
    env = dict(os.environ if env is None else env)
    if env.get("FAKETIME", "").startswith("@"):
        env["FAKETIME"] = "@" + time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
    return env


# This process's links to the template databases: seeded (True) or only migrated (False).
_templates: dict[bool, Path] = {}


def _build_template(path: Path, *commands: tuple[str, ...], start: Path | None = None) -> None:
    """Make path by running commands (manage.py) on a new file, or on a copy of start;
    closed and its write-ahead log folded in. It appears whole or not at all."""
    building = path.with_name(f"building-{os.getpid()}")
    builder = Server(building)
    builder.directory.mkdir()
    if start is not None:
        shutil.copyfile(start, builder.db_path)
    for command in commands:
        builder.manage(*command)
    with closing(sqlite3.connect(builder.db_path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (check,) = db.execute("PRAGMA quick_check").fetchone()
    assert check == "ok", f"the template database {builder.db_path}: {check}"
    assert builder.sidecar_files() == [], f"beside the template: {builder.sidecar_files()}"
    os.replace(builder.db_path, path)
    shutil.rmtree(building)


@contextmanager
def _locked(directory: Path):
    """directory made if missing, and held by this process alone (two processes may hold it
    at once only if a third removed it meanwhile: then each makes what it needs)."""
    directory.mkdir(exist_ok=True)
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        directory.mkdir(exist_ok=True)  # removed while this process waited
        yield


def _remove_shared(directory: Path) -> None:
    """At exit: the run's templates removed (a process still using one has its own link)."""
    with _locked(directory):
        shutil.rmtree(directory, ignore_errors=True)


@cache
def _template_directories() -> tuple[Path, Path]:
    """This process's folder of templates, and the run's (the same without xdist); both
    removed when the process exits."""
    own = Path(tempfile.mkdtemp(prefix="mhhs-templates-"))
    atexit.register(shutil.rmtree, own, ignore_errors=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return own, own
    shared = Path(tempfile.gettempdir()) / f"mhhs-templates-{run}"
    atexit.register(_remove_shared, shared)
    return own, shared


def _migrated_copy() -> Path:
    """The database ``manage.py migrate --noinput`` made from nothing, kept beside the test
    database's copies (tests/database.py) under the same digest of the code, migrations
    and packages: made by the first run of this code, not by every run."""
    kept = test_database.COPIES / f"migrated-{test_database.copy_path().name}"
    if not kept.exists():
        test_database.COPIES.mkdir(exist_ok=True)
        _build_template(kept, ("migrate", "--noinput"))
    os.utime(kept)  # in use: not to be removed as unused
    return kept


def template_database(*, seed: bool) -> Path:
    """A SQLite file that ``manage.py migrate --noinput`` made from nothing (and
    ``manage.py seed_governance`` then seeded, if seed), as `Server.prepare` once ran them for
    every server. The migrated one is made once for the code as it is (`_migrated_copy`),
    the seeded one once per test run (xdist's workers share it; a run without xdist makes
    its own); each is linked into this process's folder: copy it, never open it in place."""
    if seed not in _templates:
        own, shared = _template_directories()
        name = "seeded.sqlite3" if seed else "migrated.sqlite3"
        with _locked(shared):
            migrated = shared / "migrated.sqlite3"
            if not migrated.exists():
                os.link(_migrated_copy(), migrated)
            if seed and not (shared / name).exists():
                _build_template(shared / name, ("seed_governance",), start=migrated)
            if shared != own:
                os.link(shared / name, own / name)
        _templates[seed] = own / name
    return _templates[seed]


class Server:
    """The project under gunicorn (2 threaded workers, as `make serve`) on its own SQLite
    file in directory."""

    def __init__(self, directory: Path):
        self.directory = Path(directory).resolve()
        self.db_path = self.directory / "db.sqlite3"
        self.log_path = self.directory / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": str(REPO_ROOT),
        }
        self.port = None
        self.process = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def child_env(self) -> dict[str, str]:
        """The environment for a server process started now (see `child_env`)."""
        return child_env(self.env)

    def manage(self, *args: str) -> str:
        """Run a manage.py command against this server's database; return its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=self.child_env(),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        assert result.returncode == 0, (
            f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def shell_json(self, code: str):
        """Run code in `manage.py shell`; it must print one line of JSON last."""
        lines = self.manage("shell", "-v", "0", "-c", code).strip().splitlines()
        assert lines, "the shell printed nothing"
        return json.loads(lines[-1])

    def prepare(self, *, seed: bool = True) -> None:
        """A migrated database, and seeded unless told not to. On this server's own SQLite
        file, a copy of the `template_database` (the same commands, run once per test
        process); on any other database (PostgreSQL) the commands themselves."""
        if self.env["DATABASE_URL"] != f"sqlite:///{self.db_path}":
            self.manage("migrate", "--noinput")
            if seed:
                self.manage("seed_governance")
            return
        assert self.database_files() == [], f"{self.db_path} exists already"
        shutil.copyfile(template_database(seed=seed), self.db_path)

    def start(self) -> None:
        self.port = free_port()
        args = [
            str(GUNICORN),
            "mhhs_gov.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "gthread",  # as `make serve` runs it: one slow request holds a thread, not a worker
            "--threads",
            "8",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
        ]
        if "FAKETIME" in os.environ:
            # Under libfaketime the arbiter's clock is faked but its workers' heartbeat files
            # carry real times, so every worker would look timed out: no worker timeout then.
            args += ["--timeout", "0"]
        if gunicorn_version() >= (25, 1):
            # Its control socket would otherwise be one shared path in the home directory.
            args.append("--no-control-socket")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env=self.child_env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        client = Client(self.base_url)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if client.get("/healthz").status == 200:
                    return
            except TRANSPORT_ERRORS:
                pass
            time.sleep(0.1)
        exit_code = self.process.poll()
        self.stop()
        raise AssertionError(
            f"gunicorn did not answer /healthz with 200 within {START_TIMEOUT} s "
            f"(exit code {exit_code}); log tail:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Quick shutdown (SIGINT); kill if still running after STOP_TIMEOUT."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=STOP_TIMEOUT)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 4000) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return self.log_path.read_text(errors="replace")[-chars:]

    def sidecar_files(self) -> list[Path]:
        """Whichever of the database's -wal and -shm files exist."""
        paths = [Path(f"{self.db_path}{suffix}") for suffix in SQLITE_SIDECARS]
        return [path for path in paths if path.exists()]

    def database_files(self) -> list[Path]:
        """The database file, if it exists, and its -wal and -shm files."""
        return [self.db_path, *self.sidecar_files()] if self.db_path.exists() else []
