"""Settings for the MHHS governance directory, read from the environment.

Every variable is documented in README.md. Production (DJANGO_DEBUG off) refuses to
start without DJANGO_SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.media import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def sqlite_settings(database: dict) -> dict:
    """SQLite that takes concurrent saves and never creates a missing file while serving.

    WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock when a
    transaction starts, so two writers queue for it (up to the 20 s busy timeout) instead
    of one failing mid-transaction. The file is opened read-write only (``mode=rw``): a
    missing file is an error (503), not a new empty database; ``manage.py migrate``
    creates it (operations/management/commands/migrate.py). Connections are kept between
    requests, and checked before each one: ``core.sqlite`` drops one whose file has gone,
    so a moved file answers 503 at once and the file put back is used at once.
    """
    name = str(database["NAME"])
    if name and name != ":memory:" and not name.startswith("file:"):
        name = f"file:{name}?mode=rw"
    return {
        **database,
        "ENGINE": "core.sqlite",
        "NAME": name,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            **database.get("OPTIONS", {}),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DEBUG = env_flag("DJANGO_DEBUG")
HTTPS = env_flag("DJANGO_HTTPS")

# Without DJANGO_SECRET_KEY and with debug off, the key stays empty: commands that need no
# key (makemigrations) still run, while serving refuses to start (mhhs_gov/wsgi.py) and
# `check --deploy` fails.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or (
    "django-insecure-development-only-key-never-used-in-production" if DEBUG else ""
)

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "operations.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "changelog",
    "groups",
    "meetings",
    "escalations",
    "records",
    "representation",
    "follow",
    "directory",
    "operations",
]

MIDDLEWARE = [
    "mhhs_gov.middleware.DropFailedConnectionsMiddleware",
    "mhhs_gov.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mhhs_gov.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "operations.middleware.DataVersionPageCacheMiddleware",
    "mhhs_gov.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.media.StorageFailureMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mhhs_gov.urls"
WSGI_APPLICATION = "mhhs_gov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "operations.context_processors.data_version",
                "directory.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "core.sqlite"):
    DATABASES["default"] = sqlite_settings(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): five failures lock the username and address for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.net.remote_addr"

# Two-factor sign-in for staff (core.two_factor): with DJANGO_ADMIN_2FA on (the default when
# debug is off), the admin asks every staff user for a code from an authenticator app, or a
# single-use recovery code, after the password; the first sign-in sets the app up.
ADMIN_2FA = env_flag("DJANGO_ADMIN_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "MHHS governance directory"

# Trusted reverse proxies in front (nginx: 1). When set, the client's address comes from
# X-Forwarded-For (mhhs_gov.middleware.ClientAddressMiddleware); at 0 it is ignored.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0") or 0)

# A monitor sends ``Authorization: Bearer <token>`` to read /healthz/deep without signing
# in; unset, only signed-in staff can read it.
HEALTH_TOKEN = os.environ.get("DJANGO_HEALTH_TOKEN", "")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes; DJANGO_STATIC_ROOT moves it (tests give each process its own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Meeting documents: local files under var/media/ by default; S3-compatible object storage
# when DJANGO_MEDIA_S3_BUCKET is set (core.media). Objects stay private: after checking a
# document's publish time the site streams a local file, or redirects to a presigned URL
# that expires within a minute.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# An upload over 2.5 MB is spooled here while it arrives: a folder of the project's own, not
# /tmp. Serving creates it and removes files left over a day (mhhs_gov/wsgi.py).
FILE_UPLOAD_TEMP_DIR = BASE_DIR / "var" / "uploads"
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Security headers. HTTPS-only settings switch on with DJANGO_HTTPS behind a TLS proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "mhhs_gov.database": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The public site's absolute address, used in feeds' DESCRIPTION and URL where a request
# is not at hand. Requests build their own absolute URLs.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email (follow/sending.py): an SMTP server when DJANGO_EMAIL_HOST is set; otherwise each
# email is written to a file in var/mail/ (and, with debug off, `check --deploy` warns:
# follow.W001).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
EMAIL_TLS = os.environ.get("DJANGO_EMAIL_TLS", "").strip().lower()
if EMAIL_TLS not in ("", "starttls", "ssl"):
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_TLS must be starttls, ssl or empty, not {EMAIL_TLS!r}."
    )
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(
        os.environ.get("DJANGO_EMAIL_PORT") or {"starttls": 587, "ssl": 465}.get(EMAIL_TLS, 25)
    )
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = EMAIL_TLS == "starttls"
    EMAIL_USE_SSL = EMAIL_TLS == "ssl"
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_FROM_EMAIL", "").strip() or (
    "MHHS governance directory <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks with its database backend): `manage.py db_worker` runs
# them. The sender (follow.tasks) is one; cron runs `manage.py send_notifications` too.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
