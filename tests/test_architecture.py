"""The import contract (pyproject.toml, checked by `make lint`) holds, and it would catch an
app importing one above it."""

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


def test_layers_hold_and_a_backward_import_breaks_them(tmp_path):
    config = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        shutil.copytree(
            BASE / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE / "pyproject.toml", tmp_path)
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "1 kept, 0 broken" in kept.stdout

    models = tmp_path / "groups" / "models.py"
    models.write_text(models.read_text() + "\nfrom meetings import models as meetings_models\n")
    broken = _lint(tmp_path)
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout
    assert "groups.models -> meetings.models" in broken.stdout
