from celery import shared_task

from .dispatch import reminders_dispatch
from .services import email_deliver, outbox_sweep


@shared_task(ignore_result=True)
def emails_send(email_ids: list[int]) -> None:
    # Retries are not Celery's: a temporary failure leaves the row queued with its next attempt time,
    # and the sweeper (from the database, every minute) sends it again when due. Each email is delivered on
    # its own, so one that fails does not stop the others.
    for email_id in email_ids:
        email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def email_send(email_id: int) -> None:
    """One email (tasks published before emails_send existed)."""
    email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def outbox_sweep_task() -> None:
    outbox_sweep()


@shared_task(ignore_result=True)
def reminders_dispatch_task() -> None:
    reminders_dispatch()
