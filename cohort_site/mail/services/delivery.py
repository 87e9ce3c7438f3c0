"""Sending a stored message over SMTP once, and the sweeper that finds messages that should be on their way."""

import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone

from cohort_site.core.data_subjects import is_erased_address

from ..enums import RETRY_DELAYS_MINUTES, EmailStatus, SkipReason
from ..models import OutgoingEmail
from .opt_outs import unsubscribe_url
from .status import emails_set_status

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
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.status != EmailStatus.QUEUED:
        return None
    if email.next_attempt_at is not None and email.next_attempt_at > now:
        return None
    if is_erased_address(email.to):
        # Erased while it waited (a retry, say): there is no one left to send it to.
        skipped = emails_set_status(
            emails=[email.pk],
            status=EmailStatus.SKIPPED,
            current=[EmailStatus.QUEUED],
            skip_reason=SkipReason.ERASED,
        )
        return EmailStatus.SKIPPED if skipped else None
    due = models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    claimed = emails_set_status(
        emails=OutgoingEmail.objects.filter(due, pk=email.pk),
        status=EmailStatus.SENDING,
        current=[EmailStatus.QUEUED],
        now=now,
        attempts=models.F("attempts") + 1,
    )
    if not claimed:
        return None  # another worker claimed it first
    email.attempts += 1
    # Each move below is this attempt's own: a row that has moved on since (see outbox_sweep) is left alone.
    mine = OutgoingEmail.objects.filter(pk=email.pk, attempts=email.attempts)

    try:
        _build_message(email).send(fail_silently=False)
    except Exception as error:
        last_error = f"{type(error).__name__}: {error}"[:2000]
        if is_temporary_failure(error) and email.attempts <= len(RETRY_DELAYS_MINUTES):
            status = EmailStatus.QUEUED
            retry_at = timezone.now() + timedelta(minutes=RETRY_DELAYS_MINUTES[email.attempts - 1])
            moved = emails_set_status(
                emails=mine,
                status=status,
                current=[EmailStatus.SENDING],
                last_error=last_error,
                next_attempt_at=retry_at,
            )
        else:
            status = EmailStatus.FAILED
            moved = emails_set_status(
                emails=mine,
                status=status,
                current=[EmailStatus.SENDING],
                last_error=last_error,
                next_attempt_at=None,
            )
    else:
        status = EmailStatus.SENT
        moved = emails_set_status(
            emails=mine,
            status=status,
            current=[EmailStatus.SENDING],
            sent_at=timezone.now(),
            next_attempt_at=None,
        )
    return status if moved else None


def outbox_sweep(*, now=None) -> list[int]:
    """Find messages that should be on their way and are not: due retries, tasks lost while the broker was
    down, and messages stuck in `sending` by a worker that died. Returns the ids it queued again."""
    now = now or timezone.now()
    emails_set_status(
        emails=OutgoingEmail.objects.filter(status_changed_at__lt=now - STUCK_SENDING_AFTER),
        status=EmailStatus.QUEUED,
        current=[EmailStatus.SENDING],
        now=now,
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
