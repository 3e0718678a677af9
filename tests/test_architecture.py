"""The import contracts (pyproject.toml, checked by `make lint`) hold, and they would catch an
app importing one above it, or one of two independent apps importing the other; and
`make lint`'s system check would catch a signal receiver that writes the change log."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


CONFIG = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]


def _copy(folder: Path) -> None:
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            BASE / package, folder / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE / "pyproject.toml", folder)


PLANTED_RECEIVER = """

from django.db.models.signals import post_save  # noqa: E402
from django.dispatch import receiver  # noqa: E402

from changelog import services as changelog_services  # noqa: E402


@receiver(post_save, sender=Cancellation)
def log_cancellation(sender, instance, **kwargs):
    changelog_services.record_change(kind="cancelled", summary=str(instance), url="/")
"""


def test_layers_hold_and_a_backward_import_breaks_them(tmp_path):
    _copy(tmp_path)
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in kept.stdout

    models = tmp_path / "groups" / "models.py"
    models.write_text(models.read_text() + "\nfrom meetings import models as meetings_models\n")
    broken = _lint(tmp_path)
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout
    assert "groups.models -> meetings.models" in broken.stdout


def test_independent_apps_are_declared_and_an_import_between_them_breaks_them(tmp_path):
    independent = {
        frozenset(contract["modules"])
        for contract in CONFIG["contracts"]
        if contract["type"] == "independence"
    }
    assert {
        frozenset({"operations", "directory"}),
        frozenset({"representation", "records"}),
        frozenset({"representation", "meetings"}),
    } <= independent
    _copy(tmp_path)
    # Allowed by the layers (representation sits above records), refused by independence.
    models = tmp_path / "representation" / "models.py"
    models.write_text(models.read_text() + "\nfrom records import models as records_models\n")
    broken = _lint(tmp_path)
    assert broken.returncode == 1
    assert "Representation (seats) and meeting records know nothing of each other BROKEN" in (
        " ".join(broken.stdout.split())
    )
    assert "representation.models -> records.models" in broken.stdout


def test_make_lint_refuses_a_signal_that_writes_the_change_log(tmp_path):
    """`make lint` runs `manage.py check`, whose changelog.E001 names a receiver that
    writes the change log: planted in a copy of the project, it fails the check."""
    check = "$(BIN)/python manage.py check --fail-level ERROR"
    lint = (BASE / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    assert check in lint
    _copy(tmp_path)
    shutil.copy(BASE / "manage.py", tmp_path)
    models = tmp_path / "meetings" / "models.py"
    models.write_text(models.read_text() + PLANTED_RECEIVER)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "ERROR"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "meetings.models.log_cancellation: (changelog.E001) meetings.models.log_cancellation, "
        "a receiver of post_save, writes the change log." in result.stderr
    )
