"""One settings module, driven by environment variables (12-factor).

Every value has a safe default for a developer's machine. With ``LINLI_ENV=production`` the
insecure defaults are refused at start-up, so a forgotten variable fails loudly instead of
shipping a known secret key or field-encryption key.
"""

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The defaults of these settings live next to the code that uses them (plain modules that read
# no setting at import), so the environment can only change them, never copy them.
from linli.enterprise.inspections.merging import OVERLAP, RULES
from linli.enterprise.retention.risk import RiskSettings

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = env(name).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_overrides(name: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """``defaults`` with a JSON object of the same keys in ``name`` merged over them: each value a
    number ≥ 0 (whole where the default is), or a list of words where the default is one."""
    raw = env(name).strip()
    try:
        given = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(given, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object, e.g. {{"key": 10}}')
    merged = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            known = ", ".join(sorted(defaults))
            raise ImproperlyConfigured(f"{name}: unknown key {key!r} (known: {known})")
        default = defaults[key]
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
                raise ImproperlyConfigured(f"{name}: {key!r} must be a list of words")
            merged[key] = tuple(value)
            continue
        whole = isinstance(default, int)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value < math.inf  # also refuses NaN, which JSON lets through
            or (whole and not float(value).is_integer())
        ):
            wanted = "a whole number" if whole else "a number"
            raise ImproperlyConfigured(f"{name}: {key!r} must be {wanted} ≥ 0, not {value!r}")
        merged[key] = int(value) if whole else float(value)
    return merged


PRODUCTION = env("LINLI_ENV", "development") == "production"

INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
INSECURE_FIELD_KEY = "insecure-development-field-key"  # noqa: S105

SECRET_KEY = env("LINLI_SECRET_KEY", INSECURE_SECRET_KEY)
FIELD_ENCRYPTION_KEY = env("LINLI_FIELD_KEY", INSECURE_FIELD_KEY)
DEBUG = env_bool("LINLI_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("LINLI_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")

if PRODUCTION:
    problems = []
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("LINLI_SECRET_KEY must be set to a random value of at least 50 characters")
    if FIELD_ENCRYPTION_KEY == INSECURE_FIELD_KEY or len(FIELD_ENCRYPTION_KEY) < 32:
        problems.append("LINLI_FIELD_KEY must be set to a random value of at least 32 characters")
    if DEBUG:
        problems.append("LINLI_DEBUG must be off in production")
    if not ALLOWED_HOSTS:
        problems.append("LINLI_ALLOWED_HOSTS must name the public host(s)")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    # Only for its static files: /api/docs serves swagger-ui from here, not from a CDN a
    # government intranet cannot reach.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "linli.core",
    "linli.registry",
    "linli.people",
    "linli.cases",
    "linli.lifecircle",
    "linli.policies",
    "linli.frontoffice.catalog",
    "linli.frontoffice.queue",
    "linli.frontoffice.bookings",
    "linli.frontoffice.events",
    "linli.enterprise.retention",
    "linli.enterprise.investment",
    "linli.enterprise.park",
    "linli.enterprise.inspections",
    "linli.livelihood.eldercare",
    "linli.livelihood.caring",
    "linli.livelihood.meals",
    "linli.governance.lifts",
    "linli.governance.rentals",
    "linli.governance.patrols",
    "linli.governance.charging",
    "linli.governance.foodsafety",
    "linli.governance.mediation",
    "linli.governance.works",
    "linli.cockpit",
    "linli.web",
    "linli.demo",
]

MIDDLEWARE = [
    "linli.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "linli.core.health.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "linli.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "linli.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "linli.core.middleware.StorableJsonMiddleware",
    "linli.core.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linli.web.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linli" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server read while the other writes; IMMEDIATE makes
    # every transaction take the write lock up front, so "check then insert" is serialised.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # How long a request waits for another writer before it answers 503 (try again).
        "timeout": int(env("LINLI_DB_LOCK_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "LINLI_DB_PREPARED", True
):
    # Parameters bound by the server, and a statement a connection runs a second time kept
    # prepared: PostgreSQL then skips parsing and planning the queries every request repeats
    # (measured: a third less database time per case intake). Turn off behind a pooler that
    # cannot carry prepared statements (PgBouncer before 1.21 in transaction mode).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGOUT_PATH = "/accounts/logout/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: django-axes counts failures per username *and* IP together, so one attacker cannot
# lock a real user out from elsewhere, and one user's typos cannot lock a shared office IP.
AXES_FAILURE_LIMIT = env_int("LINLI_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("LINLI_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
PROXY_COUNT = env_int("LINLI_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "linli.core.throttle.client_address"
# Across usernames, one address may fail this often within the lockout time before sign-in from
# it pauses: guessing many accounts' passwords is throttled too. High enough for the shared
# address of an office behind one NAT.
LOCKOUT_IP_FAILURES = env_int("LINLI_LOCKOUT_IP_FAILURES", 30)
# Password-reset mails: per address of the requester and per e-mail address, per hour.
PASSWORD_RESET_PER_IP = env_int("LINLI_PASSWORD_RESET_PER_IP", 10)
PASSWORD_RESET_PER_EMAIL = env_int("LINLI_PASSWORD_RESET_PER_EMAIL", 3)
# Public reports (the web form, Open311 POST): per person and per address of the sender, per
# hour. The address limit is high enough for a community centre's shared connection.
INTAKE_PER_PERSON_HOUR = env_int("LINLI_INTAKE_PER_PERSON_HOUR", 20)
INTAKE_PER_ADDRESS_HOUR = env_int("LINLI_INTAKE_PER_ADDRESS_HOUR", 120)

# Sessions expire after idle time and, separately, after an absolute lifetime.
SESSION_IDLE_TIMEOUT = env_int("LINLI_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("LINLI_SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = env("LINLI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [Path(env("LINLI_LOCALE_DIR", str(BASE_DIR / "linli" / "locale")))]
TIME_ZONE = env("LINLI_TIME_ZONE", "Asia/Shanghai")
# ISO dates first in the Chinese input formats, so <input type="date"> keeps its value.
FORMAT_MODULE_PATH = ["linli.core.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "linli" / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    # A kiosk or calling screen on a bare Linux device has no Chinese font of its own.
    ("vendor/noto-sans-sc", BASE_DIR / "node_modules" / "@fontsource" / "noto-sans-sc"),
]
STATICFILES_FINDERS = [
    "linli.core.staticfiles.StaticDirsFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("LINLI_MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env(
    "LINLI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("LINLI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("LINLI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("LINLI_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("LINLI_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("LINLI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("LINLI_EMAIL_FROM", "linli <noreply@localhost>")
LINLI_SMS_BACKEND = env("LINLI_SMS_BACKEND", "linli.core.sms.LogSmsBackend")

# Base map tiles: none (our own layers on a plain background), osm, tianditu, amap or tencent.
# AMap and Tencent tiles are in GCJ-02, so the map converts our WGS84 points for them.
MAP_TILES = env("LINLI_MAP_TILES", "none")
MAP_TILES_KEY = env("LINLI_MAP_TILES_KEY")
# Where base-map tiles come from, for the Content-Security-Policy (linli/static/linli/map.js).
TILE_HOSTS = {
    "none": [],
    "osm": ["https://tile.openstreetmap.org"],
    "tianditu": ["https://*.tianditu.gov.cn"],
    "amap": ["https://*.is.autonavi.com"],
    "tencent": ["https://*.map.gtimg.com"],
}

# No script but our own files and the page's nonce-marked module scripts; no plugins, frames,
# foreign forms or base-URL tricks. Style attributes stay allowed: pages size their bars with
# them, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src-elem": [SELF],
        "style-src-attr": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *TILE_HOSTS.get(MAP_TILES, [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(self), microphone=(), payment=(), usb=(), "
    "serial=(), bluetooth=(), midi=(), display-capture=(), interest-cohort=()"
)

TASKS = {
    "default": {
        "BACKEND": env("LINLI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Who may read /metrics (Prometheus): addresses or networks, comma-separated.
METRICS_ALLOW = env("LINLI_METRICS_ALLOW", "127.0.0.1,::1").split(",")
# A job is taken back from a worker silent this long (its heartbeat is every 5 s); the
# scheduler of every worker looks for such jobs and for due periodic jobs every tick.
LINLI_WORKER_LEASE_SECONDS = int(env("LINLI_WORKER_LEASE_SECONDS", "60"))
LINLI_SCHEDULER_TICK_SECONDS = int(env("LINLI_SCHEDULER_TICK_SECONDS", "15"))

SCOPES_DISABLED = False

# Joint inspections: when plans of several departments share one visit (see
# linli/enterprise/inspections/merging.py).
INSPECTION_MERGE_RULE = env_choice("LINLI_INSPECTION_MERGE_RULE", OVERLAP, RULES)
# Relocation-risk points and thresholds, the defaults of RiskSettings with the operator's
# overrides merged over them (see docs/enterprise-retention.md).
LINLI_RETENTION_RISK = env_overrides("LINLI_RETENTION_RISK", asdict(RiskSettings()))

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("LINLI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("LINLI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("LINLI_CSRF_TRUSTED_ORIGINS")

# Logs go to standard error (systemd's journal in production), one line each, with the request
# id; LINLI_LOG_FORMAT=json writes one JSON object a line for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "linli.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "linli.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("LINLI_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LINLI_LOG_LEVEL", "WARNING")},
}
