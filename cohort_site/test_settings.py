"""Settings for the test suite: the real settings with a test key and fast password hashing.

DATABASE_URL and REDIS_URL pass through, so CI runs the same suite against PostgreSQL and Redis.
Tasks run eagerly unless a test starts a real worker (tests/conftest.py).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("EMAIL_URL", "smtp://localhost:25")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The Celery worker thread in tests must not hold a connection open past each task, or the test database
# cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
AXES_ENABLED = False
WHITENOISE_AUTOREFRESH = True  # tests serve static files from the source folders, no collectstatic
