"""A member who leaves their group is sent nothing more about it: the messages still waiting are skipped."""

import datetime
from collections.abc import Iterable

from ..enums import EmailKind, EmailStatus, SkipReason
from ..models import OutgoingEmail
from .status import emails_set_status


def emails_skip_for_leaver(
    *,
    to: str,
    user=None,
    kinds: Iterable[EmailKind],
    now: datetime.datetime | None = None,
) -> list[int]:
    """Skip (with the reason "left the group") every message of `kinds` to this person that is still a draft
    or waiting in the queue; a message already being sent is left to finish. Returns the ids skipped."""
    rows = OutgoingEmail.objects.filter(kind__in=[EmailKind(kind) for kind in kinds], to__iexact=to)
    if user is not None:
        rows = rows | OutgoingEmail.objects.filter(kind__in=[EmailKind(kind) for kind in kinds], user=user)
    return emails_set_status(
        emails=rows,
        status=EmailStatus.SKIPPED,
        current=[EmailStatus.DRAFT, EmailStatus.QUEUED],
        skip_reason=SkipReason.LEFT_GROUP,
        now=now,
    )


def emails_skip_keys(*, keys: Iterable[str], now: datetime.datetime | None = None) -> list[int]:
    """Skip the messages of these keys still waiting (a draft or queued), because a member left the group:
    e.g. an introduction to them that had not gone yet. Returns the ids skipped."""
    return emails_set_status(
        emails=OutgoingEmail.objects.filter(key__in=list(keys)),
        status=EmailStatus.SKIPPED,
        current=[EmailStatus.DRAFT, EmailStatus.QUEUED],
        skip_reason=SkipReason.LEFT_GROUP,
        now=now,
    )
