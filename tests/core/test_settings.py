"""The settings module read from the environment: each case loads it in a fresh interpreter."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE_ENV_DROPPED = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_with_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in BASE_ENV_DROPPED}
    clean.update(env, DJANGO_SETTINGS_MODULE="cohort_site.settings")
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )


def settings_value(env: dict[str, str], expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run_with_settings(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_database_is_sqlite_without_database_url():
    assert (
        settings_value({"DEBUG": "1"}, "settings.DATABASES['default']['ENGINE']")
        == "django.db.backends.sqlite3"
    )


def test_database_is_postgresql_with_database_url():
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cohort"}
    assert settings_value(env, "settings.DATABASES['default']['ENGINE']") == "django.db.backends.postgresql"


def test_celery_is_eager_and_cache_local_without_redis_url():
    value = settings_value(
        {"DEBUG": "1"}, "settings.CELERY_TASK_ALWAYS_EAGER, settings.CACHES['default']['BACKEND']"
    )
    assert value == "True django.core.cache.backends.locmem.LocMemCache"


def test_celery_uses_redis_broker_and_cache_with_redis_url():
    env = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    value = settings_value(
        env,
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND']",
    )
    assert (
        value == "False redis://127.0.0.1:6379/0 cohort_site.core.cache.RedisCache"
    )  # Django's, one client per pool


def test_production_refuses_to_start_without_secret_key():
    result = run_with_settings({"ALLOWED_HOSTS": "cohort.example.org"}, "manage.py", "check")
    assert result.returncode == 1
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_with_settings({"SECRET_KEY": secrets.token_urlsafe(50)}, "manage.py", "check")
    assert result.returncode == 1
    assert "ImproperlyConfigured: Set the ALLOWED_HOSTS environment variable" in result.stderr


def test_production_refuses_a_redis_on_another_host_without_a_password():
    production = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "cohort.example.org"}

    refused = run_with_settings({**production, "REDIS_URL": "redis://redis:6379/0"}, "manage.py", "check")
    with_password = run_with_settings(
        {**production, "REDIS_URL": "redis://:s3cret@redis:6379/0"}, "manage.py", "check"
    )
    loopback = run_with_settings(
        {**production, "REDIS_URL": "redis://127.0.0.1:6379/0"}, "manage.py", "check"
    )

    assert refused.returncode == 1
    assert (
        "ImproperlyConfigured: REDIS_URL names a Redis on another host without a password" in refused.stderr
    )
    assert (with_password.returncode, loopback.returncode) == (0, 0), with_password.stderr + loopback.stderr


def test_celery_reads_redis_through_the_transport_that_survives_malformed_messages():
    env = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert settings_value(env, "settings.CELERY_BROKER_TRANSPORT") == "cohort_site.broker:Transport"


def test_deploy_check_is_clean_with_production_settings():
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "cohort.example.org"}
    result = run_with_settings(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.postgres
def test_suite_runs_on_postgresql_when_database_url_is_set(db):
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_staff_idle_timeout_is_read_from_the_environment():
    env = {"DEBUG": "1", "STAFF_IDLE_TIMEOUT_HOURS": "2"}
    assert (
        settings_value(env, "settings.STAFF_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE") == "2:00:00 1209600"
    )


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "gw0", "redis://127.0.0.1:6379/0"),
        ("redis://127.0.0.1:6379/0", "gw3", "redis://127.0.0.1:6379/3"),
        ("redis://:secret@redis:6379/4", "gw1", "redis://:secret@redis:6379/5"),
        ("redis://127.0.0.1:6379", "gw2", "redis://127.0.0.1:6379/2"),
    ],
)
def test_each_test_worker_has_a_redis_database_of_its_own(url, worker, expected):
    from cohort_site.test_settings import redis_url_for_worker

    assert redis_url_for_worker(url, worker) == expected


def test_redis_calls_give_up_after_a_second():
    """A silent Redis is unreachable after a second, not waited for (tests/applications/test_outage.py)."""
    assert settings.REDIS_CACHE_OPTIONS == {"socket_connect_timeout": 1, "socket_timeout": 1}
