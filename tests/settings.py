"""Test settings: production settings with a test-only key and a fast password hasher."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")

from mhhs_gov.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Uploads made by tests go to a temporary folder, never var/media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mhhs-test-media-"))
FILE_UPLOAD_TEMP_DIR = Path(tempfile.mkdtemp(prefix="mhhs-test-uploads-"))

# Each test process gets its own in-memory SQLite database. pytest-django recognises only
# Django's own SQLite engine; for ``core.sqlite`` it would otherwise name each xdist worker's
# test database after the file URI (a file "test_file:/…/db.sqlite3?mode=rw_gw0" under the
# working directory, shared by every run from that directory at once).
if DATABASES["default"]["ENGINE"] == "core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

# Tasks run at once, in the test's process (follow.tasks): no worker, nothing left queued.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
