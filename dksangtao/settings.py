"""One settings module; every deployment value comes from the environment (see README, «Cấu hình»)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dksangtao.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Local development is the zero-setup default; production sets DEBUG=false and a SECRET_KEY.
DEBUG = env_bool("DEBUG", True)
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", None if not DEBUG else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

PROVINCE_NAME = env_str("PROVINCE_NAME", "thành phố Huế")
# The place name of a document's date line (Decree 30/2020: «Huế, ngày 05 tháng 01 năm 2026»): the
# administrative name of the locality where the Front committee sits, without «thành phố»/«tỉnh».
PLACE_NAME = env_str("PLACE_NAME", "Huế")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups; harmless on SQLite
    "guardian",
    "django_htmx",
    "django_filters",
    "import_export",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs page's assets, served from here (no CDN on the intranet)
    "corsheaders",
    "dksangtao.apps_axes.LoginLockoutConfig",  # django-axes: failed-login lockouts (Hardening, below)
    "csp",  # the Content-Security-Policy header (Hardening: headers, below)
    "dksangtao",
    "accounts",
    "submissions",
    "councils",
    "awards",
    "fund",
    "reports",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dksangtao.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Hardening: no 500 on any input — NUL and control characters refused with a 400 (after the
    # session, language and user are known, so the page is the portal's own, in Vietnamese).
    "dksangtao.middleware.HostileInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "dksangtao.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the Vietnamese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dksangtao.urls"
WSGI_APPLICATION = "dksangtao.wsgi.application"
ASGI_APPLICATION = "dksangtao.asgi.application"

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
                "dksangtao.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "councils.backends.CouncilSecretaryBackend",
]
# No guardian "AnonymousUser" row: the public pages need no object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Hardening: separation of duties ---
# A newly created account, or one newly granted a role that approves money (fund checker, Front
# admin), may approve fund transactions and award lists only this many days later (0: no wait).
MONEY_ROLE_COOLING_DAYS = env_int("MONEY_ROLE_COOLING_DAYS", 7, minimum=0)
# The invitation link (and the password-reset link) stays valid this long, in seconds (3 days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600, minimum=3600)

# Vietnamese first; dates dd/mm/yyyy in both languages (dksangtao/formats), money in integer đồng.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dksangtao.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Hardening: no 500 on any input ---
# The years a typed date may fall in (dksangtao.forms.BoundedDateField): «01/01/0001» and «31/12/9999»
# parse as dates, then overflow date arithmetic and time-zone conversion.
DATE_INPUT_YEARS = (env_int("DATE_INPUT_FIRST_YEAR", 1900), env_int("DATE_INPUT_LAST_YEAR", 2100))

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files are private: no MEDIA_URL is routed; they are served only by views that check
    # permission. MEDIA_ROOT lives outside STATIC_ROOT and outside the web root.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# No URL pattern routes this prefix: a file is reachable only through a view that checks permission.
MEDIA_URL = "/private-media-not-served/"
if MEDIA_ROOT.resolve() == STATIC_ROOT.resolve() or STATIC_ROOT.resolve() in MEDIA_ROOT.resolve().parents:
    raise ImproperlyConfigured("MEDIA_ROOT must not be inside STATIC_ROOT: uploaded files are private.")

# Dossier attachments (SPEC §3): per file and per dossier, in bytes.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
DOSSIER_ATTACHMENTS_MAX_BYTES = env_int("DOSSIER_ATTACHMENTS_MAX_BYTES", 100 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Hardening: hostile files --- (dksangtao.uploads, every upload; submissions.imports)
# An Office file (DOCX, XLSX) is a zip: the upload limit caps only its compressed bytes, so its inner
# parts are measured before anything opens it. A part more than UPLOAD_ZIP_MAX_RATIO times smaller
# compressed than open (and over 1 MB open) is a zip bomb, not a document.
UPLOAD_ZIP_MAX_TOTAL_BYTES = env_int("UPLOAD_ZIP_MAX_TOTAL_BYTES", 200 * 1024 * 1024, minimum=1024)
UPLOAD_ZIP_MAX_PART_BYTES = env_int("UPLOAD_ZIP_MAX_PART_BYTES", 50 * 1024 * 1024, minimum=1024)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 100, minimum=2)
UPLOAD_ZIP_MAX_PARTS = env_int("UPLOAD_ZIP_MAX_PARTS", 1000, minimum=10)
# A picture larger than this (width × height) is refused before it is decoded (a 40-megapixel photo
# passes; a few-kB PNG that claims 100,000 × 100,000 pixels does not).
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 60_000_000, minimum=1_000_000)
# The Excel import: at most IMPORT_MAX_ROWS dossiers a file (checked and written by a Celery job in
# bulk: 10,000 rows take seconds). The sheet's rows (header and blank rows included) and columns are
# also capped, read from the sheet as it streams (the template has 44 columns); by default the sheet
# may hold the dossiers, the header and some blank rows.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=1)
IMPORT_XLSX_MAX_ROWS = env_int("IMPORT_XLSX_MAX_ROWS", IMPORT_MAX_ROWS + 1_000, minimum=100)
IMPORT_XLSX_MAX_COLUMNS = env_int("IMPORT_XLSX_MAX_COLUMNS", 200, minimum=50)
# Optional virus scan by clamd (INSTREAM): a Unix socket path, or a host (and port). Unset: no scan
# (logged once per upload). Set but unreachable: the upload is refused (fail closed).
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "")
CLAMAV_HOST = env_str("CLAMAV_HOST", "")
CLAMAV_PORT = env_int("CLAMAV_PORT", 3310, minimum=1)
CLAMAV_TIMEOUT = env_int("CLAMAV_TIMEOUT", 30, minimum=1)

# E-mail: console in development; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng Đoàn kết sáng tạo <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# Celery: with REDIS_URL unset, tasks run eagerly in the web process, so nothing needs a broker.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None  # eager results need no backend
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 15 * 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 20 * 60, minimum=1)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs (`make beat`); each is idempotent, so a missed or doubled beat does no harm.
CELERY_BEAT_SCHEDULE: dict = {
    "council-scoring-reminders": {
        "task": "councils.tasks.scoring_reminders",
        "schedule": crontab(hour=7, minute=30),  # every morning; acts only in a window's last 3 days
    },
    "campaign-schedule": {
        "task": "awards.tasks.campaign_schedule",
        "schedule": crontab(hour=6, minute=0),  # the ranking on its day before the ceremony (SPEC §2)
    },
    "search-words": {
        "task": "public.tasks.search_words_refresh",
        "schedule": crontab(hour=2, minute=20),  # nightly, in case a refresh after a change was lost
    },
    "open-data": {
        "task": "public.tasks.open_data_build",
        "schedule": crontab(hour=2, minute=30),  # nightly, in case a rebuild after a change was lost
    },
    "reports-exports": {
        "task": "reports.tasks.scheduled_exports",
        "schedule": crontab(hour=6, minute=15),  # every summary on its export day (SPEC §2, §7)
    },
}

# --- Hardening: backups (issue #15, item 7; dksangtao/backup.py, README «Sao lưu và phục hồi») ---
# `manage.py backup` writes dkst-YYYYMMDD-HHMMSS/ here and keeps the newest BACKUP_KEEP (0: all).
# Keep it off MEDIA_ROOT (the backup refuses) and, in production, on another disk or host.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=0)
# The hour (0–23, local time) at which beat runs the backup; unset: no scheduled backup here (cron).
BACKUP_BEAT_HOUR = env_int("BACKUP_BEAT_HOUR", -1, minimum=-1)
if BACKUP_BEAT_HOUR > 23:
    raise ImproperlyConfigured(f"BACKUP_BEAT_HOUR={BACKUP_BEAT_HOUR} is not an hour (0–23).")
if BACKUP_BEAT_HOUR >= 0:
    CELERY_BEAT_SCHEDULE["backup"] = {
        "task": "dksangtao.tasks.backup_scheduled",
        "schedule": crontab(hour=BACKUP_BEAT_HOUR, minute=0),
    }
# --- Hardening: jobs that never get stuck ---
# A queued job whose task was sent longer ago than JOB_QUEUED_GRACE seconds lost its message: the
# sweep (every minute) sends it again. A running job whose heartbeat (each progress step) is older
# than JOB_HEARTBEAT_STALE seconds lost its worker: requeued JOB_MAX_REQUEUES times, then failed
# (retryable). The heartbeat threshold must exceed the longest step of a job (a PDF render).
JOB_QUEUED_GRACE = env_int("JOB_QUEUED_GRACE", 60, minimum=1)
JOB_HEARTBEAT_STALE = env_int("JOB_HEARTBEAT_STALE", 5 * 60, minimum=1)
JOB_MAX_REQUEUES = env_int("JOB_MAX_REQUEUES", 1, minimum=0)
# E-mail waits in the outbox (dksangtao.models.OutboxEmail) until sent: the sweep delivers what the
# after-commit task did not (broker down, SMTP refused), up to MAIL_MAX_ATTEMPTS tries.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10, minimum=1)
# A request must not hang on a broker that does not answer: give up connecting after a few seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 10}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_BEAT_SCHEDULE["jobs-sweep"] = {
    "task": "dksangtao.tasks.jobs_sweep",
    "schedule": 60.0,  # lost messages, dead workers (dksangtao.jobs)
}
CELERY_BEAT_SCHEDULE["mail-outbox"] = {
    "task": "dksangtao.tasks.outbox_deliver",
    "schedule": 60.0,  # e-mail the after-commit task could not send
}

if REDIS_URL:
    # A Redis outage makes the cache miss instead of failing the page (dksangtao/cache.py says why).
    CACHES = {
        "default": {
            "BACKEND": "dksangtao.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security: strict by default when DEBUG is off (`manage.py check --deploy` is clean).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=300)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP inside the network
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Hardening: login protection, headers and error pages (issue #15, items 5 and 8) ---
# Failed logins (django-axes): a lockout counts failures per account (an e-mail tried from many
# addresses) and per address (many accounts tried from one machine), each on its own: reaching the
# limit on either locks. Failures older than the cool-off are forgotten and a lockout lifts by itself
# after it; a Front admin or a superuser can lift it sooner in the admin («Lần đăng nhập sai»).
# A success does not wipe the count (AXES_RESET_ON_SUCCESS off), or one valid account would reset the
# address's count for an attacker.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10, minimum=3)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60  # in hours, as axes reads it
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (the User model's is «email»)
AXES_USERNAME_CALLABLE = "dksangtao.clients.login_username"
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_ENABLE_ADMIN = False  # accounts/admin.py registers the lockouts with Vietnamese labels
AXES_VERBOSE = False
# Behind the TLS proxy every request comes from the proxy: the visitor is the address the proxy
# appended last to X-Forwarded-For (dksangtao/clients.py), or one lockout would shut everybody out.
AXES_CLIENT_IP_CALLABLE = "dksangtao.clients.client_address"
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", env_bool("BEHIND_TLS_PROXY", False))
# Whom a locked-out person should call, shown on the lockout page.
LOGIN_HELP_CONTACT = env_str("LOGIN_HELP_CONTACT", "bộ phận quản trị hệ thống của Ủy ban MTTQ")
# Password reset requests: per requesting address and per e-mail address, in a rolling hour.
PASSWORD_RESET_LIMIT_PER_IP = env_int("PASSWORD_RESET_LIMIT_PER_IP", 20, minimum=1)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 5, minimum=1)
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60

# Content-Security-Policy (django-csp 4): everything from this origin, no inline script or style
# element anywhere (htmx's indicator style is in portal.css, the API docs use the split Swagger view).
# Style *attributes* stay allowed: the statistics bars and a few tables size themselves with them, and
# an attribute can carry no script. Images from here only; the API docs page adds data: for Swagger
# UI's icons (public/api/urls.py). The PDFs' base64 images are inside PDFs, not pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the portal never uses, switched off for every page (dksangtao/middleware.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# A refused form (expired session, stale page) gets the portal's Vietnamese page, not Django's.
CSRF_FAILURE_VIEW = "dksangtao.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Eager mode (no broker) logs every task at INFO and kombu warns about the in-memory URL.
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts (WARNING) stay; each step's INFO does not
    },
}

# The public database's open data and read-only API (public/). Anyone may read; nobody writes.
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env_str(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.vi"
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_RATE", "120/minute")},
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "public.api.exceptions.vietnamese_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API cơ sở dữ liệu sáng tạo «Đoàn kết sáng tạo»",
    "DESCRIPTION": (
        "Dữ liệu công khai, chỉ đọc: các sáng kiến, giải pháp đã được ghi nhận và danh sách tôn vinh."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Other sites may read the API from a browser: GET only, no cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# --- Past one machine (issue #16, item 5; README «Chạy trên nhiều máy», docs/capacity.md) ---
# Web processes and workers keep nothing on their own disk, so several machines can run them.
#
# Media on an S3-compatible object store (MinIO, Ceph, a cloud's) when MEDIA_S3_BUCKET is set; local
# disk (MEDIA_ROOT) otherwise. Files stay private either way: the bucket is never made public and no
# URL of it is handed out — every file goes through a view that checks permission (dksangtao.files).
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", None),
            "access_key": env_str("MEDIA_S3_ACCESS_KEY", None),
            "secret_key": env_str("MEDIA_S3_SECRET_KEY", None),
            "region_name": env_str("MEDIA_S3_REGION", None),
            "location": env_str("MEDIA_S3_PREFIX", ""),
            # MinIO and most self-hosted stores want path-style addresses (no bucket DNS names).
            "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            # Stored files have random names; the open-data files and their metadata are replaced in
            # place (one PUT is atomic on an object store).
            "file_overwrite": True,
        },
    }

# Celery queues: heavy work (PDFs, reports, open data, imports, backups) and the ranking each have
# their own queue, so a long PDF run cannot hold back e-mail and the minute sweeps. A worker started
# without -Q (`make worker`, the tests' workers) consumes all three; compose runs one per group.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {name: {"routing_key": name} for name in ("default", "reports", "ranking")}
CELERY_TASK_ROUTES = {
    "reports.tasks.build_report": {"queue": "reports"},
    "public.tasks.open_data_build": {"queue": "reports"},
    "public.tasks.search_words_refresh": {"queue": "reports"},
    "submissions.tasks.run_import": {"queue": "reports"},
    "dksangtao.tasks.backup_scheduled": {"queue": "reports"},
    "awards.tasks.run_ranking": {"queue": "ranking"},
    # Everything else (e-mail, the outbox, the sweeps, the daily schedulers) goes to «default».
}

# An optional read replica (PostgreSQL streaming replication). Only code inside an explicit scope
# reads from it — statistics, the report jobs, the public pages (dksangtao.routers.reads_from_replica);
# writes, and every read inside a transaction, stay on the primary. Tests point it at the same database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dksangtao.routers.ReplicaRouter"]

# Sessions stay in the database by default: every machine shares it, and a Redis outage then touches
# no signed-in page that does not cache. SESSIONS_IN_REDIS=true (with REDIS_URL) reads them through
# Redis — «cached_db»: written to both, read from Redis, the database row when Redis misses — which
# saves one indexed query per request. Never «cache» alone: ForgivingRedisCache turns an outage into
# misses and dropped writes, so sessions kept only there would be lost (everyone signed out, a login
# that does not stick). cached_db's price: while Redis hangs, every signed-in request waits for its
# socket timeouts, and a session changed or ended while Redis was unreachable (its cache write dropped)
# can be read back from a Redis that kept the old copy until that copy expires.
SESSIONS_IN_REDIS = env_bool("SESSIONS_IN_REDIS", False)
if SESSIONS_IN_REDIS and REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
