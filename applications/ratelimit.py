"""A per-client-address limit on posts to the public forms, counted in the Django cache."""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from redis import RedisError

from cohort_site.core.requests import client_ip

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """'10/h' → 10 per 3600 seconds; '5/10m' → 5 per 600 seconds."""
    try:
        count, period = text.strip().split("/")
        unit = period[-1]
        multiple = int(period[:-1]) if period[:-1] else 1
        rate = Rate(count=int(count), seconds=multiple * PERIOD_SECONDS[unit])
    except (ValueError, KeyError, IndexError) as error:
        raise ImproperlyConfigured(f"PUBLIC_FORM_RATE_LIMIT {text!r} is not like '10/h'.") from error
    if rate.count < 1:
        raise ImproperlyConfigured("PUBLIC_FORM_RATE_LIMIT must allow at least one post.")
    return rate


def rate_limit_exceeded(request, *, scope: str) -> bool:
    """Count this request against its client address and say whether it goes over the limit.

    A fixed window: the count lives under a key naming the window, and expires with it.
    """
    rate = parse_rate(settings.PUBLIC_FORM_RATE_LIMIT)
    window = int(time.time() // rate.seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add and incr: this is the first post of a new window.
            cache.set(key, 1, timeout=rate.seconds + 1)
            count = 1
    except (RedisError, OSError):
        # Fails open: with the cache unreachable, an application is worth more than the limit it escapes.
        logger.warning("Rate limit not counted for %s: the cache is unreachable", scope, exc_info=True)
        return False
    return count > rate.count
