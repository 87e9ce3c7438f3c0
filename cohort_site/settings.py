"""The one settings module, read from the environment (see .env.example for every variable).

Defaults are for a laptop: SQLite, tasks run eagerly, emails printed to the console. Production is
whatever sets DEBUG off, and then SECRET_KEY and ALLOWED_HOSTS must be given or start-up stops.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def redis_needs_password(url: str) -> bool:
    """Whether a Redis URL reaches another host (not loopback, not a Unix socket) without a password."""
    parts = urlsplit(url)
    return parts.scheme in ("redis", "rediss") and parts.hostname not in LOOPBACK_HOSTS and not parts.password


env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # No defaults: a production start without these raises ImproperlyConfigured.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The name people see in page titles and every email (allauth's sign-in code greets and signs off with it).
SITE_NAME = env("SITE_NAME", default="Connection Coalition cohorts")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "cohort_site.core.admin_site.CohortAdminConfig",  # django.contrib.admin, its menu built lazily
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "cohort_site.core",
    "cohort_site.mail",
    "cohort_site.members",
    "applications",
    "sessions_app",
    "pairings",
    "learning",
    "cohort_site.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for browsers that ask (16 KB of programme page is 4 KB); after whitenoise, which serves
    # its static files already compressed. Django adds random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # A visitor's kept public page (no session or message cookie), served before the rest of the stack with the
    # same headers; applications/middleware.py.
    "applications.middleware.VisitorPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the headers, so a timed-out staff member's redirect still carries them.
    "cohort_site.core.middleware.StaffIdleTimeoutMiddleware",
    "cohort_site.core.middleware.SecurityHeadersMiddleware",
    # Inside the headers, so its 400 page carries them too; before any view reads the request's data.
    "cohort_site.core.middleware.NulByteMiddleware",
    # Last, so it sees the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cohort_site.urls"
WSGI_APPLICATION = "cohort_site.wsgi.application"

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
                "cohort_site.core.context_processors.site",
                "cohort_site.demo.context_processors.demo_sign_in",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when the worker and the web process both write.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL and not DEBUG and redis_needs_password(REDIS_URL):
    # Anyone who can write to the broker can make the workers run tasks: in production, Redis on another host
    # is reached with a password (redis://:PASSWORD@host:6379/0), or start-up stops.
    raise ImproperlyConfigured("REDIS_URL names a Redis on another host without a password: add one.")
# A Redis that stops answering (a network partition, a frozen host) costs each cache call a second at most, then
# it counts as unreachable: pages render in full and the rate limits fail open, instead of every request hanging.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    # Django's, keeping one client per connection pool (cohort_site/core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "cohort_site.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The member's dashboard kept for the rest of the minute, per member, until anything it shows changes
# (cohort_site/dashboards/member_page.py). It needs a cache every process shares: without Redis, the worker's
# writes would not reach the web process's version.
MEMBER_PAGE_CACHE = env.bool("MEMBER_PAGE_CACHE", default=bool(REDIS_URL))

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:after_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "cohort_site.mail.account_adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# An optional password field makes allauth show one at sign-in, for staff; members use an emailed code.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A sign-in code dies after this many wrong guesses (allauth's default, stated like the rate limits below).
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
# How long a sign-in code works, in seconds (allauth's default); the pages and the email say it in minutes.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 180
# allauth's forms with our words: what to do after a wrong code, and how long to wait after too many tries.
ACCOUNT_FORMS = {
    "login": "cohort_site.core.sign_in.PasswordSignInForm",
    "request_login_code": "cohort_site.core.sign_in.SignInRequestCodeForm",
    "confirm_login_code": "cohort_site.core.sign_in.SignInConfirmCodeForm",
    "request_reauthentication_code": "cohort_site.core.sign_in.ReauthenticationRequestCodeForm",
    "confirm_reauthentication_code": "cohort_site.core.sign_in.ReauthenticationConfirmCodeForm",
    "change_password": "cohort_site.core.account_forms.ChangePasswordForm",
    "reset_password": "cohort_site.core.account_forms.ResetPasswordForm",
    "reset_password_from_key": "cohort_site.core.account_forms.ResetPasswordKeyForm",
}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# allauth's changes that ask who you are again (within the last 5 minutes) do so for members by a code emailed to
# them (they have no password), staff by their password or, if they prefer, a code. (Setting a password and
# managing addresses, which asked it of members, are turned away to the profile: cohort_site/urls.py.)
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "code")
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
# Each request for a sign-in code emails one. Beside allauth's per-minute limits, one address is sent at most
# LOGIN_CODES_PER_ADDRESS_PER_HOUR an hour (nobody fills a member's inbox with codes) and one client at most
# LOGIN_CODES_PER_CLIENT_PER_HOUR (nobody sprays codes at many inboxes). The code page says so.
LOGIN_CODES_PER_ADDRESS_PER_HOUR = env.int("LOGIN_CODES_PER_ADDRESS_PER_HOUR", default=5)
LOGIN_CODES_PER_CLIENT_PER_HOUR = env.int("LOGIN_CODES_PER_CLIENT_PER_HOUR", default=30)
# allauth's rate limits are on by default; stated here so nobody turns them off by accident.
ACCOUNT_RATE_LIMITS = {
    "request_login_code": (
        f"20/m/ip,3/m/key,{LOGIN_CODES_PER_ADDRESS_PER_HOUR}/h/key,{LOGIN_CODES_PER_CLIENT_PER_HOUR}/h/ip"
    ),
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# django-axes guards every password sign-in (its backend comes first above), the Django admin's included, which
# allauth's limits do not cover. It locks a client address that fails for one account, and a client address
# that fails for any accounts; never an account from everywhere, which would let a stranger lock the manager
# out. The owner is told by email instead (mail/signin_alerts.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The client's address as everything else reads it (TRUSTED_PROXY_COUNT hops from the right).
AXES_CLIENT_IP_CALLABLE = "cohort_site.core.requests.client_ip"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
# A page that says what happened and for how long, instead of axes' one line of plain text.
AXES_LOCKOUT_CALLABLE = "cohort_site.core.lockout.admin_locked_out"
# The admin posts the address as "username" (axes would look for "email", our USERNAME_FIELD, and find nothing).
AXES_USERNAME_CALLABLE = "cohort_site.core.lockout.client_username"

# --- Email ----------------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:pass@host:587 (+tls), consolemail://, filemail:///path. Dev default prints to the console.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
if DEBUG and "EMAIL_URL" not in env:
    # Development without a mail server: one line per email in the terminal (the whole message is in the outbox).
    EMAIL_BACKEND = "cohort_site.mail.backends.TerminalEmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Connection Coalition <noreply@cohort.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
# Without Redis, `manage.py devserver` (make run) sets EMBEDDED_BROKER_DIR: its worker, beat and web server then
# share a broker kept as files in that folder (kombu's filesystem transport: nothing to install or start, and
# one machine is all a demo has). With neither, tasks run in the web process as they are queued.
EMBEDDED_BROKER_DIR = env("EMBEDDED_BROKER_DIR", default="")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # kombu's Redis transport, except that a malformed message is logged and discarded instead of stopping the
    # worker (cohort_site/broker.py).
    CELERY_BROKER_TRANSPORT = "cohort_site.broker:Transport"
elif EMBEDDED_BROKER_DIR:
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(BASE_DIR / EMBEDDED_BROKER_DIR / "queue"),
        "data_folder_out": str(BASE_DIR / EMBEDDED_BROKER_DIR / "queue"),
        "control_folder": str(BASE_DIR / EMBEDDED_BROKER_DIR / "control"),
    }
else:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = False
# A task is acknowledged only after it ran, so a crashed worker's task is delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "cohort_site.core.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    "outbox-sweep": {"task": "cohort_site.mail.tasks.outbox_sweep_task", "schedule": crontab(minute="*")},
    # Every rule of the privacy page (/privacy/), recruitment data among them: manage.py enforce_retention.
    "retention-enforce": {
        "task": "cohort_site.core.tasks.retention_enforce_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every minute, like the sweep: what is due is read from the database, so a run costs a few indexed queries.
    "reminders-dispatch": {
        "task": "cohort_site.mail.tasks.reminders_dispatch_task",
        "schedule": crontab(minute="*"),
    },
}
# Periodic tasks have a queue of their own, so a backlog of emails (10,000 reminders at once) does not hold up the
# sweep, the dispatcher or retention behind it. Every worker consumes both queues (these are its defaults: the
# devserver's, docker-compose's and the tests' workers need no -Q), taking from each in turn.
CELERY_TASK_DEFAULT_QUEUE = "celery"
PERIODIC_QUEUE = "periodic"
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(PERIODIC_QUEUE)]
CELERY_TASK_ROUTES = {entry["task"]: {"queue": PERIODIC_QUEUE} for entry in CELERY_BEAT_SCHEDULE.values()}

# --- Recruitment --------------------------------------------------------------------------------
# Posts to each public form (interest, application) accepted from one client address: "count/period", the
# period in s, m, h or d. Counted in the cache (Redis when REDIS_URL is set, so all web processes share it).
PUBLIC_FORM_RATE_LIMIT = env("PUBLIC_FORM_RATE_LIMIT", default="10/h")
# How long before a drop-in starts the people who registered interest are reminded of it.
DROP_IN_REMINDER_LEAD = timedelta(minutes=env.int("DROP_IN_REMINDER_MINUTES", default=60))

# --- Retention: what the privacy page (/privacy/) promises, enforced daily by manage.py enforce_retention ------
# Unsuccessful applications and expressions of interest are deleted this many days after the application deadline.
RECRUITMENT_RETENTION = timedelta(days=env.int("RECRUITMENT_RETENTION_DAYS", default=180))
# Members' written answers, apology notes and feedback comments are removed this long after their group's last
# session (statuses, attendance, ratings and coffee "we met" dates stay as anonymous counts).
MEMBER_DATA_RETENTION = timedelta(days=env.int("MEMBER_DATA_RETENTION_DAYS", default=730))
# Receipts are deleted this long after a claim is paid or rejected (six years: what the accounts need).
EXPENSE_RECEIPT_RETENTION = timedelta(days=env.int("EXPENSE_RECEIPT_RETENTION_DAYS", default=2190))
# The text, subject, address and attachments of a sent (or failed) email are removed this long after.
EMAIL_BODY_RETENTION = timedelta(days=env.int("EMAIL_BODY_RETENTION_DAYS", default=365))
# Sign-in records (successful and failed attempts, lockouts) are deleted this long after the attempt.
SIGNIN_LOG_RETENTION = timedelta(days=env.int("SIGNIN_LOG_RETENTION_DAYS", default=90))

# --- Backups: manage.py backup / restore; docker-compose's `backup` service runs `backup --nightly` -------------
# Where archives are written (never inside MEDIA_ROOT). They hold everyone's personal data: copy them off the
# server to storage you control (README), and keep those copies no longer than these archives are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))
# Pruning keeps the newest archive of each of the last BACKUP_KEEP_DAILY days and of each of the last
# BACKUP_KEEP_WEEKLY weeks: erased or expired data leaves the backups within max(daily, 7 x weekly) days, which the
# privacy page states.
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=14)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=8)
# When `backup --nightly` runs, UK time (HH:MM); before enforce_retention's 03:30.
BACKUP_TIME = env("BACKUP_TIME", default="02:30")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "cohort_site.core.storage.CompleteFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (receipts) are private: served only through permission-checked views, never from MEDIA_URL.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
# Staff are signed out after this many hours without a request (members keep SESSION_COOKIE_AGE). The time of
# the last request is rewritten in the session at most once per STAFF_ACTIVITY_RESOLUTION.
STAFF_IDLE_TIMEOUT = timedelta(hours=env.float("STAFF_IDLE_TIMEOUT_HOURS", default=4))
STAFF_ACTIVITY_RESOLUTION = timedelta(minutes=5)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a proxy that terminates TLS, trust its X-Forwarded-Proto only when told to.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies sit in front of the app; the client IP is read that many hops from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# allauth's per-client limits read the same hop (otherwise, behind a proxy, every visitor would share one count).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
