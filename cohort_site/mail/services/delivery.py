"""Sending a stored message over SMTP once, and the sweeper that finds messages that should be on their way.

What is promised: a message the mail server accepted is never sent again by the site; a message the server
never had is retried until it goes (temporary failures) or fails (permanent ones, or after the last retry); a
message the server had in full without answering is `unknown`, for the manager to check or resend.
"""

import hashlib
import logging
import smtplib
import socket
import time
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import InterfaceError, OperationalError, connection, models
from django.utils import timezone

from cohort_site.core.data_subjects import is_erased_address

from ..enums import RETRY_DELAYS_MINUTES, EmailStatus, SkipReason
from ..models import OutgoingEmail
from ..send_checks import is_still_wanted
from ..smtp import TRACED_BACKENDS, DeliveryTrace, Phase
from .opt_outs import unsubscribe_url
from .queue import email_html, emails_publish, reveal_secrets
from .status import emails_set_status

logger = logging.getLogger(__name__)

S = EmailStatus
# A queued message whose send task was never published (the broker was down) is published by the sweeper once
# it has waited this long (so it does not race the publishing that follows a commit).
LOST_QUEUED_AFTER = timedelta(minutes=2)
# A task published this long ago whose message is still queued is taken to be lost (a broker that lost its data),
# and published again; a backlog still draining is not re-published every minute.
REPUBLISH_AFTER = timedelta(minutes=15)
# The worker's own writes after speaking to the server are retried when the database connection drops: waits
# between tries, in seconds.
RECORD_RETRY_WAITS = (0.5, 1, 2, 4)


def stuck_sending_after() -> timedelta:
    """How long a message may stay in `sending` before its worker is taken to have died: about twice the
    time one exchange with the server may take (EMAIL_TIMEOUT), so a message in flight when a worker dies
    waits minutes, not a quarter of an hour."""
    return timedelta(seconds=2 * (settings.EMAIL_TIMEOUT or 60))


class AttemptSuperseded(Exception):
    """This attempt's row was taken back (by the sweeper) and perhaps claimed again: it must not send."""


def message_id(key: str) -> str:
    """A stable Message-ID for the message with `key`, in the sender's domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or DNS_NAME.get_fqdn()
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


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
    # The same id on every attempt, so a copy sent again (by the manager, after an unknown outcome) can be
    # recognised downstream as the same message.
    headers = {"Message-ID": message_id(email.key)}
    if email.optional:
        link = unsubscribe_url(email=email.to, kind=email.kind)
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject = reveal_secrets(email.subject, email.secrets)
    body_text = reveal_secrets(email.body_text, email.secrets)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.body_html:
        html = reveal_secrets(email.body_html, email.secrets, html=True)
    else:
        html = email_html(email, subject=subject, text=body_text)  # laid out from the text the recipient gets
    message.attach_alternative(html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _record(**change) -> list[int]:
    """The worker's write after speaking to the server: retried when the database connection drops, because
    it is what stops the message being sent again."""
    for wait in (*RECORD_RETRY_WAITS, None):
        try:
            return emails_set_status(**change)
        except (OperationalError, InterfaceError):
            if wait is None:
                raise
            logger.warning("Recording an email's outcome failed; trying again in %s s", wait, exc_info=True)
            if not connection.in_atomic_block:
                connection.close()  # the next query opens a fresh connection
            time.sleep(wait)
    return []  # not reached


def _text_starts(attempt: models.QuerySet[OutgoingEmail]) -> None:
    """Just before the text goes to the server: record it (committed at once), unless the row is no longer
    this attempt's (the sweeper took it back after stuck_sending_after), in which case nothing is sent."""
    if not attempt.filter(status=S.SENDING, text_started_at__isnull=True).update(
        text_started_at=timezone.now()
    ):
        raise AttemptSuperseded


