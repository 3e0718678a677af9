"""Where uploaded files live: the settings' ``STORAGES["default"]``, from the environment."""


def media_storage(environ) -> dict:
    """Local files (under MEDIA_ROOT) by default; S3-compatible object storage through
    django-storages when ``DJANGO_MEDIA_S3_BUCKET`` is set, so several servers share the
    files. Credentials come the usual AWS ways (``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY``, or an instance role); ``AWS_S3_ENDPOINT_URL`` names a store
    other than Amazon's. Objects stay private: the site sends them, after its own checks."""
    bucket = environ.get("DJANGO_MEDIA_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
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
        },
    }
