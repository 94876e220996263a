"""Settings, all read from the environment with safe defaults for the demo.

Every variable is listed in `.env.example`. Production (DEBUG off) refuses to start without
SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.map_tiles import resolve_tiles

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANDELION_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not env_bool("DANDELION_DEMO", True):
        raise ImproperlyConfigured("SECRET_KEY must be set when DANDELION_DEMO is off.")
    SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "dandelion.core",
    "dandelion.regions",
    "dandelion.accounts",
    "dandelion.orgs",
    "dandelion.stations",
    "dandelion.notifications",
    "dandelion.catalog",
    "dandelion.needs",
    "dandelion.reports",
    "dandelion.volunteering",
    "dandelion.points",
    "dandelion.directory",
    "dandelion.standards",
    "dandelion.coverage",
    "dandelion.figures",
    "dandelion.web",
    "dandelion.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dandelion.core.middleware.ProblemJsonMiddleware",
    "dandelion.core.middleware.NulRefusingMiddleware",
    "dandelion.core.middleware.RefusalPagesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dandelion.web.context_processors.site",
                "dandelion.web.context_processors.notifications",
            ],
        },
    }
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dandelion.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue on the busy timeout instead of failing mid-transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["TEST_DATABASE_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Staff sign in with username and password; repeated failures lock the username out for a while.
AUTHENTICATION_BACKENDS = ["dandelion.accounts.backends.LockoutModelBackend"]
STAFF_LOGIN_RATE = os.environ.get("STAFF_LOGIN_RATE", "5/900")  # failures per seconds
STAFF_LOGIN_ADDRESS_RATE = os.environ.get("STAFF_LOGIN_ADDRESS_RATE", "50/900")

# Workers sign in with a one-time code sent by SMS. Rates are COUNT/SECONDS, comma-separated; all
# apply. The code lives OTP_TTL_SECONDS and dies after OTP_MAX_ATTEMPTS wrong tries.
OTP_TTL_SECONDS = int(os.environ.get("OTP_TTL_SECONDS", "300"))
OTP_MAX_ATTEMPTS = int(os.environ.get("OTP_MAX_ATTEMPTS", "5"))
OTP_RATE_PER_PHONE = os.environ.get("OTP_RATE_PER_PHONE", "1/60,5/3600")
OTP_RATE_PER_ADDRESS = os.environ.get("OTP_RATE_PER_ADDRESS", "20/3600")
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the peer).
# Reports, needs and wishes one person may submit, per kind (core.ratelimit.submissions_consume).
SUBMISSION_RATES = os.environ.get("SUBMISSION_RATES", "10/600,50/86400")
# Kinds that count differently: an Open311 client (a 12345 hotline) that names no citizen
# submits for many people at once.
SUBMISSION_RATES_BY_KIND = {
    "open311_client": os.environ.get("OPEN311_CLIENT_SUBMISSION_RATES", "300/600,5000/86400"),
}
RATELIMIT_TRUSTED_PROXIES = int(os.environ.get("RATELIMIT_TRUSTED_PROXIES", "0"))
# Station visits (打卡): a device location farther than this from the station is refused; visits
# a worker may record (COUNT/SECONDS, comma-separated, all apply); a worker's two visits further
# apart than this speed allows in the time between them are flagged for review.
STATION_VISIT_RADIUS_M = int(os.environ.get("STATION_VISIT_RADIUS_M", "300"))
STATION_VISIT_RATE = os.environ.get("STATION_VISIT_RATE", "6/600,30/86400")
VISIT_MAX_SPEED_KMH = float(os.environ.get("VISIT_MAX_SPEED_KMH", "60"))
API_TOKEN_TTL_DAYS = int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))

# SMS delivery, like Django's email backends: "console" (writes to the log), "locmem" (tests),
# "http" (a gateway: JSON POST to SMS_HTTP_URL) or a dotted path to a backend class.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", "5"))
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "蒲公英")

# Background work (notifications, events between apps) through Django's task API. "database"
# queues in the database for `manage.py db_worker` (started by `make demo`); "immediate" runs each
# task at once after commit (tests, or a site with no worker); a dotted path names any backend.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "dummy": "django_tasks.backends.dummy.DummyBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND)
    }
}
# Channels beyond the inbox, comma-separated: "sms" (through SMS_BACKEND), "wechat" (WeChat
# subscription messages through a gateway that holds the official account's credentials).
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", "")
WECHAT_GATEWAY_URL = os.environ.get("WECHAT_GATEWAY_URL", "")
WECHAT_GATEWAY_TIMEOUT = float(os.environ.get("WECHAT_GATEWAY_TIMEOUT", "5"))

# The live stream (Server-Sent Events, dandelion/notifications/live.py). With REDIS_URL every
# process's streams wake at once through Redis pub/sub; without it, in-process, and streams
# also look at the database every LIVE_POLL_SECONDS (the task worker writes in its own process).
# A stream holds a server thread: at most LIVE_MAX_STREAMS per process (keep it below gunicorn's
# threads), each closed after LIVE_STREAM_SECONDS and resumed by the browser by Last-Event-ID.
REDIS_URL = os.environ.get("REDIS_URL", "")
LIVE_MAX_STREAMS = int(os.environ.get("LIVE_MAX_STREAMS", "12"))
LIVE_STREAM_SECONDS = float(os.environ.get("LIVE_STREAM_SECONDS", "120"))
LIVE_HEARTBEAT_SECONDS = float(os.environ.get("LIVE_HEARTBEAT_SECONDS", "15"))
LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", "30" if REDIS_URL else "5"))
LIVE_COUNTERS_SECONDS = float(os.environ.get("LIVE_COUNTERS_SECONDS", "30"))
LIVE_RETRY_MS = int(os.environ.get("LIVE_RETRY_MS", "3000"))

# Open311 GeoReport v2 discovery: who answers for this server (an address, a phone, a page).
OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "")

# The privacy policy version workers consent to at registration (报到); raising it asks
# everyone again.
PRIVACY_POLICY_VERSION = os.environ.get("PRIVACY_POLICY_VERSION", "2025-01")
# How long a team's or branch's join code (QR) stays valid.
ORG_CODE_MAX_AGE_DAYS = int(os.environ.get("ORG_CODE_MAX_AGE_DAYS", "30"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Chinese first, English complete; stored in UTC, shown in Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS: list = []  # each app keeps its own catalogue in dandelion/<app>/locale
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DANDELION_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Big photos are decoded by at most this many requests at once per machine (core.photos); a
# request that cannot get a slot within the wait is told to retry (429). With N web workers,
# N - 1 slots keeps one worker free for everything else. Waiting holds a web worker as surely as
# decoding does, so by default a request does not wait (bench/results.md, "Photos under load").
PHOTO_DECODE_SLOTS = int(os.environ.get("PHOTO_DECODE_SLOTS", "1"))
PHOTO_DECODE_WAIT_SECONDS = float(os.environ.get("PHOTO_DECODE_WAIT_SECONDS", "0"))
PHOTO_LOCK_DIR = os.environ.get("PHOTO_LOCK_DIR", str(VAR_DIR))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGIN_URL = "admin:login"

# How often each process asks whether places changed since it built its nearby index: an edit
# shows in nearby search within this many seconds (see dandelion/stations/place_index.py).
PLACE_INDEX_CHECK_SECONDS = float(os.environ.get("PLACE_INDEX_CHECK_SECONDS", "1"))

# Maps: MAP_TILES names a tile preset (config/map_tiles.py: amap, the no-key default; tencent;
# tianditu with MAP_TILE_KEY; osm; none, the blank grid). MAP_TILE_COORD is the datum the tiles
# are drawn in (GCJ-02 for Amap and Tencent, WGS-84 otherwise): markers are shifted to match.
# MAP_TILE_URL (with MAP_TILE_COORD, _ATTRIBUTION, _SUBDOMAINS) overrides the preset.
try:
    MAP_TILE_LAYER = resolve_tiles(
        preset=os.environ.get("MAP_TILES", ""),
        key=os.environ.get("MAP_TILE_KEY", ""),
        url=os.environ.get("MAP_TILE_URL", ""),
        coord=os.environ.get("MAP_TILE_COORD", ""),
        attribution=os.environ.get("MAP_TILE_ATTRIBUTION", ""),
        subdomains=os.environ.get("MAP_TILE_SUBDOMAINS", ""),
    )
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
MAP_TILES = MAP_TILE_LAYER["preset"]
MAP_TILE_URL = MAP_TILE_LAYER["url"]
MAP_TILE_COORD = MAP_TILE_LAYER["coord"]
MAP_TILE_ATTRIBUTION = MAP_TILE_LAYER["attribution"]
MAP_TILE_SUBDOMAINS = MAP_TILE_LAYER["subdomains"]
MAP_DEFAULT_CENTER = [
    float(x) for x in env_list("MAP_DEFAULT_CENTER", "29.7050,116.0019")
]  # Jiujiang, WGS-84 lat,lng
SITE_NAME = os.environ.get("SITE_NAME", "")
# The public address printed on posters and QR codes (e.g. https://dandelion.jiujiang.gov.cn).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
