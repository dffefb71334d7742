"""Settings, read from the environment only (see .env.example).

With nothing set the portal runs on SQLite with a file-system Celery broker, so `make run` needs
no services; production sets DATABASE_URL, REDIS_URL, EMAIL_URL and the S3 variables.
"""

import ipaddress
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from helpdesk import sso_settings

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
# How long an organization admin's invitation link works (colleagues app).
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

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
    "knowledge",
    "duty",
    "tickets",
    "colleagues",
    "workspace",
    # Issue 15: the license base (import, tier history, support-end reminders) and the
    # organizations' monthly SLA reports. After accounts: their admin replaces its license
    # and organization pages.
    "import_export",
    "licensing",
    "reports",
    "api",
    "webhooks",
    "replies",  # issue 18: canned replies (beside workspace, above tickets)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy header (settings block below); outside the guards so that
    # their 400/413 pages carry it too.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The kept reference data's version read once per request (accounts/reference.py).
    "accounts.middleware.ReferenceVersionMiddleware",
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
    # A form sent with a progress bar gets its redirect as 204 + X-Location (issue 17).
    "helpdesk.middleware.UploadRedirectMiddleware",
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
                "tickets.context_processors.drafts",
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
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT: every statement a page runs reads a few index pages, and PostgreSQL's JIT only
    # adds its compile time to them (16-150 ms on the heaviest statements at 1,000,000
    # tickets: bench/bench_pages.py, docs/architecture.md "Performance").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements: psycopg 3 binds parameters on the server and prepares a statement
    # once a connection has run it DATABASE_PREPARE_THRESHOLD times, so PostgreSQL plans it
    # once, not on every request. Planning was most of a page's SQL time: the ticket page's
    # own statement planned in 1.2 ms and ran in 0.2 (docs/architecture.md "Performance").
    # "off" behind a pooler in transaction mode, where prepared statements cannot live.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"]["OPTIONS"] |= {
        "server_side_binding": True,
        "prepare_threshold": None if _prepare == "off" else int(_prepare),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

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
# How long the satisfaction link of a closing mail may be used (issue 17), in seconds.
RATING_LINK_MAX_AGE = env.int("RATING_LINK_MAX_AGE", default=30 * 24 * 3600)
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
CELERY_IMPORTS = ["tickets.beat", "licensing.beat", "reports.beat"]
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
    # The dashboard's figures, computed once a minute for everyone (workspace/dashboard_snapshot).
    "dashboard": {
        "task": "workspace.tasks.refresh_dashboard",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Support periods ending in 30 and 7 days (licensing.reminders): each reminder once, so
    # an hourly run only catches up after downtime.
    "support-reminders": {
        "task": "licensing.beat.support_reminders",
        "schedule": crontab(minute=10),
        "options": {"expires": 3000},
    },
    # The organizations' SLA reports of the previous month, built and mailed from the first
    # business day of the month on (reports.monthly): hourly, each report built and mailed once.
    "monthly-sla-reports": {
        "task": "reports.beat.monthly_reports",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # Webhook deliveries the broker lost (webhooks.delivery; retries queue themselves).
    "webhooks": {
        "task": "webhooks.tasks.sweep_webhooks",
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=60.0),
        "options": {"expires": 55},
    },
}

# The license import's file between the admin's preview and its confirmation (django-import-
# export): kept in the file storage, not a web process's temporary folder, since the two
# requests may reach different processes or machines.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True  # the tier history and the import's report say what changed

