"""Finding the external tools the end-to-end checks use; skip or fail when absent."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
# How every browser test starts Debian's Chromium (headless, no sandbox, nothing fetched).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "install them as .ci/run does: apt-get install chromium default-jre-headless npm; "
    "npm install --no-save axe-core@4 vnu-jar"
)


def require(*paths, what: str):
    """Skip with a how-to outside CI; under CI=true a missing tool is a failure."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if what == "java" and shutil.which("java") is None:
        missing.append("java")
    if missing:
        message = f"{what} not available ({', '.join(missing)}): {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def event_group(event) -> str:
    """The slug of the group a feed event belongs to, from its URL (/groups/<slug>/...)."""
    return urlsplit(str(event["URL"])).path.split("/")[2]
