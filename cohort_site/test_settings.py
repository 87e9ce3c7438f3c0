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


def redis_url_for_worker(url: str, worker: str) -> str:
    """`url` with its database number moved up by the pytest-xdist worker's index ("gw1": one up)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number}"))


# Under pytest-xdist each worker has a Redis database of its own, as pytest-django gives it a test database of its
# own: one worker's cache.clear() or Celery queue never touches another's.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The Celery worker thread in tests must not hold a connection open past each task, or the test database
# cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
AXES_ENABLED = False
WHITENOISE_AUTOREFRESH = True  # tests serve static files from the source folders, no collectstatic
