"""One settings module for every environment; everything that varies comes from the environment.

Secure by default: DEBUG is off unless DJANGO_DEBUG is set, and a missing secret key is an error
outside DEBUG. `.env.example` lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Never a built-in key outside DEBUG: left empty, Django refuses anything that signs (sessions,
# CSRF, passwords resets) until DJANGO_SECRET_KEY is set, while commands that sign nothing
# (migrations, checks) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "archive.core.give_back.csrf_failure"  # gives the refused form's text back

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "csp",
    "django_ratelimit",
    "archive.core",
    "archive.caching",
    "archive.accounts",
    "archive.tags",
    "archive.stories",
    "archive.series",
    "archive.chapters",
    "archive.comments",
    "archive.kudos",
    "archive.bookmarks",
    "archive.notifications",
    "archive.cocreators",
    "archive.publishing",
    "archive.history",
    "archive.hits",
    "archive.downloads",
    "archive.opds",
    "archive.wrangling",
    "archive.discovery",
    "archive.search",
    "archive.profiles",
    "archive.demo",
]

MIDDLEWARE = [
    # Before anything reads the query or the cookies: no NUL reaches the database from them.
    "archive.core.middleware.NoNulMiddleware",
    # Which database this request reads from: a replica, or the primary after the visitor wrote.
    "archive.core.replicas.ReplicaMiddleware",
    # Logged-out readers' pages from the cache, before the session, CSRF and auth middleware:
    # a page served from it costs one cache round trip (archive/caching/middleware.py).
    "archive.caching.middleware.SharedPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns django-ratelimit's Ratelimited (a PermissionDenied) into RATELIMIT_VIEW's 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Logged-in readers' copies of the same pages, filled with each reader's own parts: last, so
    # the reader is known (archive/caching/middleware.py).
    "archive.caching.middleware.ReaderPageCacheMiddleware",
]

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
                "archive.core.context_processors.site",
                "archive.notifications.context_processors.unread_notifications",
                "archive.caching.context_processors.shared_csrf_token",
            ],
            # {% url %} from a frame kept per view where its arguments are ids (after Django's own).
            "builtins": ["archive.core.templatetags.url_frames"],
        },
    },
]

# SQLite is the embedded quickstart; PostgreSQL (DATABASE_URL) is the real engine.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that reads the socket instead of asking the server
    # (archive/core/postgresql/base.py): one round trip fewer on every request.
    DATABASES["default"]["ENGINE"] = "archive.core.postgresql"
    # Page-sized queries gain nothing from JIT compilation and pay its start-up on every run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (two tabs, runserver's threads) take turns instead of failing with
    # "database is locked": WAL lets readers go on while one writes; IMMEDIATE takes the write
    # lock when a transaction begins, so two that read and then write can't block each other for
    # good; and a writer waits up to `timeout` seconds for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file next to the database rather than Django's shared in-memory database, in
    # which writers from other threads fail at once ("database table is locked") instead of waiting.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}-test"}

# Read replicas (archive/core/replicas.py): PostgreSQL streaming replicas that take the reads of
# web requests, while writes, and a visitor's reads for REPLICA_PIN_SECONDS after they wrote, go
# to the primary; a replica that is down or more than REPLICA_MAX_LAG_SECONDS behind is left out
# until it catches up. Background jobs and commands read from the primary.
DATABASE_REPLICAS = []
for _number, _url in enumerate(filter(None, os.environ.get("DATABASE_REPLICA_URLS", "").split(",")), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url.strip(), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[_alias]["ENGINE"] = "archive.core.postgresql"  # as the primary's, above
    DATABASES[_alias]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2}
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["archive.core.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = float(os.environ.get("ARCHIVE_REPLICA_PIN_SECONDS", "5"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("ARCHIVE_REPLICA_MAX_LAG_SECONDS", "10"))

# Covering indexes (INCLUDE) are PostgreSQL's; SQLite builds the same index without the extra
# column, which is all the quickstart needs.
SILENCED_SYSTEM_CHECKS = [
    "models.W040",
    # django-ratelimit lists only django-redis and memcached, but Django's own RedisCache counts
    # with Redis INCR, which is atomic across workers (W001); without REDIS_URL the per-process
    # local-memory cache still limits each worker (E003), and archive.core's deploy check says so.
    "django_ratelimit.W001",
    "django_ratelimit.E003",
]

# The largest form a request may carry, as sent: a new work with its first chapter, every field
# at its limit, in the costliest characters. 577,360 characters (chapter text 510,000; 75 tags of
# 150 characters plus ", " in each of the 4 tag fields, 45,600; 4 notes of 5,000; a summary of
# 1,250; 2 titles of 255), at 4 bytes of UTF-8 each, each byte percent-encoded as 3 ("%F0"):
# 6,928,320 bytes. 8 MiB leaves about 20% for the choices, field names and token. Django's 2.5 MiB
# refused a 300,000-character chapter in Chinese before any view saw it. A post larger still is
# answered by archive.core.views.bad_request; archive/core/tests/test_request_size.py recomputes
# the sum from the limits. The proxy in front must accept as much (nginx: client_max_body_size 8m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Redis when REDIS_URL is set (shared by every worker: rate limits, counters); otherwise each
# process keeps its own cache in memory, which is all a single development server needs.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "archive.caching.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Room for a few pages' comment fragments beside the counters (Django's default is 300).
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    )
}

# Whether every worker sees the same cache. What is kept under versions (pages, fragments, a
# work's index) is kept by default only then: with each process keeping its own cache, a change
# made in one worker would not move the versions another one keeps them under.
SHARED_CACHE = bool(REDIS_URL)

# The shared page cache (archive/caching): logged-out readers' pages, kept by version and served
# from the cache; on by default where the cache is shared.
# PAGE_CACHE_SECONDS is how long a kept list of works lives, and so how far the counts on its
# cards (hits) may lag. A work's own pages follow its version alone (their hit count is filled in
# as they are served), and WORK_PAGE_CACHE_SECONDS only bounds how long an unread one stays.
PAGE_CACHE = env_bool("ARCHIVE_PAGE_CACHE", default=SHARED_CACHE)
PAGE_CACHE_SECONDS = int(os.environ.get("ARCHIVE_PAGE_CACHE_SECONDS", "60"))
WORK_PAGE_CACHE_SECONDS = int(os.environ.get("ARCHIVE_WORK_PAGE_CACHE_SECONDS", "3600"))
# Each worker also keeps the pages it served lately, up to this many bytes, still checking their
# versions in the shared cache on every use: a page served from it needs no copy from Redis.
PAGE_CACHE_PROCESS_BYTES = int(os.environ.get("ARCHIVE_PAGE_CACHE_PROCESS_BYTES", str(32 * 1024 * 1024)))
# Fragments every reader shares (story cards, comment bylines and text), kept under keys that
# name what they show (archive/stories/cards.py, archive/comments/fragments.py), and what a work's
# reading pages and the front page's Continue reading box keep under versions
# (archive/chapters/reading.py, archive/history/reader_parts.py); on by default where the cache
# is shared, as the page cache. A logged-in reader's account is kept only with PAGE_CACHE
# (archive/accounts/kept.py).
FRAGMENT_CACHE = env_bool("ARCHIVE_FRAGMENT_CACHE", default=SHARED_CACHE)

# Background jobs (config/celery.py, archive/core/jobs.py): notification fan-out, e-mail and hit
# flushing. With CELERY_BROKER_URL (Redis: redis://127.0.0.1:6379/1) tasks are queued for
# `make worker`; without one they run in the process that queues them, after its transaction
# commits, which is what the quickstart and the tests use.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is taken off the queue only once it has run: a worker killed midway leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "archive")
# A broker that does not answer is given up on quickly: the job then runs in the request
# (archive/core/jobs.py) rather than the request waiting on the broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "flush-hits": {"task": "archive.hits.tasks.flush_hits", "schedule": 60.0},
    "send-waiting-emails": {"task": "archive.core.tasks.send_waiting_emails", "schedule": 300.0},
    # Yesterday's kudos, bookmarks and subscribers, one e-mail an author, after the UTC day ends.
    "send-digests": {"task": "archive.notifications.tasks.send_digests", "schedule": crontab(hour=0, minute=30)},
}
CELERY_TIMEZONE = "UTC"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Ours loads a logged-in user with one plain query (archive/accounts/backends.py); Django's stays
# for sessions it began.
AUTHENTICATION_BACKENDS = ["archive.accounts.backends.ArchiveModelBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "stories:dashboard"
LOGOUT_REDIRECT_URL = "stories:home"

SITE_NAME = os.environ.get("ARCHIVE_SITE_NAME", "Open Fic Archive")

# Argon2 for new and changed passwords; the others still verify older hashes, which Django
# upgrades to Argon2 at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "archive.core.storage.StaticFilesStorage"
        )
    },
}
# Production serves what collectstatic gathered (hashed names, far-future caching);
# development serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis) and written through to the database: a logged-in page
# costs one query fewer, and a session outlives a cache flush.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and env_bool("DJANGO_HTTPS"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_HTTPS")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts, styles and fonts only from our own static files: no inline <script>, no on*=""
# handlers, no style="" (templates and static/js keep to that). Images in chapter text may come
# from other HTTPS sites, as on the Archive of Our Own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Abuse limits (archive/core/ratelimits.py): how many times one user, or one address for guests,
# may do each thing, as "count/period" (s, m, h, d; "10/15m" is ten per fifteen minutes).
# Numbers a real reader or author never reaches.
RATE_LIMITS = {
    "signup": "20/h",  # sign-up forms sent
    # Failed log-ins (the site's and the admin's), counted twice (archive/accounts/forms.py):
    # per account, whatever address the guesses come from, so a password can't be guessed from
    # many addresses; and per address, across accounts, so one address can't try a password on
    # many accounts. The address limit is five times the account's so that one reader's typos
    # behind a shared address (a school, a library, a phone network) lock out only their own
    # account, while ten readers there can each mistype their own password ten times.
    "login_account": "10/15m",
    "login_address": "50/15m",
    "kudos": "100/h",
    "work": "30/h",  # new works, each with its first chapter
    "chapter": "60/h",  # new chapters
    "comment": "10/m",
    "cocreator_invitation": "30/h",  # invitations sent: nobody's inbox is filled with them
    # Forgotten-password forms sent, per address, and per account asked about (whoever asks):
    # nobody can fill a mailbox with reset links (archive/accounts/views.py).
    "password_reset": "10/h",
    "password_reset_account": "5/h",
    # Changes to one's own account (password, e-mail address, deletion, confirmations resent):
    # the current password can't be guessed from a session left open.
    "account_change": "20/h",
}
RATELIMIT_VIEW = "archive.core.views.rate_limited"
# Behind a proxy every request comes from the proxy: count the address it forwards instead.
RATELIMIT_IP_META_KEY = "archive.core.ratelimits.client_ip"
# A cache that cannot count (an entry expiring mid-request) lets the request through rather than
# refusing everyone.
RATELIMIT_FAIL_OPEN = True

# Notification e-mails: printed to the console in development or without a mail server,
# sent over SMTP once EMAIL_HOST is set (DJANGO_EMAIL_BACKEND overrides either).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
# The folder django.core.mail.backends.filebased.EmailBackend writes each e-mail to, as a file.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
# Links in e-mails need the archive's own address.
ARCHIVE_SITE_URL = os.environ.get("ARCHIVE_SITE_URL", "http://127.0.0.1:8000")

# Taggit keeps names as typed; tags are looked up case-insensitively by our own services.
TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
