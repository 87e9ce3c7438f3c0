"""Whether this process can do its work: each dependency asked once, quickly, with the answer in plain words."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    if not settings.REDIS_URL:
        return "not used"
    cache.set("readyz", "1", timeout=10)
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.CELERY_BROKER_URL == "memory://":
        return "not used"
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return "ok"


def readiness_checks() -> dict[str, str]:
    """{"database": "ok", "cache": "ok" | "not used", "broker": ...}; a failure reads "unreachable: <reason>"."""
    results = {}
    for name, check in (("database", _database), ("cache", _cache), ("broker", _broker)):
        try:
            results[name] = check()
        except Exception as error:  # any failure of a dependency is an answer here, not a crash
            logger.warning("Readiness: %s unreachable", name, exc_info=True)
            results[name] = f"unreachable: {type(error).__name__}"
    return results
