"""Settings, read from the environment only (see .env.example).

With nothing set the portal runs on SQLite with a file-system Celery broker, so `make run` needs
no services; production sets DATABASE_URL, REDIS_URL, EMAIL_URL and the S3 variables.
"""

from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # never overrides variables already set

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# An expired form gets the portal's page (403_csrf.html) with its navigation, not Django's.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
# The portal's own address, used for links in e-mails (a Celery worker has no request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",  # Content-Security-Policy (settings block below)
    "accounts",
    "sla",
    "tickets",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy header (settings block below); outside the guards so that
    # their 400/413 pages carry it too.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL bytes in the path, query or cookies -> 400, before anything loads the session.
    "helpdesk.middleware.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    # Cache-Control: private, no-store for signed-in people; then form data checked once
    # (NUL -> 400, a body over the limits -> the "too large" page) with the user known.
    "helpdesk.middleware.PrivatePagesMiddleware",
    "helpdesk.middleware.FormGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tickets.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Russian first: the vendor is Russian and so are most of its customers.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage and logs; people see their own zone, SLA calendars keep theirs
# The zone a user gets until they choose one, and in which "the filing day" of a license check
# is taken: the vendor's business zone.
BUSINESS_TIME_ZONE = env("BUSINESS_TIME_ZONE", default="Europe/Moscow")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The design system from its Python package (XStatic-Bootstrap), served by whitenoise.
    ("bootstrap", str(Path(xstatic.pkg.bootstrap.BASE_DIR))),
]

# Attachments go through the storage API only and are never given a public URL: the download
# view checks visibility first. Local disk by default, S3-compatible when a bucket is set.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _attachments_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _attachments_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _attachments_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# --- Upload limits (docs/architecture.md, "Security and limits") ---------------------------
# Checked while the body streams in (tickets.uploads.LimitedUploadHandler): a file over
# ATTACHMENT_MAX_BYTES, or the files of one request past ATTACHMENT_MAX_REQUEST_BYTES together,
# are read and thrown away, never stored, and the form says which and why. A ticket holds at
# most ATTACHMENT_TICKET_QUOTA_BYTES of attachments in all (checked by the services).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=10)
ATTACHMENT_MAX_REQUEST_BYTES = env.int("ATTACHMENT_MAX_REQUEST_BYTES", default=50 * 1024 * 1024)
ATTACHMENT_TICKET_QUOTA_BYTES = env.int("ATTACHMENT_TICKET_QUOTA_BYTES", default=500 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "tickets.uploads.LimitedUploadHandler",  # first: it decides what the others may store
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The text fields of one form together (not the files); past it the portal answers with its
# "too large" page (helpdesk.middleware.FormGuardMiddleware). The proxy in front must accept a
# body of ATTACHMENT_MAX_REQUEST_BYTES plus this (nginx: client_max_body_size 60m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# --- end of upload limits -------------------------------------------------------------------

# Ticket numbers: "{prefix}-{year}-{seq:06d}" -> SUP-2026-000123. The sequence is global and
# never reused; the year is the registration year in the business zone.
TICKET_NUMBER_PREFIX = env("TICKET_NUMBER_PREFIX", default="SUP")
TICKET_NUMBER_FORMAT = env("TICKET_NUMBER_FORMAT", default="{prefix}-{year}-{seq:06d}")
# How often the engineers' queue page fetches its rows again (a new Critical shows within 30 s).
QUEUE_REFRESH_SECONDS = env.int("QUEUE_REFRESH_SECONDS", default=15)

# E-mail: SMTP in production (EMAIL_URL=smtp://user:pass@host:587). Without EMAIL_URL (the demo)
# each mail is written to a file under var/mail/, which admins read at /admin/sent-mail/.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Support portal <support@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Unsent e-mail is retried by the beat with exponential backoff (base, 2 × base, 4 × base …,
# at most an hour) and given up, visibly in admin, after EMAIL_MAX_ATTEMPTS. A notification
# never attempted is left to its own task for EMAIL_RETRY_GRACE_SECONDS before the sweep takes
# it; a failed one is retried when its backoff ends, with no grace on top.
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=60)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=8)
EMAIL_RETRY_GRACE_SECONDS = env.int("EMAIL_RETRY_GRACE_SECONDS", default=120)
# Mails per delivery task, sent over one SMTP connection; a backlog is spread over the workers
# in tasks of this size.
EMAIL_DELIVERY_CHUNK = env.int("EMAIL_DELIVERY_CHUNK", default=200)

# Celery. REDIS_URL set -> Redis; otherwise a file-system broker under var/ so the demo needs
# no server. Results are never read, so none are stored.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _sub in ("queue", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
# Autodiscovery finds tickets.tasks; the beat's task lives in its own module (see its docstring).
CELERY_IMPORTS = ["tickets.beat"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# A web request must not hang on a dead broker: publishing gives up quickly and the stored
# notification is picked up again by the beat.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The beat schedule lives in code. One sweep a minute runs every periodic job (auto-close,
# unconfirmed resolutions, SLA warnings and breaches, e-mail retries); each job is idempotent
# and claims its rows, so an overlapping or repeated run does nothing twice.
CELERY_BEAT_SCHEDULE = {
    "sweep": {
        "task": "tickets.beat.sweep",
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=60.0),
        "options": {"expires": 55},
    },
}

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
# Everything the pages load comes from the portal itself; no inline script or style anywhere
# (templates use static/css and static/js; JSON data blocks are never executed). A template
# that really needs an inline script gives it nonce="{{ request.csp_nonce }}". Downloads send
# a stricter policy of their own (default-src 'none'; sandbox), and a sent mail's HTML is
# shown from its own address with one that allows only the mail's inline styles.
# form-action is left open on purpose: a single sign-on button posts to the portal, which
# redirects to the identity provider, and Chromium applies form-action to that redirect.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG in its CSS
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}
# --- end of Content-Security-Policy ---------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
