"""A version kept in the shared cache and replaced whenever what it stands for changes, so that what is kept under
it (a page) is never served after a change. A fresh random value each time, never a counter, so an evicted
version cannot come back to an old one, and every process sees a replacement at once. The public pages have one
(`applications.page_cache`), and so does what the database holds (`cohort_site.core.data_version`)."""

import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from redis import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


def new_value() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class CacheVersion:
    key: str
    name: str  # what it versions, as the log says it ("Public pages")

    def current(self) -> str | None:
        """The current version, or None when the cache cannot be reached (then keep nothing, render in full)."""
        try:
            version = cache.get(self.key)
            if version is None:
                cache.add(self.key, new_value(), timeout=None)
                version = cache.get(self.key)
        except CACHE_ERRORS:
            logger.warning("%s not kept: the cache is unreachable", self.name, exc_info=True)
            return None
        return version

    def replace(self) -> None:
        try:
            cache.set(self.key, new_value(), timeout=None)
        except CACHE_ERRORS:
            logger.warning("%s not invalidated: the cache is unreachable", self.name, exc_info=True)
