"""Sending a stored message over SMTP once, and the sweeper that finds messages that should be on their way."""

import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.utils import timezone

from ..enums import RETRY_DELAYS_MINUTES, EmailStatus
from ..models import OutgoingEmail
from .opt_outs import unsubscribe_url

# A message left in `sending` this long belongs to a worker that died; it goes back to the queue.
STUCK_SENDING_AFTER = timedelta(minutes=15)
# A queued message whose task was never delivered (broker down at the time) is re-sent by the sweeper after this.
LOST_QUEUED_AFTER = timedelta(minutes=2)


def is_temporary_failure(error: Exception) -> bool:
    """SMTP 4xx replies and network trouble are worth retrying; 5xx replies and anything else are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(
        error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | socket.timeout | OSError
    )


def _build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    headers = {}
    if email.optional:
        link = unsubscribe_url(email=email.to, kind=email.kind)
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def email_deliver(*, email_id: int) -> str | None:
    """Send one queued message over SMTP. Safe to run any number of times, from any number of workers.

    The row is claimed (queued → sending) under a lock and committed before SMTP is spoken, so a second
    run finds it claimed and does nothing. Returns the status it ended in, or None when there was nothing to do.
    """
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != EmailStatus.QUEUED:
            return None
        if email.next_attempt_at is not None and email.next_attempt_at > now:
            return None
        email.status = EmailStatus.SENDING
        email.attempts += 1
        email.status_changed_at = now
        email.save(update_fields=["status", "attempts", "status_changed_at"])

    try:
        _build_message(email).send(fail_silently=False)
    except Exception as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if is_temporary_failure(error) and email.attempts <= len(RETRY_DELAYS_MINUTES):
            email.status = EmailStatus.QUEUED
            email.next_attempt_at = timezone.now() + timedelta(
                minutes=RETRY_DELAYS_MINUTES[email.attempts - 1]
            )
        else:
            email.status = EmailStatus.FAILED
            email.next_attempt_at = None
    else:
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
    email.status_changed_at = timezone.now()
    email.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at", "status_changed_at"])
    return email.status


def outbox_sweep(*, now=None) -> list[int]:
    """Find messages that should be on their way and are not: due retries, tasks lost while the broker was
    down, and messages stuck in `sending` by a worker that died. Returns the ids it queued again."""
    now = now or timezone.now()
    OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, status_changed_at__lt=now - STUCK_SENDING_AFTER
    ).update(
        status=EmailStatus.QUEUED,
        status_changed_at=now,
        next_attempt_at=now,
        last_error="The worker sending this stopped; trying again.",
    )
    due = list(
        OutgoingEmail.objects.filter(status=EmailStatus.QUEUED)
        .filter(
            models.Q(next_attempt_at__lte=now)
            | models.Q(next_attempt_at__isnull=True, status_changed_at__lt=now - LOST_QUEUED_AFTER)
        )
        .values_list("pk", flat=True)
    )
    from ..tasks import email_send

    for email_id in due:
        email_send.delay(email_id)
    return due
