"""bench/reminders.py at a small scale, through the same code, so the script cannot rot: due drop-in reminders
queued by the dispatcher in a process of its own, sent by a real Celery worker of two processes to an SMTP sink,
each exactly once, and a periodic task that does not wait behind them."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from bench import harness, reminders


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_due_reminders_are_queued_and_each_sent_once(tmp_path):
    reminders.seed(60)
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = harness.server_env(
        database_url=database_url, redis_url=settings.REDIS_URL, static_root=tmp_path / "static", port=0
    )
    try:
        result = reminders.measure(
            env=env, database_url=database_url, reminders=60, workers=2, folder=tmp_path
        )
    finally:
        cache.clear()  # what the worker left in the broker

    assert result.problems() == []
    assert (result.statuses, result.sink_messages, result.sink_distinct) == ({"sent": 60}, 60, 60)
    assert 0 < result.queue_seconds < result.delivery_seconds
    assert result.periodic_wait_seconds < 10
