import time

import pytest
from django.db import transaction

from cohort_site.core.models import Heartbeat
from cohort_site.core.tasks import heartbeat


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    return predicate()


@pytest.mark.redis
def test_real_worker_runs_task_from_redis_that_writes_to_database(celery_worker):
    # heartbeat is a periodic task: it goes through the periodic queue, which the worker consumes too.
    with transaction.atomic():
        heartbeat.delay("from-redis")

    beat = wait_for(lambda: Heartbeat.objects.filter(name="from-redis").first())

    assert beat is not None
    assert beat.count == 1


def test_heartbeat_task_counts_each_run(db):
    heartbeat.delay("eager")
    heartbeat.delay("eager")

    assert Heartbeat.objects.get(name="eager").count == 2


def test_every_beat_entry_names_a_task_the_worker_knows():
    from django.conf import settings

    from cohort_site.celery import app

    app.loader.import_default_modules()

    assert (
        sorted(
            entry["task"]
            for entry in settings.CELERY_BEAT_SCHEDULE.values()
            if entry["task"] not in app.tasks
        )
        == []
    )
    assert len(settings.CELERY_BEAT_SCHEDULE) == 4


def test_periodic_tasks_have_a_queue_of_their_own_that_every_worker_consumes():
    from django.conf import settings

    from cohort_site.celery import app

    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    # A worker started without -Q (devserver's, docker-compose's, the tests') consumes every queue listed here.
    assert sorted(app.amqp.queues) == ["celery", "periodic"]
    assert {queue_of(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()} == {"periodic"}
    assert queue_of("cohort_site.mail.tasks.emails_send") == "celery"
