"""The production settings plus a bench-only URLconf that adds the bare endpoint."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http.urls"
