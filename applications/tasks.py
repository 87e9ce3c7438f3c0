from celery import shared_task

from .services import recruitment_purge


@shared_task(ignore_result=True)
def recruitment_purge_task() -> None:
    # Derived from the database each day: whatever passed its retention period since the last run goes.
    recruitment_purge()
