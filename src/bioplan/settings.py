"""Django settings for bioplan, read from environment variables with safe defaults.

DEBUG is off unless BIOPLAN_DEBUG/DEBUG says otherwise; production (DEBUG off) refuses to start
without a SECRET_KEY. The database is SQLite under var/ unless DATABASE_URL names another one.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("BIOPLAN_VAR_DIR", REPO_DIR / "var"))


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = envbool("DEBUG")
TESTING = envbool("BIOPLAN_TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README: Configuration).")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "bioplan.core.admin_site.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "huey.contrib.djhuey",
    "rules.apps.AutodiscoverRulesConfig",
    "bioplan.web",
    "bioplan.core",
    "bioplan.plans",
    "bioplan.tracking",
    "bioplan.reports",
    "bioplan.demo",
    "bioplan.enterprises",
    "bioplan.parks",
    "bioplan.projects",
    "bioplan.ops",
    "bioplan.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bioplan.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bioplan.ops.limits.RequestBodyLimitMiddleware",
    "bioplan.ops.throttle.LoginThrottleMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "bioplan.core.middleware.LoginRequiredMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "bioplan.ops.throttle.ThrottledModelBackend",  # Django's ModelBackend + login throttling
]

ROOT_URLCONF = "bioplan.urls"
WSGI_APPLICATION = "bioplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bioplan.web.context_processors.navigation",
            ],
        },
    },
]
# Every form, widget and label gets the Tabler classes (bioplan/web/forms.py).
FORM_RENDERER = "bioplan.web.forms.TablerFormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{VAR_DIR / 'bioplan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dashboard read while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    # A write waits up to SQLITE_TIMEOUT seconds for the lock instead of failing "database is locked";
    # imports write in short transactions, so the wait stays well below it (docs/operations.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", 20)),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
BIOPLAN_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A plan document (.txt/.docx/.pdf) is extracted inside the request: refused above this many characters
# of text (about 3 s of extraction; real plans have under 50,000).
BIOPLAN_MAX_PLAN_CHARACTERS = int(os.environ.get("MAX_PLAN_CHARACTERS", 500_000))

# HTTPS=1 when users reach bioplan over HTTPS (directly or through a TLS-terminating proxy): HSTS,
# redirect to https, secure cookies. Behind a proxy, SECURE_PROXY_SSL_HEADER names the header the
# proxy sets (e.g. X-Forwarded-Proto) — only when the proxy always sets or strips it.
HTTPS = envbool("HTTPS") and not TESTING
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))

# Login throttling (bioplan.ops.throttle): 5 wrong passwords per username and address in 15 minutes.
BIOPLAN_LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
BIOPLAN_LOGIN_FAILURE_WINDOW = 15 * 60
# Behind a proxy: the META key holding the client address, e.g. HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR,
# and how many proxies of the operator's stand in front of bioplan (the client is that many entries from
# the right of X-Forwarded-For; entries further left are what the client sent). See docs/operations.md.
BIOPLAN_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
_trusted_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "1").strip()
if not _trusted_proxies.isascii() or not _trusted_proxies.isdigit() or int(_trusted_proxies) < 1:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be a whole number of at least 1, not {_trusted_proxies!r}."
    )
BIOPLAN_TRUSTED_PROXIES = int(_trusted_proxies)
# The cache holds the throttle counters, so every web process must share it: a file cache on one
# machine, Redis (REDIS_URL, needs the redis package) when web processes run on several machines.
CACHES: dict[str, dict[str, object]]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Sessions live in a cache, not in the database: a login or a request never waits on a database
# write lock (an import holding SQLite's lock used to make logins fail), and the cache shared by all
# web processes keeps logout real (the server forgets the session). Redis when REDIS_URL is set, a
# file cache under var/sessions on one machine; its own alias, so culling other entries never
# drops a session.
if os.environ.get("REDIS_URL"):
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "session",
    }
elif TESTING:
    CACHES["sessions"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions"}
else:
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "sessions"),
        "TIMEOUT": None,  # the session's own expiry (SESSION_COOKIE_AGE) applies
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["bioplan.core.api_lists.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "bioplan.core.api_lists.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "bioplan.core.api_lists.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "bioplan.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bioplan API",
    "DESCRIPTION": "生物医药产业行动方案管理平台 — regions, departments, plans, targets, tasks, parks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # stage and next_stage share one choice set: one schema name (keeps `check --deploy` clean).
    # segment and other_segments of an enterprise share the Segment choices likewise.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "bioplan.projects.choices.ProjectStage",
        "SegmentEnum": "bioplan.enterprises.choices.Segment",
    },
}

# Background jobs (huey): an SQLite file under var/ on one machine; Redis when HUEY_URL names one
# (redis://host:6379/1, rediss:// with TLS, unix:///run/redis.sock), so workers can run on other
# machines. HUEY_NAME keeps two deployments sharing one Redis apart. Needs the `redis` package.
HUEY_URL = os.environ.get("HUEY_URL", "").strip()
HUEY: dict[str, object]
if not HUEY_URL:
    HUEY = {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}
elif HUEY_URL.split("://", 1)[0] in {"redis", "rediss", "unix"}:
    HUEY = {"huey_class": "huey.RedisHuey", "url": HUEY_URL}
else:
    raise ImproperlyConfigured(
        f"HUEY_URL must be a redis://, rediss:// or unix:// URL (got {HUEY_URL.split('://', 1)[0]}://…)."
    )
HUEY |= {
    "name": os.environ.get("HUEY_NAME", "bioplan"),
    "immediate": TESTING or envbool("HUEY_IMMEDIATE"),
}

# Import jobs: a running job whose worker wrote no heartbeat for this long is marked failed (its
# worker died); a queued job no worker took for this long too. Rows a sheet import may hold.
BIOPLAN_JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", 300))
BIOPLAN_JOB_QUEUE_SECONDS = int(os.environ.get("JOB_QUEUE_SECONDS", 1800))
# On SQLite a registry import saves in one transaction that other writers wait for (about 0.1–0.2 s
# per 1,000 rows), so its default limit keeps that wait well inside SQLITE_TIMEOUT.
_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
BIOPLAN_SHEET_MAX_ROWS = int(os.environ.get("SHEET_MAX_ROWS", 50_000 if _SQLITE else 200_000))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bioplan@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