# --- Sign-in, two-factor authentication and sessions: django-allauth (issue 13) ----------------
# One block so that the single sign-on settings (allauth.socialaccount) merge next to it.
# The rules (who must use a second factor, who may sign in) live in accounts/adapters.py,
# accounts/backends.py and accounts/middleware.py; docs/architecture.md describes the flow.
INSTALLED_APPS += [
    "django.contrib.humanize",  # the sessions page says "2 hours ago"
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # After messages: a staff member without a second factor is sent to set one up.
    "accounts.middleware.RequireTwoFactorMiddleware",
]
# Refuses an inactive organization's customers, at sign-in and for every open session.
AUTHENTICATION_BACKENDS = ["accounts.backends.PortalAuthenticationBackend"]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
USERSESSIONS_ADAPTER = "accounts.adapters.UserSessionsAdapter"
# E-mail and password only: no usernames, no public sign-up (admins create accounts), no
# changing the e-mail that is the login (admins do that too).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # the other sessions can be ended on the sessions page
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https:") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# A password reset for an address with no account sends nothing (the page reads the same):
# the portal does not mail addresses that strangers type.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Failed sign-ins (password or second-factor code), per client address and per typed e-mail.
# A refused attempt costs no password hashing. "20/m/ip,5/15m/key": the 6th wrong password for
# one e-mail within 15 minutes is refused, and so is any sign-in to it until the oldest failure
# is 15 minutes old; one address gets 20 failures a minute over all e-mails. Successful
# sign-ins are not counted. Rate syntax: allauth's docs, "Rate Limits".
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="20/m/ip,5/15m/key"),
    "login": env("LOGIN_RATE_LIMIT", default="30/m/ip"),
}
# Behind a reverse proxy, the client's address is the one the proxy appends to
# X-Forwarded-For: the per-address limits need it (0 = trust no header, use REMOTE_ADDR).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Support portal")
# A code of the previous or next 30-second step is accepted too (clock drift; RFC 6238 5.2).
MFA_TOTP_TOLERANCE = 1
# Accounts are created by admins for known addresses; there is no e-mail verification step.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Passkeys need HTTPS; plain http is allowed only for local development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)
# The rate limits and used one-time codes live in the cache, which every web worker must
# share: Redis when REDIS_URL is set, else files under var/ (the demo's single machine).
# django-prometheus's instrumented backends count hits and misses (/metrics).
CACHES = {
    "default": (
        {
            "BACKEND": "django_prometheus.cache.backends.redis.NativeRedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {
            "BACKEND": "django_prometheus.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
    | {"KEY_PREFIX": "helpdesk"},
}
# Sessions are read from that cache and kept in the database as well (a restart of Redis signs
# nobody out): one query fewer on every page. Ending a session (sign-out, the sessions page,
# a deactivated account) goes through the session store, which drops both copies.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# --- end of the allauth block ------------------------------------------------------------------

# --- Single sign-on for the vendor's staff: OpenID Connect (issue 13) -------------------------
# Off unless OIDC_SERVER_URL is set (see .env.example). Engineers sign in through the vendor's
# identity provider; who may, and what becomes of their account, is in accounts/sso.py.
INSTALLED_APPS += [
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
VENDOR_EMAIL_DOMAINS = sso_settings.vendor_email_domains(env)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": sso_settings.openid_connect_apps(env)}}
# New engineers are made without a sign-up form; the e-mail is the IdP's, and an existing
# account is connected only by accounts.sso (never by allauth's match on the e-mail alone).
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# Signing in starts with a POST from the sign-in page (a link cannot start it for someone).
SOCIALACCOUNT_LOGIN_ON_GET = False
# --- end of the single sign-on block -----------------------------------------------------------

# --- HTTPS ----------------------------------------------------------------------------------
# Production (TLS at a reverse proxy) turns all of these on; .env.example holds those values, and
# `manage.py check --deploy` finds no issue with them (tests/test_deploy_check.py). Off by
# default so that `make run` works over plain http://127.0.0.1:8000.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# A load balancer probes over plain HTTP: health checks and metrics are never redirected.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
# HSTS: browsers refuse plain HTTP for this long once they saw the header (a year in
# production; start with 3600 to try it, since it cannot be taken back for the time given).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# --- end HTTPS ------------------------------------------------------------------------------

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

# --- REST API and webhooks (issue 16; docs/architecture.md, "API") ------------------------
# /api/v1/ with Django REST framework, its OpenAPI schema from drf-spectacular and Swagger UI
# from drf-spectacular-sidecar (served by the portal, never a CDN). Personal tokens or the
# session; a rate limit per token (API_RATE_LIMIT, counted in the shared cache); every error
# as RFC 9457 problem details (api/problems.py).
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_RATE_LIMIT", default="600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    # OPTIONS describes nothing: the schema (/api/v1/schema/) does, and DRF's metadata would
    # build serializers that some views (a POST with no body) do not have.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Support portal API",
    "DESCRIPTION": "Tickets, conversation, lifecycle, SLA and webhooks: see /api/docs/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "persistAuthorization": False},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
    ],
}
# Webhooks (webhooks/delivery.py): a delivery is retried with exponential backoff (base,
# 2 × base … at most an hour) up to WEBHOOK_MAX_ATTEMPTS times; an endpoint failing
# WEBHOOK_DISABLE_AFTER attempts in a row is disabled and its owner told.
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_DISABLE_AFTER = env.int("WEBHOOK_DISABLE_AFTER", default=20)
# --- end REST API and webhooks --------------------------------------------------------------

# --- Logging and error reports -------------------------------------------------------------
# LOG_FORMAT=json writes one JSON object per line (for a log collector); plain text otherwise.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Errors go to Sentry when SENTRY_DSN is set (off otherwise), from the web and Celery alike.
# No personal data: no user e-mails, cookies or request bodies leave the portal.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
# --- end Logging and error reports ---------------------------------------------------------

# --- Health checks and metrics -------------------------------------------------------------
# /healthz: the process answers (no dependency). /readyz: the database, Redis, the Celery
# broker, the beat's last sweep and the mail outbox (helpdesk/health.py); 503 when one fails.
# The sweep is late after READYZ_SWEEP_MAX_AGE_SECONDS (several missed beats, see
# SWEEP_INTERVAL_SECONDS); the outbox is backed up above READYZ_OUTBOX_MAX_PENDING mails.
READYZ_SWEEP_MAX_AGE_SECONDS = env.int("READYZ_SWEEP_MAX_AGE_SECONDS", default=300)
READYZ_OUTBOX_MAX_PENDING = env.int("READYZ_OUTBOX_MAX_PENDING", default=1000)
# /metrics (Prometheus, helpdesk/metrics.py) answers a scraper that sends
# "Authorization: Bearer <METRICS_TOKEN>" or connects from METRICS_ALLOWED_IPS (addresses or
# networks, e.g. 10.0.0.0/8, as the portal sees them: never the reverse proxy's own address).
# With neither set the endpoint is off (404).
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Parsed here so that a mistyped entry stops the start-up with the bad value named.
METRICS_ALLOWED_IPS = [
    str(ipaddress.ip_network(entry, strict=False))
    for entry in env.list("METRICS_ALLOWED_IPS", default=[])
]
# django-prometheus: request metrics around the whole middleware stack, and the database and
# cache through its instrumented backends (same vendor, so nothing else changes).
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
DATABASES["default"]["ENGINE"] = {
    # django-prometheus's, with full-text searches never prepared (helpdesk/postgresql/base.py)
    "django.db.backends.postgresql": "helpdesk.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# The cache (CACHES) is set in the allauth block above: the rate limits need it too.
# --- end Health checks and metrics ---------------------------------------------------------
