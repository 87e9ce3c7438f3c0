"""A malformed message on the broker is logged and discarded; the worker goes on (cohort_site/broker.py)."""

import json

import pytest
import redis
from django.conf import settings
from django.db import transaction

from cohort_site.core.models import Heartbeat
from cohort_site.core.tasks import heartbeat
from tests.core.test_celery import wait_for

GARBAGE = [b"not json at all", json.dumps({"body": "no envelope"}).encode(), b"\xff\xfe not text"]


@pytest.mark.redis
def test_worker_discards_malformed_messages_and_runs_the_next_task(celery_worker, caplog):
    broker = redis.Redis.from_url(settings.REDIS_URL)
    for queue in ("celery", "periodic"):
        for payload in GARBAGE:
            broker.lpush(queue, payload)

    with transaction.atomic():
        heartbeat.delay("after-the-garbage")  # behind the garbage on the periodic queue

    beat = wait_for(lambda: Heartbeat.objects.filter(name="after-the-garbage").first())
    assert (beat.count, wait_for(lambda: broker.llen("celery") + broker.llen("periodic") == 0)) == (1, True)
    discarded = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Discarded a malformed")]
    assert len(discarded) == 6
    assert "not a kombu message on queue 'celery': \"{'body': 'no envelope'}\"" in "\n".join(discarded)
