"""An email's status: `emails_set_status` is the only code that changes it once the row is stored.

A row is born a draft, queued or skipped (`initial_status`, used by `email_store`); after that every move is
checked against `TRANSITIONS`, made under a row lock, and stamps `status_changed_at`. Callers name the moves
they make (send drafts, claim for sending, record the server's answer, skip for erasure); none assigns `.status`.
"""

import datetime
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from ..enums import EmailStatus, SkipReason
from ..models import OutgoingEmail

S = EmailStatus

# The allowed moves. Anything not listed is a programming error.
#   draft    → queued when the manager sends it; skipped when the address is erased first.
#   queued   → sending when a worker claims it; skipped when the address is erased first.
#   sending  → sent (the server accepted it); queued again after a temporary failure before the server had
#              the whole text, or when the worker sending it died before then; failed after a permanent
#              failure or the last retry; unknown when the server had the whole text and did not answer.
#   unknown  → queued when the manager resends it; sent when the server's answer came after all.
#   failed   → queued when the manager retries it; skipped when the address is erased.
#   sent, skipped → final.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.QUEUED, S.SKIPPED},
    S.QUEUED: {S.SENDING, S.SKIPPED},
    S.SENDING: {S.SENT, S.QUEUED, S.FAILED, S.UNKNOWN},
    S.UNKNOWN: {S.QUEUED, S.SENT},
    S.FAILED: {S.QUEUED, S.SKIPPED},
    S.SENT: set(),
    S.SKIPPED: set(),
}


def initial_status(*, draft: bool, opted_out: bool, erased: bool) -> tuple[EmailStatus, str]:
    """The status a new row is born with, and why when it is skipped: nobody reads an erased person's address
    (a member who erased their data may still be on a register), and an opt-out is respected."""
    if erased:
        return S.SKIPPED, SkipReason.ERASED
    if opted_out:
        return S.SKIPPED, SkipReason.UNSUBSCRIBED
    return (S.DRAFT if draft else S.QUEUED), ""


def emails_set_status(
    *,
    emails: models.QuerySet[OutgoingEmail] | Iterable[int],
    status: EmailStatus,
    current: Iterable[EmailStatus] | None = None,
    skip_reason: str = "",
    now: datetime.datetime | None = None,
    **fields,
) -> list[int]:
    """Move those of `emails` (ids, or a queryset) whose status is in `current` to `status`, and set `fields`
    on them (values or expressions such as ``F("attempts") + 1``); the others are left as they are, so racing
    callers move each row once. `current` defaults to every status that may move to `status`.

    Rows are locked in primary-key order while they are moved. Returns the ids moved.
    """
    status = S(status)
    sources = (
        [S(s) for s in current]
        if current is not None
        else [s for s, to in TRANSITIONS.items() if status in to]
    )
    refused = [s for s in sources if status not in TRANSITIONS[s]]
    if refused:
        raise ValueError(
            f"An email that is {S(refused[0]).label.lower()} cannot become {status.label.lower()}."
        )
    if (status == S.SKIPPED) != bool(skip_reason):
        raise ValueError("A skipped email says why (skip_reason), and only a skipped one.")
    if {"status", "status_changed_at", "skip_reason"} & set(fields):
        raise ValueError("The status and its stamp are set here, not by the caller.")
    rows = (
        emails if isinstance(emails, models.QuerySet) else OutgoingEmail.objects.filter(pk__in=list(emails))
    )
    with transaction.atomic():
        ids = list(
            rows.filter(status__in=sources).select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        if ids:
            OutgoingEmail.objects.filter(pk__in=ids).update(
                status=status, status_changed_at=now or timezone.now(), skip_reason=skip_reason, **fields
            )
    return ids