def email_deliver(*, email_id: int) -> str | None:
    """Send one queued message over SMTP. Safe to run any number of times, from any number of workers.

    The row is claimed (queued → sending) under a lock and committed before SMTP is spoken, so a second
    run finds it claimed and does nothing. Just before the text goes, the attempt is recorded; a failure
    before then is retried (temporary) or final (permanent), a failure after it without the server's answer
    leaves the message `unknown`. Returns the status it ended in, or None when there was nothing to do.
    """
    now = timezone.now()
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.status != S.QUEUED:
        return None
    if email.next_attempt_at is not None and email.next_attempt_at > now:
        return None
    if is_erased_address(email.to):
        # Erased while it waited (a retry, say): there is no one left to send it to.
        skipped = emails_set_status(
            emails=[email.pk], status=S.SKIPPED, current=[S.QUEUED], skip_reason=SkipReason.ERASED
        )
        return S.SKIPPED if skipped else None
    if not is_still_wanted(email.kind, email.key):
        # What it asked for was done while it waited (a nudge to someone who has since answered, say).
        skipped = emails_set_status(
            emails=[email.pk], status=S.SKIPPED, current=[S.QUEUED], skip_reason=SkipReason.OUT_OF_DATE
        )
        return S.SKIPPED if skipped else None
    due = models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    claimed = emails_set_status(
        emails=OutgoingEmail.objects.filter(due, pk=email.pk),
        status=S.SENDING,
        current=[S.QUEUED],
        now=now,
        attempts=models.F("attempts") + 1,
        text_started_at=None,
    )
    if not claimed:
        return None  # another worker claimed it first
    email.attempts += 1
    # Each write below is this attempt's own: a row that has moved on since (see outbox_sweep) is left alone.
    attempt = OutgoingEmail.objects.filter(pk=email.pk, attempts=email.attempts)
    trace = DeliveryTrace(before_text=lambda: _text_starts(attempt))
    backend = get_connection(
        TRACED_BACKENDS.get(settings.EMAIL_BACKEND, settings.EMAIL_BACKEND), fail_silently=False, trace=trace
    )
    message = _build_message(email)
    message.connection = backend

    try:
        message.send()
    except AttemptSuperseded:
        return None
    except Exception as error:
        change: dict[str, Any]
        if trace.phase == Phase.ACCEPTED:
            # The server took it; only saying goodbye failed.
            status, change = S.SENT, {"sent_at": timezone.now(), "next_attempt_at": None}
        else:
            status, change = _after_failure(email, error, handed_over=trace.handed_over)
            change["last_error"] = f"{type(error).__name__}: {error}"[:2000]
    else:
        status, change = S.SENT, {"sent_at": timezone.now(), "next_attempt_at": None}
    if status in (S.SENT, S.FAILED):
        # Sent, or failed for good: nobody needs the secrets again (an unknown one may still be resent).
        change["secrets"] = {}
    current = [S.SENDING, S.UNKNOWN] if status == S.SENT else [S.SENDING]
    moved = _record(emails=attempt, status=status, current=current, **change)
    return status if moved else None


def _after_failure(email: OutgoingEmail, error: Exception, *, handed_over: bool) -> tuple[EmailStatus, dict]:
    if handed_over and not isinstance(error, smtplib.SMTPResponseException):
        # The server had the whole text and did not answer (the connection dropped, or its answer was slower
        # than EMAIL_TIMEOUT): it may have taken it. Sending again could deliver it twice; the manager decides.
        return S.UNKNOWN, {"next_attempt_at": None}
    if is_temporary_failure(error) and email.attempts <= len(RETRY_DELAYS_MINUTES):
        retry_at = timezone.now() + timedelta(minutes=RETRY_DELAYS_MINUTES[email.attempts - 1])
        return S.QUEUED, {"next_attempt_at": retry_at}
    return S.FAILED, {"next_attempt_at": None}


def outbox_sweep(*, now=None) -> list[int]:
    """Find messages that should be on their way and are not, and publish their send tasks: retries that fell
    due, messages whose task was never published (the broker was down) or was published so long ago it was lost,
    and messages whose worker died while sending (`sending` for longer than stuck_sending_after). Of the last, a
    message whose text had begun to go may have been sent: it becomes `unknown`, never re-sent blindly; the
    others go back to the queue. A task published and not yet run (a backlog draining) is not published again.
    Returns the ids it published."""
    now = now or timezone.now()
    stuck = OutgoingEmail.objects.filter(status_changed_at__lt=now - stuck_sending_after())
    emails_set_status(
        emails=stuck.filter(text_started_at__isnull=False),
        status=S.UNKNOWN,
        current=[S.SENDING],
        now=now,
        last_error="The worker sending this stopped after the mail server had the whole message: it may have "
        "been sent.",
    )
    never_handed_over = stuck.filter(text_started_at__isnull=True)
    emails_set_status(
        emails=never_handed_over.filter(attempts__gt=len(RETRY_DELAYS_MINUTES)),
        status=S.FAILED,
        current=[S.SENDING],
        now=now,
        next_attempt_at=None,
        last_error="The worker sending this stopped on every attempt.",
    )
    emails_set_status(
        emails=never_handed_over,
        status=S.QUEUED,
        current=[S.SENDING],
        now=now,
        next_attempt_at=now,
        last_error="The worker sending this stopped before the mail server had the message; trying again.",
    )
    Q = models.Q
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    unpublished = Q(published_at__isnull=True) & (
        Q(next_attempt_at__isnull=False) | Q(status_changed_at__lt=now - LOST_QUEUED_AFTER)
    )
    retry_fell_due = Q(next_attempt_at__isnull=False, published_at__lt=models.F("next_attempt_at"))
    lost = Q(published_at__lt=now - REPUBLISH_AFTER)
    to_publish = list(
        OutgoingEmail.objects.filter(due, unpublished | retry_fell_due | lost, status=S.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    emails_publish(to_publish)
    return to_publish
