"""Storing a message: `email_queue` renders and stores a row; the worker sends it after commit.
`emails_queue_many` does the same for thousands at once (the reminder dispatcher)."""

import contextlib
import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from cohort_site.core.data_subjects import is_erased_address

from ..drafts import DraftSent, draft_hooks
from ..enums import EmailKind, EmailStatus, SkipReason
from ..models import EmailAttachment, OutgoingEmail
from ..selectors import email_keys_existing
from ..wording import worded, wording_batch
from .editing import EditRefused, carry_changes
from .opt_outs import has_unsubscribe_link, is_opted_out, opted_out_addresses, unsubscribe_url
from .status import emails_set_status, initial_status

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class NewEmail:
    """One message to store, as `email_queue` takes it: what a reminder kind yields for the dispatcher."""

    key: str
    kind: EmailKind
    to: str
    subject: str
    context: dict = field(default_factory=dict)
    user: Any = None
    about: models.Model | None = None
    reply_to: str = ""
    draft: bool = False


def _render(template: str, context: dict) -> tuple[str, str]:
    """The text, and the HTML when the kind has its own (else "": see email_html)."""
    text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
    html: str = ""
    with contextlib.suppress(TemplateDoesNotExist):
        html = render_to_string(f"emails/{template}.html", context)
    return text, html


def email_html(email: OutgoingEmail, *, subject: str | None = None, text: str | None = None) -> str:
    """The HTML version of a stored message: its own, or else its text laid out by templates/emails/base.html.
    Made when it is sent or shown rather than stored, so it always says what the text says (after an erasure
    too), and queuing thousands of reminders does not lay each one out twice. `subject` and `text` replace the
    stored ones (the copy sent carries its secrets; the outbox shows their placeholders)."""
    if email.body_html:
        return email.body_html
    body_text = email.body_text if text is None else text
    footer_link = email.optional and not has_unsubscribe_link(body_text)
    return render_to_string(
        "emails/base.html",
        {
            "subject": email.subject if subject is None else subject,
            "body_text": body_text,
            "unsubscribe_url": unsubscribe_url(email=email.to, kind=email.kind) if footer_link else "",
        },
    )


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
    subject, body_text, body_html = _render_kind(kind, to=to, subject=subject, context=context)
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


def _render_kind(kind: EmailKind, *, to: str, subject: str, context: dict | None) -> tuple[str, str, str]:
    """The subject, text and HTML of one message: the programme's own wording of its kind (mail/wording.py),
    else its kind's templates."""
    context = {**(context or {}), "SITE_URL": settings.SITE_URL, "recipient_email": to, "subject": subject}
    if kind.optional:
        context["unsubscribe_url"] = unsubscribe_url(email=to, kind=kind)
    worded_subject, worded_text = worded(kind, subject, context)
    if worded_text is not None:
        return worded_subject, worded_text.strip() + "\n", ""
    return (subject, *_render(kind.template, context))


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


def reveal_secrets(text: str, secrets: Mapping[str, str], *, html: bool = False) -> str:
    """The stored text with its secrets put back: only for the message handed to the mail server."""
    for placeholder, value in secrets.items():
        text = text.replace(placeholder, escape(value) if html else value)
    return text


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
    secrets: Mapping[str, str] | None = None,
) -> OutgoingEmail:
    """Store an already rendered message; `email_queue` is the usual door. Same key, same message.

    `secrets` (label -> value, e.g. {"sign-in code": "ABC-123"}) are what only the recipient may read: the stored
    text holds a placeholder for each, and the values are put back only into the message as it is sent.
    """
    kind = EmailKind(kind)
    hidden, subject, body_text, body_html = _hide_secrets(
        secrets or {}, subject=subject, body_text=body_text, body_html=body_html
    )
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
                secrets=hidden,
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


# Rows stored, and send tasks published, this many at a time.
BATCH_SIZE = 500


def new_email_queue(email: NewEmail, *, attachments: Iterable[Attachment] = ()) -> OutgoingEmail:
    """`email_queue` for a message built as a `NewEmail` (by a function that says what a kind's email is)."""
    return email_queue(
        key=email.key,
        kind=email.kind,
        to=email.to,
        subject=email.subject,
        context=email.context,
        user=email.user,
        about=email.about,
        reply_to=email.reply_to,
        attachments=attachments,
        draft=email.draft,
    )


