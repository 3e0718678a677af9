"""WSGI entry point for gunicorn (`gunicorn mhhs_gov.wsgi:application`) and runserver.

Serving refuses to start without a secret key when debug is off.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from core import clock
from core.media import prepare_upload_temp_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhhs_gov.settings")
application = get_wsgi_application()

if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
        "(set DJANGO_DEBUG=1 for local development)."
    )

# Uploads over 2.5 MB are spooled in the project's own folder: created here, and cleared of
# files a killed worker left over a day ago. Here rather than in an app's ready(): only
# serving receives uploads, and a directory scan is no work for every manage.py command.
prepare_upload_temp_dir(settings.FILE_UPLOAD_TEMP_DIR, now=clock.now())
