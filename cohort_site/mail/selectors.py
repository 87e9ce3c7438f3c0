import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet

from .enums import EmailKind, EmailStatus
from .models import OutgoingEmail
from .programmes import emails_of_programme


def outbox_emails(
    *, kind: str = "", status: str = "", programme: Any | None = None
) -> QuerySet[OutgoingEmail]:
    """The outbox's messages, newest first: of one kind, status and programme (`mail.programmes`) when given."""
    emails = OutgoingEmail.objects.only(
        "pk",
        "kind",
        "to",
        "subject",
        "status",
        "skip_reason",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    )
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if programme is not None:
        emails = emails.filter(emails_of_programme(programme))
    return emails.order_by("-created_at", "-pk")


def outbox_counts(*, programme: Any | None = None) -> dict[str, int]:
    """How many messages have each status (of one programme's, when given)."""
    emails = OutgoingEmail.objects.order_by()
    if programme is not None:
        emails = emails.filter(emails_of_programme(programme))
    return dict(emails.values_list("status").annotate(n=Count("pk")))


def outbox_kinds() -> list[str]:
    return list(OutgoingEmail.objects.order_by("kind").values_list("kind", flat=True).distinct())


# --- Reads for the apps above mail: they ask here instead of querying OutgoingEmail ---------------------------


def emails_about(
    model: type[models.Model],
    *,
    ids: Iterable[int] | QuerySet | None = None,
    kinds: Iterable[EmailKind] = (),
    statuses: Iterable[EmailStatus] = (),
) -> QuerySet[OutgoingEmail]:
    """Emails about rows of `model` (those of `ids`, a list or a `values("pk")` queryset, when given), of the
    given kinds and statuses (any when empty)."""
    emails = OutgoingEmail.objects.filter(about_type=ContentType.objects.get_for_model(model))
    if ids is not None:
        emails = emails.filter(about_id__in=ids)
    if kinds:
        emails = emails.filter(kind__in=list(kinds))
    if statuses:
        emails = emails.filter(status__in=list(statuses))
    return emails


def email_about_exists(
    model: type[models.Model],
    *,
    kinds: Iterable[EmailKind] = (),
    statuses: Iterable[EmailStatus] = (),
    outer_ref: str = "pk",
) -> Exists:
    """For a query of `model`: whether an email of these kinds and statuses is about the row (``.filter(~...)``
    or ``.exclude(...)`` with it)."""
    return Exists(emails_about(model, kinds=kinds, statuses=statuses).filter(about_id=OuterRef(outer_ref)))


# Keys asked about in one query (SQLite takes at most 32,766 parameters).
KEYS_PER_QUERY = 10_000


def email_keys_existing(keys: Iterable[str]) -> set[str]:
    """Which of `keys` name a message already stored (queued, sent or any other status)."""
    keys = list(keys)
    existing: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        existing.update(OutgoingEmail.objects.filter(key__in=chunk).values_list("key", flat=True))
    return existing


def emails_created_at(keys: Iterable[str]) -> dict[str, datetime.datetime]:
    """When each stored message of `keys` was created, by key (keys with no message are left out)."""
    return dict(OutgoingEmail.objects.filter(key__in=list(keys)).values_list("key", "created_at"))
