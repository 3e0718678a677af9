"""WSGI entry point for gunicorn: `gunicorn mhhs_gov.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhhs_gov.settings")
application = get_wsgi_application()
