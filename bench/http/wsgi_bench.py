"""The production WSGI application under the bench-only settings (gunicorn loads this module)."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.http.settings"

from config.wsgi import application

__all__ = ["application"]
