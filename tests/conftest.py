"""Shared fixtures, and the rule for tests that need a real service.

A test marked `postgres`, `redis` or `browser` runs when the service is there. When it is not, it is skipped
with the reason, except in CI (CI set), where a missing service fails the test: CI must prove the real thing.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread; the ORM calls our tests make beside it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
IN_CI = bool(os.environ.get("CI"))


def _postgres_absent() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    return None


def _redis_absent() -> str | None:
    if not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://…"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"needs Redis at REDIS_URL, which did not answer: {error}"
    return None


def _browser_absent() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


SERVICE_CHECKS = {"postgres": _postgres_absent, "redis": _redis_absent, "browser": _browser_absent}


def pytest_runtest_setup(item):
    for marker, absent in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = absent()
        if reason is None:
            continue
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: with REDIS_URL it is shared, and rate-limit counters (allauth's,
    the public forms') would otherwise carry from one test, or one run, to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads made by a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread, consuming from Redis: tasks go through the broker, not eagerly."""
    from celery.contrib.testing.worker import start_worker

    from cohort_site.celery import app

    reason = _redis_absent()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(reason)
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with nothing phoning home (this machine has no network)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot_dir(request) -> Path:
    """test-results/<test name>/: where a browser test saves what it saw."""
    folder = Path(settings.BASE_DIR) / "test-results" / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --- A Redis of the test's own, to stop: outages are real, and the shared Redis is never touched ----------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis():
    """A redis-server of the test's own; yields its URL and a function that stops it."""
    if not Path(REDIS_SERVER).exists():
        reason = "needs redis-server (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)
        pytest.skip(reason)
    port = spare_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)

    def stop():
        server.terminate()
        server.wait(timeout=10)

    yield url, stop
    if server.poll() is None:
        stop()


@pytest.fixture
def site_on(settings, private_redis):
    """The site's cache and broker on the private Redis; yields the function that stops it."""
    url, stop = private_redis
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield stop


@pytest.fixture
def cache_on_a_silent_redis(settings):
    """The site's cache on a "Redis" that takes connections and never answers (a frozen host, a partition), with
    the production settings' timeouts; tasks run in the web process, as the broker is the mail engine's part."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # the kernel completes each connection; nothing ever reads or replies
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.REDIS_URL = url
        settings.CACHES = {
            "default": {
                "BACKEND": "cohort_site.core.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        }
        settings.CELERY_TASK_ALWAYS_EAGER = True
        yield url