def emails_queue_many(emails: Iterable[NewEmail], *, batch_size: int | None = None) -> int:
    """Store many messages at once, as `email_queue` stores one: a key already stored (or repeated) is left as it
    is, an opted-out or erased address is skipped, and each queued message is sent after its batch commits.

    Work is per batch, not per message: the keys already stored, and the opt-outs of each optional kind, are
    read once; rows are inserted `batch_size` (BATCH_SIZE) at a time (a key stored meanwhile by someone else is ignored, not
    an error); their send tasks are published together after the batch commits. Only messages without
    attachments. Returns how many were stored.
    """
    emails = list(emails)
    existing = email_keys_existing(e.key for e in emails)
    fresh: dict[str, NewEmail] = {}
    for email in emails:
        if email.key not in existing:
            fresh.setdefault(email.key, email)
    kinds = {EmailKind(email.kind) for email in fresh.values()}
    opted_out = {kind: opted_out_addresses(kind=kind) for kind in kinds if kind.optional}
    stored = 0
    for batch in batched(list(fresh.values()), batch_size or BATCH_SIZE):
        with wording_batch():
            rows = [_row(email, opted_out) for email in batch]
        with transaction.atomic():
            OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
            queued = [row.key for row in rows if row.status == EmailStatus.QUEUED]
            _enqueue_after_commit(
                list(
                    OutgoingEmail.objects.filter(key__in=queued, status=EmailStatus.QUEUED)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
            )
        stored += len(rows)
    return stored


def batched(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row(email: NewEmail, opted_out: dict[EmailKind, set[str]]) -> OutgoingEmail:
    kind = EmailKind(email.kind)
    status, skip_reason = initial_status(
        draft=email.draft,
        opted_out=email.to.lower() in opted_out.get(kind, ()),
        erased=is_erased_address(email.to),
    )
    subject, body_text, body_html = _render_kind(
        kind, to=email.to, subject=email.subject, context=email.context
    )
    return OutgoingEmail(
        key=email.key,
        kind=kind,
        to=email.to,
        user=email.user,
        reply_to=email.reply_to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        optional=kind.optional,
        status=status,
        skip_reason=skip_reason,
        about_type=ContentType.objects.get_for_model(email.about) if email.about is not None else None,
        about_id=email.about.pk if email.about is not None else None,
    )


def _enqueue_after_commit(email_ids: list[int]) -> None:
    """Publish the emails' send tasks once the transaction commits (at once outside one). Robustly: the work is
    committed whatever happens to the broker, so a failure here is logged, never the caller's error page; the
    emails stay queued and the sweeper publishes them."""
    if email_ids:
        transaction.on_commit(lambda: emails_publish(email_ids), robust=True)


# Emails sent by one task: few enough that the workers share a batch evenly, enough that publishing 10,000
# is a few hundred messages to the broker rather than 10,000.
EMAILS_PER_TASK = 25


# A broker that cannot be reached is tried once more, at once, then left to the sweeper: a web request that
# queued an email does not wait for it.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def emails_publish(email_ids: list[int]) -> list[int]:
    """Publish send tasks for the emails, EMAILS_PER_TASK to a task, all over one broker connection, and record
    when (`published_at`). When the broker cannot be reached this logs and stops: the emails not published
    stay queued without `published_at`, and the sweeper publishes them once it can. Returns the ids published."""
    from ..tasks import emails_send

    published: list[int] = []
    try:
        with emails_send.app.producer_or_acquire() as producer:
            for chunk in batched(list(email_ids), EMAILS_PER_TASK):
                emails_send.apply_async((chunk,), producer=producer, retry_policy=PUBLISH_RETRY_POLICY)
                published.extend(chunk)
    except Exception:
        logger.exception(
            "Could not publish send tasks for %d of %d emails; the sweeper will publish them.",
            len(email_ids) - len(published),
            len(email_ids),
        )
    if published:
        OutgoingEmail.objects.filter(pk__in=published).update(published_at=timezone.now())
    return published


def _requeue(*, email_ids: Iterable[int], current: EmailStatus, **reset) -> int:
    """Move messages in `current` back to the queue, under lock, so racing callers queue each once."""
    with transaction.atomic():
        ids = emails_set_status(
            emails=email_ids, status=EmailStatus.QUEUED, current=[current], next_attempt_at=None, **reset
        )
        _enqueue_after_commit(ids)
    return len(ids)


def emails_send_drafts(*, email_ids: Iterable[int], now: datetime.datetime | None = None) -> int:
    """Queue the given drafts. Two managers pressing send at once queue each draft once. Drafts of a kind with a
    `before_draft_sent` hook (mail/drafts.py) are brought up to date as they move, in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = emails_set_status(
            emails=email_ids,
            status=EmailStatus.QUEUED,
            current=[EmailStatus.DRAFT],
            next_attempt_at=None,
            now=now,
        )
        out_of_date = _redraft(ids, now)
        if out_of_date:
            emails_set_status(
                emails=out_of_date,
                status=EmailStatus.SKIPPED,
                current=[EmailStatus.QUEUED],
                skip_reason=SkipReason.OUT_OF_DATE,
                now=now,
            )
        queued = [pk for pk in ids if pk not in out_of_date]
        _enqueue_after_commit(queued)
    return len(queued)


def _redraft(email_ids: list[int], now: datetime.datetime) -> set[int]:
    """Render again, from their kind's templates, the drafts whose app rewrites them as they are sent. Returns
    the drafts their app says are out of date (None for their redraft): they are not sent."""
    emails = list(OutgoingEmail.objects.filter(pk__in=email_ids).order_by("pk"))
    hooks = draft_hooks(email.kind for email in emails)
    out_of_date: set[int] = set()
    for kind, hook in hooks.items():
        mine = {email.pk: email for email in emails if email.kind == kind}
        drafts = [DraftSent(email_id=e.pk, key=e.key, about_id=e.about_id) for e in mine.values()]
        for email_id, redraft in hook(drafts, now).items():
            if redraft is None:
                out_of_date.add(email_id)
                continue
            email = mine[email_id]
            subject, body_text, body_html = _render_kind(
                kind, to=email.to, subject=redraft.subject, context=redraft.context
            )
            if email.edited_at is not None:
                subject, body_text, body_html = _carry_into_edit(email, subject, body_text)
            # The secrets it held stay out of the stored text, under the placeholders they had.
            for placeholder, value in sorted(
                email.secrets.items(), key=lambda item: len(item[1]), reverse=True
            ):
                subject = subject.replace(value, placeholder)
                body_text = body_text.replace(value, placeholder)
                body_html = body_html.replace(escape(value), placeholder).replace(value, placeholder)
            OutgoingEmail.objects.filter(pk=email_id).update(
                subject=subject, body_text=body_text, body_html=body_html
            )
    return out_of_date


def _carry_into_edit(email: OutgoingEmail, subject: str, body_text: str) -> tuple[str, str, str]:
    """A draft the manager edited keeps her words, with the programme's changes made in them (editing.py)."""
    # A subject she wrote without the words that change (the offer's date) is kept as she wrote it; the text
    # must keep each line the programme brings up to date, or it would state an old date.
    edited_subject, _missing = carry_changes(email.original_subject, subject, email.subject)
    edited_text, missing = carry_changes(email.original_text, body_text, email.body_text)
    if missing:
        raise EditRefused(
            f"The draft to {email.to} was edited, and the programme fills in this line as the email is sent: "
            f"“{missing}”. Edit the draft and put the line back as it was (or undo the edit), then send it."
        )
    return edited_subject, edited_text, ""


def emails_retry_failed(*, email_ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts (the manager fixed an address, say)."""
    return _requeue(email_ids=email_ids, current=EmailStatus.FAILED, attempts=0)


def emails_resend_unknown(*, email_ids: Iterable[int]) -> int:
    """Send again messages that may have been sent (the manager checked, and they had not arrived). The copy
    carries the same Message-ID as the first."""
    return _requeue(email_ids=email_ids, current=EmailStatus.UNKNOWN, attempts=0)
