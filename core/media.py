"""Where uploaded files live (the settings' ``STORAGES["default"]``, from the environment),
how a download reaches them, and what the site answers when storage fails."""

import errno
import logging
import os

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

# Storage calls give up after a few seconds, so a store that stops answering holds a request
# (one thread) for about READ_TIMEOUT x 2 seconds per call, never a worker for good.
S3_CONNECT_TIMEOUT = 3  # seconds
S3_READ_TIMEOUT = 5  # seconds
# Retries after the first try (botocore's "max_attempts" counts retries only): one, in
# "standard" mode, which retries only transient errors (timeouts, throttling, 5xx).
S3_RETRIES = 1
# A download's presigned URL works for this long: enough to start it, too short to share.
DOWNLOAD_URL_SECONDS = 60
# Upload temporary files older than this (seconds) are what a killed worker left behind.
UPLOAD_TEMP_MAX_AGE = 24 * 60 * 60

# Errors from object storage: unreachable, timed out, or refusing (botocore's own classes).
S3_ERRORS = (BotoCoreError, ClientError)
FULL = (errno.ENOSPC, errno.EDQUOT)


def _seconds(environ, name: str, default: float) -> float:
    return float(environ.get(name) or default)


def media_storage(environ) -> dict:
    """Local files (under MEDIA_ROOT) by default; S3-compatible object storage through
    django-storages when ``DJANGO_MEDIA_S3_BUCKET`` is set, so several servers share the
    files. Credentials come the usual AWS ways (``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY``, or an instance role); ``AWS_S3_ENDPOINT_URL`` names a store
    other than Amazon's. Objects stay private: a download is a redirect to a presigned URL
    that expires within a minute, given after the site's own checks.

    ``DJANGO_MEDIA_S3_TIMEOUT`` (seconds) overrides both the connect and the read timeout."""
    bucket = environ.get("DJANGO_MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "core.media.LocalStorage"}
    connect = _seconds(environ, "DJANGO_MEDIA_S3_TIMEOUT", S3_CONNECT_TIMEOUT)
    read = _seconds(environ, "DJANGO_MEDIA_S3_TIMEOUT", S3_READ_TIMEOUT)
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "location": environ.get("DJANGO_MEDIA_S3_PREFIX", ""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": DOWNLOAD_URL_SECONDS,
            "client_config": Config(
                connect_timeout=connect,
                read_timeout=read,
                retries={"max_attempts": S3_RETRIES, "mode": "standard"},
            ),
        },
    }


class LocalStorage(FileSystemStorage):
    """Files on local disk that are stored whole or not at all: a write that fails part
    way (a full disk) removes what it wrote before the error goes on."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed and os.path.lexists(path):
                os.remove(path)
            raise


def presigned_download_url(file, *, filename: str, content_type: str) -> str | None:
    """A short-lived URL from which the browser fetches ``file`` itself, as an attachment
    named ``filename`` of ``content_type``, when it is in object storage; None for a local
    file, which the site streams. Presigning is computed here: storage is not asked."""
    if not isinstance(file.storage, S3Storage):
        return None
    return file.storage.url(
        file.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(True, filename),
        },
        expire=DOWNLOAD_URL_SECONDS,
    )


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in FULL


def storage_failure(request, exc) -> HttpResponse | None:
    """The answer to a storage error: 507 for a full disk, 503 for object storage that is
    unreachable or refusing; None for any other exception. Logged on one line."""
    if is_disk_full(exc):
        status, message = (
            507,
            "The server's disk is full, so the file could not be stored. Nothing was saved "
            "and no part of the file was kept. Tell the site's operators, then try again.",
        )
    elif isinstance(exc, S3_ERRORS):
        status, message = (
            503,
            "Document storage is unreachable, so the file could not be stored. Nothing was "
            "saved. Please try again in a few minutes.",
        )
    else:
        return None
    logger.error(
        "%s for %s %s: storage failed: %s: %s",
        status,
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).replace("\n", " "),
    )
    response = HttpResponse(
        message,
        status=status,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": "120"},
    )
    response._has_been_logged = True
    return response


def _close_upload_files(request):
    """Close, and so delete, the temporary files of an upload whose parsing failed part way:
    Django's parser leaves them open then."""
    for handler in request.upload_handlers:
        file = getattr(handler, "file", None)
        if file is not None:
            file.close()


class StorageFailureMiddleware:
    """A storage error answers with a clear 503 (or 507 for a full disk), never a 500.

    An upload is read (into memory, or a temporary file under FILE_UPLOAD_TEMP_DIR) when
    the form is first parsed, which the CSRF check does before any view runs; this parses a
    multipart POST here first, so a full disk there is answered too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parsing the upload is the point
            except OSError as exc:
                if is_disk_full(exc):
                    _close_upload_files(request)
                    return storage_failure(request, exc)
                # Any other read error (a client gone) is left to the CSRF check, as before.
        return self.get_response(request)

    def process_exception(self, request, exception):
        return storage_failure(request, exception)


def prepare_upload_temp_dir(path, now) -> list[str]:
    """Create the folder uploads are spooled in, and remove the files in it last changed
    more than a day before ``now``: whatever a killed worker left behind. Returns the names
    removed. A file younger than that may be an upload arriving now, and stays."""
    os.makedirs(path, exist_ok=True)
    cutoff = now.timestamp() - UPLOAD_TEMP_MAX_AGE
    removed = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
                removed.append(entry.name)
    if removed:
        logger.warning("Removed %d upload temporary files over a day old", len(removed))
    return removed
