"""Louzu settings: one file, read from environment variables.

Development needs nothing set. Production sets at least DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (see README.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "buildings.admin_scope.LouzuAdminConfig",  # the admin keeps staff to their communities
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "auditlog",
    "core",
    "buildings",
    "proposals",
    "funds",
    "activities",
    "gardens",
    "dashboard",
    "django_tasks",
    "django_tasks_db",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.compression.TextGZipMiddleware",  # removed below when LOUZU_GZIP=0
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pagecache.PageCacheMiddleware",
    "buildings.permissions.ChosenBuildingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "core.middleware.DatabaseBusyMiddleware",
    "core.submissions.SubmitOnceMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Pages are sent gzipped (core/compression.py); LOUZU_GZIP=0 leaves it to a proxy in
# front that compresses them itself (nginx with gzip on, see README.md).
LOUZU_GZIP = env_bool("LOUZU_GZIP", True)
if not LOUZU_GZIP:
    MIDDLEWARE.remove("core.compression.TextGZipMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "buildings.context_processors.navigation",
                "buildings.textsize.text_size",
            ],
            "builtins": ["core.templatetags.personal", "core.templatetags.words"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE serialises writers instead of failing them with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif env_bool("DATABASE_SERVER_SIDE_BINDING", True):
    # psycopg 3 binds parameters on the server, so a query the app repeats is prepared
    # once per connection and not planned again (planning cost more than running most
    # of our queries). Needs persistent connections to pay off; not for PgBouncer in
    # transaction mode (set DATABASE_SERVER_SIDE_BINDING=0 there).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )

AUTH_USER_MODEL = "buildings.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "buildings.backends.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "buildings.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Log-in throttling: lock out one phone number from one address, never a whole
# address (many residents share a carrier's address).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "buildings.phones.axes_username"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False
# Behind nginx, set LOUZU_PROXY_COUNT=1 so the client's address comes from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("LOUZU_PROXY_COUNT", "0"))
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded photos: on local disk (MEDIA_ROOT), or in a private S3-compatible bucket
# (AWS S3, MinIO, Aliyun OSS, Tencent COS...) when LOUZU_MEDIA_S3_BUCKET is set. Either
# way browsers fetch them from this app at /media/ (buildings.views.site.media).
MEDIA_S3_BUCKET = os.environ.get("LOUZU_MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "core.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Unset values fall back to boto3's own lookup (e.g. an instance role).
            "endpoint_url": os.environ.get("LOUZU_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("LOUZU_MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("LOUZU_MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("LOUZU_MEDIA_S3_SECRET_KEY") or None,
            # "path" for MinIO-style endpoints, "virtual" for Aliyun OSS; unset: auto.
            "addressing_style": os.environ.get("LOUZU_MEDIA_S3_ADDRESSING_STYLE")
            or None,
            "default_acl": None,  # private objects: the bucket policy decides
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# A shared cache when REDIS_URL is set (several app servers); otherwise per process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "louzu",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions and whole pages are kept in the cache only when every app process sees the
# same cache (Redis), or when there is one process (development, tests): a write in
# one process must invalidate what the others would serve.
SHARED_CACHE = bool(os.environ.get("REDIS_URL"))
if SHARED_CACHE:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOUZU_PAGE_CACHE = env_bool("LOUZU_PAGE_CACHE", SHARED_CACHE or DEBUG)
# "X-Page-Cache: hit|miss" on cached pages, for tests and the benchmark only: sent to
# everyone, it would tell a resident whether a neighbour had opened the page before them.
LOUZU_PAGE_CACHE_HEADER = env_bool("LOUZU_PAGE_CACHE_HEADER", DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: every image goes through core.uploads.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
UPLOAD_MAX_EDGE = (
    30_000  # pixels on the longer side (a phone's panorama is under 20,000)
)
UPLOAD_MAX_SIDE = 2000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Public address used in the "text for the WeChat group" and on printed QR codes.
SITE_URL = os.environ.get("LOUZU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Text messages (core/sms): log-in, registration and password-reset codes.
LOUZU_SMS_BACKEND = os.environ.get(
    "LOUZU_SMS_BACKEND", "core.sms.console.ConsoleBackend"
)  # or core.sms.aliyun.AliyunBackend, core.sms.tencent.TencentBackend
# Provider template per kind of message: "login_code=SMS_123,reset_code=SMS_456".
LOUZU_SMS_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("LOUZU_SMS_TEMPLATES", "") if "=" in item
)
LOUZU_SMS_SIGN_NAME = os.environ.get("LOUZU_SMS_SIGN_NAME", "")  # 短信签名
LOUZU_SMS_TIMEOUT = int(os.environ.get("LOUZU_SMS_TIMEOUT", "5"))  # seconds
# Aliyun SMS (dysmsapi); the endpoint can point elsewhere (tests use a local stand-in).
LOUZU_ALIYUN_ACCESS_KEY_ID = os.environ.get("LOUZU_ALIYUN_ACCESS_KEY_ID", "")
LOUZU_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("LOUZU_ALIYUN_ACCESS_KEY_SECRET", "")
LOUZU_ALIYUN_SMS_ENDPOINT = os.environ.get(
    "LOUZU_ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"
)
LOUZU_ALIYUN_SMS_PROTOCOL = os.environ.get("LOUZU_ALIYUN_SMS_PROTOCOL", "https")
# Tencent Cloud SMS (sms v20210111).
LOUZU_TENCENT_SECRET_ID = os.environ.get("LOUZU_TENCENT_SECRET_ID", "")
LOUZU_TENCENT_SECRET_KEY = os.environ.get("LOUZU_TENCENT_SECRET_KEY", "")
LOUZU_TENCENT_SMS_APP_ID = os.environ.get("LOUZU_TENCENT_SMS_APP_ID", "")
LOUZU_TENCENT_SMS_REGION = os.environ.get("LOUZU_TENCENT_SMS_REGION", "ap-guangzhou")
LOUZU_TENCENT_SMS_ENDPOINT = os.environ.get(
    "LOUZU_TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"
)
LOUZU_TENCENT_SMS_SCHEME = os.environ.get("LOUZU_TENCENT_SMS_SCHEME", "https")
# Codes by text message: how many a phone number, an address and the whole site may
# ask for, so nobody can run up the bill or bother a stranger's phone.
LOUZU_CODE_MINUTES = 5
LOUZU_CODE_GAP_SECONDS = int(os.environ.get("LOUZU_CODE_GAP_SECONDS", "60"))
LOUZU_CODES_PER_PHONE_PER_DAY = int(os.environ.get("LOUZU_CODES_PER_PHONE", "5"))
LOUZU_CODES_PER_ADDRESS_PER_HOUR = int(os.environ.get("LOUZU_CODES_PER_ADDRESS", "20"))
LOUZU_CODES_PER_DAY = int(os.environ.get("LOUZU_CODES_PER_DAY", "5000"))
LOUZU_CODE_TRIES = 5  # wrong guesses before a code is void

# Test-only pause at the dangerous point of guarded writes, to make races reproducible.
LOUZU_RACE_PAUSE = 0.0
# Test-only switch that turns the concurrency guards off (the twin tests).
LOUZU_GUARDS_OFF = False

# An issue report nobody has answered after this many hours is flagged overdue.
LOUZU_ISSUE_RESPONSE_HOURS = int(os.environ.get("LOUZU_ISSUE_RESPONSE_HOURS", "48"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers ask over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Shown in the admin's header.
ADMIN_SITE_HEADER = _("Louzu administration")

# Where notifications go besides the in-app inbox (dotted paths, comma-separated).
LOUZU_NOTIFICATION_SENDERS = env_list(
    "LOUZU_NOTIFICATION_SENDERS",
    "outbox.services.queue_notification,outbox.group_posts.queue_for_notification"
    + (",buildings.notify.console_sender" if DEBUG else ""),
)

# The task queue that delivers notifications and runs the periodic jobs (`manage.py
# worker`). LOUZU_TASKS=db (the default): the database, nothing else to run. LOUZU_TASKS=rq:
# a Redis queue (RQ) for several app servers and workers (see the README).
LOUZU_TASKS = os.environ.get("LOUZU_TASKS", "db")
if LOUZU_TASKS not in ("db", "rq"):
    raise ImproperlyConfigured("LOUZU_TASKS must be db or rq.")
if LOUZU_TASKS == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("LOUZU_TASKS_REDIS_URL")
            or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": 300,
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Kinds sent by SMS even in the quiet hours (21:00-08:00), comma-separated.
LOUZU_SMS_URGENT_KINDS = env_list("LOUZU_SMS_URGENT_KINDS")
# WeCom group robots post here; tests point it at a local stand-in.
LOUZU_WECOM_BASE_URL = os.environ.get(
    "LOUZU_WECOM_BASE_URL", "https://qyapi.weixin.qq.com"
)

# A printed lobby notice (公示: fund statement, vote result) stays up this many days,
# counted from the day it is printed; the poster says from when to when.
NOTICE_POSTING_DAYS = int(os.environ.get("LOUZU_NOTICE_POSTING_DAYS", "7"))
