"""The one way the product sends email: `email_queue` stores a row; the `email_send` task delivers it once."""

import smtplib
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohort_site.core.data_subjects import ERASED_DOMAIN

from .enums import RETRY_DELAYS_MINUTES, EmailStatus, OptionalEmail
from .models import EmailAttachment, EmailOptOut, OutgoingEmail

UNSUBSCRIBE_SALT = "mail.unsubscribe"
# A message left in `sending` this long belongs to a worker that died; it goes back to the queue.
STUCK_SENDING_AFTER = timedelta(minutes=15)
# A queued message whose task was never delivered (broker down at the time) is re-sent by the sweeper after this.
LOST_QUEUED_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


def unsubscribe_token(*, email: str, kind: str) -> str:
    return signing.dumps({"email": email.lower(), "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, email: str, kind: str) -> str:
    path = reverse("mail:unsubscribe", kwargs={"token": unsubscribe_token(email=email, kind=kind)})
    return f"{settings.SITE_URL}{path}"


def is_opted_out(*, email: str, kind: str) -> bool:
    return EmailOptOut.objects.filter(email__iexact=email, kind=kind).exists()


def _render(template: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = render_to_string("emails/base.html", {**context, "body_text": text})
    return text, html


def email_queue(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    template: str,
    context: dict | None = None,
    user=None,
    about: models.Model | None = None,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    draft: bool = False,
    optional: bool = False,
) -> OutgoingEmail:
    """Store one message (rendered from templates/emails/<template>.txt and .html) and send it after commit.

    A message whose key exists already is returned as it is and nothing more is sent. Drafts wait for
    the manager (`emails_send_drafts`). Optional kinds carry an unsubscribe link and are skipped for
    people who opted out of that kind.
    """
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    context = {**(context or {}), "SITE_URL": settings.SITE_URL, "recipient_email": to, "subject": subject}
    if optional:
        context["unsubscribe_url"] = unsubscribe_url(email=to, kind=kind)
    body_text, body_html = _render(template, context)
    return email_store(
        key=key,
        kind=kind,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        user=user,
        about=about,
        reply_to=reply_to,
        attachments=attachments,
        draft=draft,
        optional=optional,
    )


def secret_placeholder(label: str) -> str:
    """What the outbox shows where a secret was: `[sign-in code: sent only to the recipient]`."""
    return f"[{label}: sent only to the recipient]"


def _hide_secrets(
    secrets: Mapping[str, str], *, subject: str, body_text: str, body_html: str
) -> tuple[dict[str, str], str, str, str]:
    """Replace each secret (label -> value) by its placeholder, longest first (a link holds its key)."""
    stored = {}
    for label, value in sorted(secrets.items(), key=lambda item: len(item[1]), reverse=True):
        if not value:
            continue
        placeholder = secret_placeholder(label)
        stored[placeholder] = value
        subject = subject.replace(value, placeholder)
        body_text = body_text.replace(value, placeholder)
        body_html = body_html.replace(escape(value), placeholder).replace(value, placeholder)
    return stored, subject, body_text, body_html


def _reveal(text: str, secrets: Mapping[str, str], *, html: bool = False) -> str:
    for placeholder, value in secrets.items():
        text = text.replace(placeholder, escape(value) if html else value)
    return text


def email_store(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    user=None,
    about: models.Model | None = None,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    draft: bool = False,
    optional: bool = False,
    secrets: Mapping[str, str] | None = None,
) -> OutgoingEmail:
    """Store an already rendered message; `email_queue` is the usual door. Same key, same message.

    `secrets` (label -> value, e.g. {"sign-in code": "ABC-123"}) are what only the recipient may read: the stored
    text holds a placeholder for each, and the values are put back only into the message as it is sent.
    """
    hidden, subject, body_text, body_html = _hide_secrets(
        secrets or {}, subject=subject, body_text=body_text, body_html=body_html
    )
    if optional and kind not in OptionalEmail.values:
        # People choose among OptionalEmail on their profile: an unlisted kind could not be turned off there.
        raise ValueError(f"Optional email kind {kind!r} is not listed in OptionalEmail.")
    if (optional and is_opted_out(email=to, kind=kind)) or to.lower().endswith(f"@{ERASED_DOMAIN}"):
        # Nobody reads an erased person's address (a member who erased their data may still be on a register).
        status = EmailStatus.SKIPPED
    else:
        status = EmailStatus.DRAFT if draft else EmailStatus.QUEUED
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                key=key,
                kind=kind,
                to=to,
                user=user,
                reply_to=reply_to,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                secrets=hidden,
                optional=optional,
                status=status,
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=about.pk if about is not None else None,
            )
            EmailAttachment.objects.bulk_create(
                EmailAttachment(email=email, filename=a.filename, mimetype=a.mimetype, content=a.content)
                for a in attachments
            )
    except IntegrityError:
        # Another request or worker created the same message first: theirs is the one.
        return OutgoingEmail.objects.get(key=key)
    if status == EmailStatus.QUEUED:
        _enqueue_after_commit([email.pk])
    return email


def _enqueue_after_commit(email_ids: list[int]) -> None:
    from .tasks import email_send

    for email_id in email_ids:
        transaction.on_commit(partial(email_send.delay, email_id))


def _requeue(*, email_ids: Iterable[int], from_status: str, **reset) -> int:
    """Move messages in `from_status` back to the queue, under lock, so racing callers queue each once."""
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.select_for_update()
            .filter(pk__in=list(email_ids), status=from_status)
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=EmailStatus.QUEUED, status_changed_at=timezone.now(), next_attempt_at=None, **reset
        )
        _enqueue_after_commit(ids)
    return len(ids)


def emails_send_drafts(*, email_ids: Iterable[int]) -> int:
    """Queue the given drafts. Two managers pressing send at once queue each draft once."""
    return _requeue(email_ids=email_ids, from_status=EmailStatus.DRAFT)


def emails_retry_failed(*, email_ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts (the manager fixed an address, say)."""
    return _requeue(email_ids=email_ids, from_status=EmailStatus.FAILED, attempts=0)


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
        subject=_reveal(email.subject, email.secrets),
        body=_reveal(email.body_text, email.secrets),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(_reveal(email.body_html, email.secrets, html=True), "text/html")
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
    if email.status != EmailStatus.QUEUED:
        email.secrets = {}  # sent, or failed for good: nobody needs them again
    email.status_changed_at = timezone.now()
    email.save(
        update_fields=["status", "last_error", "next_attempt_at", "sent_at", "status_changed_at", "secrets"]
    )
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
    from .tasks import email_send

    for email_id in due:
        email_send.delay(email_id)
    return due


def opt_out_record(*, email: str, kind: str) -> EmailOptOut:
    opt_out = EmailOptOut.objects.filter(email__iexact=email, kind=kind).first()
    if opt_out is not None:
        return opt_out
    try:
        with transaction.atomic():
            return EmailOptOut.objects.create(email=email.lower(), kind=kind)
    except IntegrityError:
        return EmailOptOut.objects.get(email__iexact=email, kind=kind)


def opted_out_kinds(*, email: str) -> set[str]:
    return set(EmailOptOut.objects.filter(email__iexact=email).values_list("kind", flat=True))


@transaction.atomic
def email_preferences_set(*, email: str, wanted: Iterable[str]) -> None:
    """Opt the address out of every optional kind not in `wanted`, and back in to those that are."""
    wanted = set(wanted)
    EmailOptOut.objects.filter(email__iexact=email, kind__in=wanted).delete()
    for kind in set(OptionalEmail.values) - wanted:
        opt_out_record(email=email, kind=kind)
