"""Settings for the whole product, driven by environment variables.

Production differs from a laptop only by environment (see ``.env.example``).
With no ``REDIS_URL`` the product runs in embedded mode: SQLite, a local-memory
cache, and Celery on a filesystem broker so that the periodic jobs still run.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import django_stubs_ext
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from congress.api.enums import API_ENUM_NAMES
from congress.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_rate,
    env_redis_layout,
    env_required,
    env_secret_key,
    env_str,
)

django_stubs_ext.monkeypatch()  # lets ModelAdmin[Model] and QuerySet[Model] run as written

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# A strong secret key is required whenever debug is off (a placeholder, a short or
# a repetitive one stops start-up); a laptop demo gets a fixed, clearly insecure
# one so that `make demo` needs no configuration.
SECRET_KEY = (
    env_secret_key("SECRET_KEY")
    if not DEBUG
    else env_str("SECRET_KEY", "django-insecure-demo-key-only-for-local-development")
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies in front of us append to X-Forwarded-For. Only that
# many addresses from the right are trusted; anything further left is forgeable.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

INSTALLED_APPS = [
    "congress.apps.CongressConfig",
    "representatives.apps.RepresentativesConfig",
    "suggestions.apps.SuggestionsConfig",
    "livelihood_votes.apps.LivelihoodVotesConfig",
    "supervision.apps.SupervisionConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
]

MIDDLEWARE = [
    "congress.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "congress.middleware.RequestSizeLimitMiddleware",
    "congress.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Edit history (django-simple-history) records the signed-in user of the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "congress.middleware.AnonymousRateLimitMiddleware",
    "congress.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congress.auth.SecondFactorMiddleware",
    "congress.auth.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "congress.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"
AUTH_USER_MODEL = "congress.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "congress.context_processors.navigation",
            ],
            # {% icon %} is on nearly every page: a builtin spares every template a {% load %}.
            "builtins": ["congress.templatetags.icons"],
        },
    },
]

# Every form's fields through congress.forms: ISO date inputs, messages that name the field.
FORM_RENDERER = "congress.forms.FormRenderer"

# Production must name its database: a missing DATABASE_URL would otherwise give
# each container its own empty SQLite file.
DATABASES: dict[str, dict[str, Any]] = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{VAR_DIR / 'congress.sqlite3'}" if DEBUG else env_required("DATABASE_URL"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the demo database file.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our statements are short, and once the planner's estimate
    # of one passes jit_above_cost, compiling it costs more than running it (the
    # monthly report's ranking at 5M problems: 72 ms run, 86 ms more compiling;
    # docs/benchmarks.md). The server's own setting stays for anyone else's queries.
    # No parallel workers for a statement unless the environment allows some: the
    # product's statements read a page or a summary, and on a small machine shared
    # with the web workers a parallel plan's start-up cost more than its rows (the
    # problem list with two states at 1M problems: 22 ms parallel, 3.5 ms without;
    # docs/benchmarks.md). Index builds are not affected (a maintenance setting).
    parallel = env_int("DATABASE_PARALLEL_WORKERS", 0, minimum=0, maximum=16)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (
        f"{options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather={parallel}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis layout (docs/reliability.md): the cache lives in REDIS_URL's database, the
# task queue in BROKER_URL's, by default database 0 of the same server. They never
# share one: cache.clear() empties its whole database, queued tasks included.
REDIS_URL = env_str("REDIS_URL")
EMBEDDED = not REDIS_URL
BROKER_URL = env_redis_layout("BROKER_URL", cache_url=REDIS_URL)
CACHES: dict[str, dict[str, Any]]
if EMBEDDED:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
# Inactivity expiry for staff on shared office PCs: activity moves a session's end
# forward, saving its row at most once every SESSION_REFRESH_SECONDS
# (congress.middleware.SessionRefreshMiddleware) instead of on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 300
# Login lockout (django-axes): 5 failures for one username from one address lock
# that pair for 15 minutes. Keyed on the pair, not the address alone, so one
# office behind a NAT is never locked out by a colleague, and never for good.
AUTHENTICATION_BACKENDS = [
    "congress.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "congress.net.client_ip"
AXES_LOCKOUT_CALLABLE = "congress.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # congress.audit records every login already
OTP_TOTP_ISSUER = "代表履职管理系统"
# Citizens' personal data on closed cases is anonymised after this many days
# (PIPL art. 19: no longer than needed; the product default is three years).
PERSONAL_DATA_RETENTION_DAYS = 3 * 365

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# The largest request body accepted: six 10 MB photos and the form around them.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 64 * 1024 * 1024, minimum=1024 * 1024)
# A flood guard on every request without an account, per client address (the
# submission and tracking endpoints have their own, tighter limits). Generous:
# a station's Wi-Fi or a mobile carrier's NAT puts many citizens behind one address.
ANONYMOUS_RATE_LIMIT = env_rate("ANONYMOUS_RATE_LIMIT", "3000/h")
# Citizens' submissions per address and per phone number, and tracking-page
# actions (rating, confirming, looking up a code) per address.
CITIZEN_RATE_PER_IP = env_rate("CITIZEN_RATE_PER_IP", "30/h")
CITIZEN_RATE_PER_PHONE = env_rate("CITIZEN_RATE_PER_PHONE", "5/h")
CITIZEN_RATE_TRACKING = env_rate("CITIZEN_RATE_TRACKING", "120/h")
# One uploaded file, and the pixels a photo may claim before it is decoded (a
# decompression bomb claims billions).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024 * 1024)
UPLOAD_MAX_IMAGE_PIXELS = env_int("UPLOAD_MAX_IMAGE_PIXELS", 50_000_000, minimum=1_000_000)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The secret ballot's private keys, one file per open ballot box (docs/security.md, 'The
# secret ballot'): never in the database; a persistent volume readable by the
# application's user only, shared by every web process, and kept out of backups.
BALLOT_KEY_DIR = Path(env_str("BALLOT_KEY_DIR", str(VAR_DIR / "ballot-keys")))
# Uploads are never served from a public URL; views check scope and stream them.
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest (hashed names, far-future caching) needs collectstatic;
        # tests and the laptop demo serve the files straight from static/.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security: production values unless DEBUG; `check --deploy` must be clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# E-mail through Django's backends; SMS through our own pluggable backend.
EMAIL_BACKEND = env_choice(
    "EMAIL_BACKEND",
    "console" if DEBUG or EMBEDDED else "smtp",
    {
        "console": "django.core.mail.backends.console.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
    },
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@rdcwh.example.cn")
SMS_BACKEND = env_choice(
    "SMS_BACKEND",
    "console",
    {
        "console": "congress.sms.ConsoleSmsBackend",
        "http": "congress.sms.HttpGatewaySmsBackend",
        "recording": "congress.sms.RecordingSmsBackend",
    },
)
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN")
# Representatives sign in with their mobile number and a one-time SMS code
# (docs/representatives-accounts.md): the code's length and lifetime, the failures
# after which the number is locked and for how long, and how many codes one number
# and one address may ask for.
SMS_SIGNIN_CODE_LENGTH = env_int("SMS_SIGNIN_CODE_LENGTH", 6, minimum=4, maximum=8)
SMS_SIGNIN_CODE_MINUTES = env_int("SMS_SIGNIN_CODE_MINUTES", 5, minimum=1, maximum=30)
SMS_SIGNIN_MAX_FAILURES = env_int("SMS_SIGNIN_MAX_FAILURES", 5, minimum=1, maximum=20)
SMS_SIGNIN_LOCK_MINUTES = env_int("SMS_SIGNIN_LOCK_MINUTES", 30, minimum=1, maximum=24 * 60)
SMS_SIGNIN_RATE_PER_NUMBER = env_rate("SMS_SIGNIN_RATE_PER_NUMBER", "5/h")
SMS_SIGNIN_RATE_PER_IP = env_rate("SMS_SIGNIN_RATE_PER_IP", "20/h")
# The laptop demo shows the code on the code page ("演示环境：验证码 …"), since its
# console SMS backend sends nothing: only with DEBUG on, whatever the environment says,
# and `check --deploy` refuses it (representatives.E001, representatives/signin_setup.py).
SMS_SIGNIN_DEMO_CODE = DEBUG and env_bool("SMS_SIGNIN_DEMO_CODE", True)
# How a representative's notifications reach their phone unless they chose otherwise
# in 通知设置: immediate (one SMS each), digest (one SMS a day) or off.
REPRESENTATIVES_SMS_MODE = env_choice(
    "REPRESENTATIVES_SMS_MODE",
    "immediate",
    {"immediate": "immediate", "digest": "digest", "off": "off"},
)
# The site's address in links of e-mails, SMS and QR codes. The laptop demo serves on
# PORT (`PORT=8100 make demo`, scripts/serve_embedded.sh), so with DEBUG on and no
# SITE_URL its links follow that port instead of pointing where nothing runs.
DEMO_PORT = env_int("PORT", 8000, minimum=1, maximum=65535) if DEBUG else 8000
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{DEMO_PORT}").rstrip("/")

# Celery: Redis in production; a filesystem broker in embedded mode, so the same
# worker + beat run the periodic jobs on a laptop without Redis (see README).
# The filesystem transport has no host; naming one keeps kombu from warning about it
# on every start (a newcomer's first `make demo` would read that as a failure).
CELERY_BROKER_URL = BROKER_URL or "filesystem://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = (
    {"visibility_timeout": 3600}
    if BROKER_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # The exchange tables (celery.exchange, celery.pidbox.exchange): kombu's
        # default is "control" in the working directory, i.e. inside the checkout.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Several deployments (or parallel test runs) can share one Redis by queue name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that enqueues while Redis is down must fail fast (the sweep catches
# up later), not hang on the default publish retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
NOTIFICATION_RETRY_AFTER_SECONDS = env_int("NOTIFICATION_RETRY_AFTER_SECONDS", 30, minimum=0)
LOOP_REMINDER_HOUR = env_int("LOOP_REMINDER_HOUR", 9, minimum=0, maximum=23)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat writes its heartbeat for /healthz as it ticks (congress.health), and ticks at
# least this often.
CELERY_BEAT_SCHEDULER = "congress.celery:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "loop-sweep": {
        "task": "congress.tasks.sweep_due_reminders",
        "schedule": env_int("LOOP_SWEEP_SECONDS", 120, minimum=10),
    },
    "calendar-recalculate": {
        # One read when nothing changed; catches a lost task after a holiday edit and
        # an upgraded calendar package that now knows a new year.
        "task": "congress.tasks.recalculate_deadlines",
        "schedule": 600,
    },
    "notifications-retry": {
        "task": "congress.tasks.deliver_pending_notifications",
        "schedule": env_int("NOTIFICATION_RETRY_SECONDS", 300, minimum=10),
    },
    "personal-data-retention": {
        "task": "congress.tasks.anonymise_expired_personal_data",
        "schedule": 24 * 3600,  # daily; each run handles a bounded batch
    },
    "notifications-digest": {
        "task": "congress.tasks.send_daily_digests",
        "schedule": 3600,  # hourly check; each user's digest goes out once a day
    },
    "citizen-sweep": {
        # Unrated problems closed, tomorrow's appointments reminded, citizens' SMS retried.
        "task": "suggestions.tasks.citizen_sweep",
        "schedule": 300,
    },
    "representatives-duty": {
        # Publishes shifts reaching the 3-day horizon; reminds tomorrow's duty once.
        "task": "representatives.tasks.daily_duty_run",
        "schedule": 3600,
    },
    "signin-codes-purge": {
        # Representatives' SMS sign-in rows whose code expired over a day ago.
        "task": "representatives.tasks.purge_signin_codes",
        "schedule": 24 * 3600,
    },
    "sessions-clear": {
        # Expired logins are deleted (Django's clearsessions); the table would
        # otherwise keep every session of every staff member ever signed in.
        "task": "congress.tasks.clear_expired_sessions",
        "schedule": 24 * 3600,
    },
    "suggestions-unassigned": {
        # Hourly check; staff hear once a day which suggestions are due for 交办.
        "task": "suggestions.tasks.remind_unassigned_suggestions",
        "schedule": 3600,
    },
    "reports-monthly": {
        # Last month's report to each subscribed leader (congress/reports.py), once per
        # subscription and month: hourly on the 1st, so a beat or worker down at 7:00
        # still sends that day; the later runs find everything sent.
        "task": "congress.reports.send_monthly_reports",
        "schedule": crontab(minute=0, hour="7-22", day_of_month="1"),
    },
    "livelihood-projects": {
        # This month's progress report asked for from every project in implementation,
        # and the behind-schedule flags recounted (docs/livelihood-projects.md). Hourly
        # so a beat down at night still runs it that day; a month's report exists once.
        "task": "livelihood_votes.projects.tasks.projects_sweep",
        "schedule": 3600,
    },
}
# Task modules outside an app's tasks.py (autodiscovered): the reports' mailing and
# the livelihood projects' sweep (in a package below the app).
CELERY_IMPORTS = ("congress.reports", "livelihood_votes.projects.tasks")

# The livelihood-project vote (民生实事项目代表票决, 地方组织法 第十一、十二条; local rules
# vary): the differential (差额, candidates above seats, in percent of the seats) a vote
# must have to open, and whose majority a project needs to pass: all representatives
# (electorate) or those voting. docs/architecture.md, 'The livelihood-project vote'.
LIVELIHOOD_VOTE_DIFFERENTIAL_MIN = env_int(
    "LIVELIHOOD_VOTE_DIFFERENTIAL_MIN", 10, minimum=0, maximum=100
)
LIVELIHOOD_VOTE_DIFFERENTIAL_MAX = env_int(
    "LIVELIHOOD_VOTE_DIFFERENTIAL_MAX", 30, minimum=LIVELIHOOD_VOTE_DIFFERENTIAL_MIN, maximum=200
)
LIVELIHOOD_VOTE_PASS_BASE = env_choice(
    "LIVELIHOOD_VOTE_PASS_BASE",
    "electorate",
    {"electorate": "electorate", "voters": "voters"},
)

# API credentials (docs/security.md): django-rest-knox tokens, stored as SHA-512
# digests, issued on the "API 令牌" page after the second factor, expiring after
# API_CREDENTIALS_TTL_DAYS. Knox comes first so that an anonymous call is answered 401
# with a WWW-Authenticate challenge (DRF asks the first class for it).
API_CREDENTIALS_TTL_DAYS = env_int("API_CREDENTIALS_TTL_DAYS", 30, minimum=1, maximum=365)
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=API_CREDENTIALS_TTL_DAYS),
    "AUTO_REFRESH": False,  # a token's lifetime is fixed when it is issued
}
# Signed-in API use, per user (all their tokens and their session together) and per
# token: a leaked or looping script is slowed down, never the whole office.
API_RATE_PER_USER = env_rate("API_RATE_PER_USER", "120/m")
API_RATE_PER_CREDENTIAL = env_rate("API_RATE_PER_CREDENTIAL", "60/m")
# The OpenAPI schema and its documentation page: open without login only when set
# (a laptop demo opens them; production asks for a login).
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "congress.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "congress.api.throttling.UserRateThrottle",
        "congress.api.throttling.TokenRateThrottle",
    ],
    # The browsable API is a debugging aid: in production every answer is JSON.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "congress.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "代表履职 API",
    "DESCRIPTION": "Case management for a people's congress (人大常委会).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The {code, message} errors every operation can answer (congress/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "congress.api.schema.add_error_responses",
    ],
    # Every choice set gets its own schema name ("status" means different things
    # in different apps): the core lists its own in congress/api/enums.py and each
    # feature app registers its own there from its AppConfig.ready.
    "ENUM_NAME_OVERRIDES": API_ENUM_NAMES,
}

LOG_LEVEL = env_choice(
    "LOG_LEVEL",
    "INFO",
    {name: name for name in ("DEBUG", "INFO", "WARNING", "ERROR")},
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "congress.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_pii"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own defaults give these loggers handlers without the masking
        # filter ("Internal Server Error: /q/t/<token>/" went out unmasked with DEBUG
        # on); here they log through the root handler like everything else.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # its start-up banner on every command is noise
    },
}
