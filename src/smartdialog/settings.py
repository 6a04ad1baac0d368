"""Settings come from the environment (see .env.example); defaults are safe for production.

The embedded default (`make run`) sets DEBUG=True and uses SQLite, a local-memory cache
and eager Celery, so no other server is needed.
"""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from smartdialog.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(envstr("SMARTDIALOG_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "smartdialog.core",
    "smartdialog.reference",
    "smartdialog.accounts",
    "smartdialog.audit",
    "smartdialog.contests",
    "smartdialog.organizations",
    "smartdialog.notifications",
    "smartdialog.submissions",
    "smartdialog.reviews",
    "smartdialog.voting",
    "smartdialog.results",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "smartdialog.core.overload.OverloadMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartdialog.core.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "smartdialog.urls"
WSGI_APPLICATION = "smartdialog.wsgi.application"

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
                "smartdialog.core.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = envstr("DATABASE_URL", "")
if not DATABASE_URL:  # the embedded default: one SQLite file under var/
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'smartdialog.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Statements run through `core.db.prepared_cursor` (the vote's INSERT) are planned once
    # per connection after this many runs; Django's own cursors never prepare. Empty turns it
    # off (a pooler in transaction mode older than PgBouncer 1.21 cannot keep them).
    _prepare = envstr("DATABASE_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare) if _prepare else None
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Covering indexes (Index.include) are a PostgreSQL speed-up; SQLite just builds the key.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "smartdialog.core.sessions"  # Django's cache sessions, one SET per update
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "send-due-mail": {"task": "smartdialog.notifications.tasks.send_due", "schedule": 60.0},
    "seal-votes": {"task": "smartdialog.voting.tasks.seal_votes", "schedule": 5.0},
    "remind-draft-owners": {
        "task": "smartdialog.submissions.tasks.remind_draft_owners",
        "schedule": 24 * 3600.0,
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = envstr("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in ("mandatory", "optional", "none"):
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none")
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Смарт Диалог] "
ACCOUNT_LOGOUT_ON_GET = False

EMAIL_HOST = envstr("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Смарт Диалог <noreply@localhost>")

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", not DEBUG)  # needs `collectstatic` first
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SUBMISSION_FILE_MAX_BYTES = envint("SUBMISSION_FILE_MAX_MB", 20) * 1024 * 1024
SUBMISSION_TOTAL_MAX_BYTES = envint("SUBMISSION_TOTAL_MAX_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DEADLINE_REMINDER_DAYS = envint("DEADLINE_REMINDER_DAYS", 3)

# The public vote: codes by SMS (console in the embedded default) or e-mail, rate limits
# in the cache (Redis in production), a captcha when limits are approached.
SMS_BACKEND = envstr("SMS_BACKEND", "console")  # console | http | dotted path of a class
SMS_HTTP_URL = envstr("SMS_HTTP_URL", "")
if SMS_BACKEND == "http" and not SMS_HTTP_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL")
SMS_HTTP_TOKEN = envstr("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = envint("SMS_HTTP_TIMEOUT", 5)
VOTE_CODE_TTL = envint("VOTE_CODE_TTL", 600)
VOTE_CODE_MAX_ATTEMPTS = envint("VOTE_CODE_MAX_ATTEMPTS", 5)
VOTE_EMAIL_CODES = envbool("VOTE_EMAIL_CODES", True)
VOTE_PHONE_REGION = "RU"
VOTE_TRUSTED_PROXIES = envint("VOTE_TRUSTED_PROXIES", 0)
VOTE_CAPTCHA_RATIO = 0.8
# How long a confirm page's signed confirmation stays valid (voting/confirmation.py).
VOTE_CONFIRMATION_MAX_AGE = envint("VOTE_CONFIRMATION_MAX_AGE", 2 * 3600)
VOTE_RATE_LIMITS = {
    "code_destination": [(3, 600), (10, 86400)],
    "code_ip": [(20, 3600)],
    "code_subnet": [(60, 3600)],
    "vote_voter": [(10, 3600)],
    "vote_ip": [(20, 3600)],
    "vote_subnet": [(60, 3600)],
}
# JSON over the defaults, e.g. VOTE_RATE_LIMITS='{"vote_ip": [[100, 3600]]}'
try:
    VOTE_RATE_LIMITS |= json.loads(envstr("VOTE_RATE_LIMITS", "") or "{}")
except (ValueError, TypeError):
    raise ImproperlyConfigured("VOTE_RATE_LIMITS must be a JSON object of lists") from None
VOTE_IDENTITY_MAPPER = envstr("VOTE_IDENTITY_MAPPER", "")
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 5
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 36

# Load shedding per process (0: off) and the benchmark's bare endpoint (never in production).
OVERLOAD_MAX_IN_FLIGHT = envint("OVERLOAD_MAX_IN_FLIGHT", 0)
OVERLOAD_QUEUE_MS = envint("OVERLOAD_QUEUE_MS", 100)
BENCH_ENDPOINTS = envbool("BENCH_ENDPOINTS", False)

SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
