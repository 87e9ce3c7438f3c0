"""Storing a message: `email_queue` renders and stores a row; the worker sends it after commit."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from cohort_site.core.data_subjects import is_erased_address

from ..enums import EmailKind, EmailStatus
from ..models import EmailAttachment, OutgoingEmail
from .opt_outs import is_opted_out, unsubscribe_url
from .status import emails_set_status, initial_status


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


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
    kind: EmailKind,
    to: str,
    subject: str,
    context: dict | None = None,
    user=None,
    about: models.Model | None = None,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    draft: bool = False,
) -> OutgoingEmail:
    """Store one message, rendered from its kind's templates (templates/emails/<kind>.txt and .html), and send
    it after commit.

    A message whose key exists already is returned as it is and nothing more is sent. Drafts wait for
    the manager (`emails_send_drafts`). Optional kinds carry an unsubscribe link and are skipped for
    people who opted out of that kind.
    """
    kind = EmailKind(kind)
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    context = {**(context or {}), "SITE_URL": settings.SITE_URL, "recipient_email": to, "subject": subject}
    if kind.optional:
        context["unsubscribe_url"] = unsubscribe_url(email=to, kind=kind)
    body_text, body_html = _render(kind.template, context)
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
    )


def email_store(
    *,
    key: str,
    kind: EmailKind,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    user=None,
    about: models.Model | None = None,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    draft: bool = False,
) -> OutgoingEmail:
    """Store an already rendered message; `email_queue` is the usual door. Same key, same message."""
    kind = EmailKind(kind)
    status, skip_reason = initial_status(
        draft=draft,
        opted_out=kind.optional and is_opted_out(email=to, kind=kind),
        erased=is_erased_address(to),
    )
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
                optional=kind.optional,
                status=status,
                skip_reason=skip_reason,
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
    from ..tasks import email_send

    for email_id in email_ids:
        transaction.on_commit(lambda email_id=email_id: email_send.delay(email_id))


def _requeue(*, email_ids: Iterable[int], current: EmailStatus, **reset) -> int:
    """Move messages in `current` back to the queue, under lock, so racing callers queue each once."""
    with transaction.atomic():
        ids = emails_set_status(
            emails=email_ids, status=EmailStatus.QUEUED, current=[current], next_attempt_at=None, **reset
        )
        _enqueue_after_commit(ids)
    return len(ids)


def emails_send_drafts(*, email_ids: Iterable[int]) -> int:
    """Queue the given drafts. Two managers pressing send at once queue each draft once."""
    return _requeue(email_ids=email_ids, current=EmailStatus.DRAFT)


def emails_retry_failed(*, email_ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts (the manager fixed an address, say)."""
    return _requeue(email_ids=email_ids, current=EmailStatus.FAILED, attempts=0)


def emails_resend_unknown(*, email_ids: Iterable[int]) -> int:
    """Send again messages that may have been sent (the manager checked, and they had not arrived). The copy
    carries the same Message-ID as the first."""
    return _requeue(email_ids=email_ids, current=EmailStatus.UNKNOWN, attempts=0)
