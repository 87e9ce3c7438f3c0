from celery import shared_task

from .services import heartbeat_record


@shared_task(ignore_result=True)
def heartbeat(name: str = "worker") -> None:
    heartbeat_record(name=name)


@shared_task(ignore_result=True)
def retention_enforce_task() -> None:
    # Derived from the database each day: whatever passed its retention period since the last run goes.
    from .retention import retention_enforce

    retention_enforce()
