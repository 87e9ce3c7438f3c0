from celery import shared_task

from .dispatch import reminders_dispatch
from .services import email_deliver, outbox_sweep


@shared_task(ignore_result=True)
def email_send(email_id: int) -> None:
    # Retries are not Celery's: a temporary failure leaves the row queued with its next attempt time,
    # and the sweeper (from the database, every minute) sends it again when due.
    email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def outbox_sweep_task() -> None:
    outbox_sweep()


@shared_task(ignore_result=True)
def reminders_dispatch_task() -> None:
    reminders_dispatch()
