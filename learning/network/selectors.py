"""Reads of the network pages: which events are upcoming and how full, who is on a waitlist, who gets the digest
and what this month's digest holds (the one answer the preview and the send share)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cohort_site.core.dates import local
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import is_opted_out, opted_out_addresses

from ..enums import Visibility
from ..models import Entry
from .enums import PLACE_TAKING, RegistrationStatus, SubscriberStatus
from .models import DigestIssue, DigestSubscriber, EventRegistration, NetworkEvent


def _with_counts(events: QuerySet[NetworkEvent]) -> QuerySet[NetworkEvent]:
    return events.annotate(
        places_taken=Count("registrations", filter=Q(registrations__status__in=PLACE_TAKING)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    )


def events_upcoming(*, now: datetime.datetime | None = None) -> QuerySet[NetworkEvent]:
    """Published events that have not started, soonest first, each with `places_taken` and `waiting`."""
    now = now or timezone.now()
    return _with_counts(
        NetworkEvent.objects.filter(is_published=True, starts_at__gt=now, cancelled_at__isnull=True)
    ).order_by("starts_at", "pk")


def events_published() -> QuerySet[NetworkEvent]:
    """Every published event (a past one keeps its page, saying it has happened), with its counts."""
    return _with_counts(NetworkEvent.objects.filter(is_published=True))


def events_for_staff() -> QuerySet[NetworkEvent]:
    """Every event, newest first, with its counts and who proposed it."""
    return _with_counts(NetworkEvent.objects.select_related("proposed_by")).order_by("-starts_at", "-pk")


def events_proposed_waiting(*, now: datetime.datetime | None = None) -> QuerySet[NetworkEvent]:
    """Events members proposed that staff have not published yet (and that have not passed)."""
    now = now or timezone.now()
    return NetworkEvent.objects.filter(proposed_by__isnull=False, is_published=False, starts_at__gt=now)


def events_proposed_by(user) -> QuerySet[NetworkEvent]:
    return NetworkEvent.objects.filter(proposed_by=user).order_by("-created_at", "-pk")


def places_taken(event: NetworkEvent) -> int:
    return event.registrations.filter(status__in=PLACE_TAKING).count()


def registration_is_open(event: NetworkEvent, *, now: datetime.datetime | None = None) -> bool:
    """Whether someone may register now: published, registration open, not cancelled, not started yet."""
    now = now or timezone.now()
    return event.is_published and event.registration_open and not event.cancelled_at and event.starts_at > now


def waitlist(event: NetworkEvent) -> QuerySet[EventRegistration]:
    """The event's waitlist, first come first."""
    return event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "status_changed_at", "pk"
    )


def digest_recipients() -> list[DigestSubscriber]:
    """Confirmed subscribers who have not unsubscribed (an unsubscribe is the mail app's opt-out of the kind)."""
    unsubscribed = opted_out_addresses(kind=EmailKind.NETWORK_DIGEST)
    return [
        subscriber
        for subscriber in DigestSubscriber.objects.filter(status=SubscriberStatus.CONFIRMED).order_by("pk")
        if subscriber.email.lower() not in unsubscribed
    ]


def digest_receives(subscriber: DigestSubscriber) -> bool:
    """Whether this subscriber receives the digest now: confirmed, and not unsubscribed since."""
    return subscriber.status == SubscriberStatus.CONFIRMED and not is_opted_out(
        email=subscriber.email, kind=EmailKind.NETWORK_DIGEST
    )


def digest_month(now: datetime.datetime) -> datetime.date:
    """The first day of the month `now` is in, in UK time: the month a digest is for."""
    return local(now, None).date().replace(day=1)


@dataclass(frozen=True)
class DigestContents:
    month: datetime.date
    issue: DigestIssue | None  # the month's digest once sent
    entries: list[Entry]
    events: list[NetworkEvent]
    since: datetime.datetime | None  # entries made public after this moment are new

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.events


def issue_contents(issue: DigestIssue) -> DigestContents:
    """A sent digest: exactly the entries and events fixed when it was sent, in their order (less any made
    private or unpublished since)."""
    entries = Entry.objects.filter(pk__in=issue.entry_ids, visibility=Visibility.PUBLIC)
    events = NetworkEvent.objects.filter(pk__in=issue.event_ids, is_published=True, cancelled_at__isnull=True)
    by_entry = {entry.pk: entry for entry in entries}
    by_event = {event.pk: event for event in events}
    return DigestContents(
        month=issue.month,
        issue=issue,
        entries=[by_entry[pk] for pk in issue.entry_ids if pk in by_entry],
        events=[by_event[pk] for pk in issue.event_ids if pk in by_event],
        since=None,
    )


def digest_contents(*, now: datetime.datetime | None = None) -> DigestContents:
    """This month's digest: once sent, exactly what was sent (the ids fixed then, in their order); before, what
    would be sent now: entries made public since the last digest went (or in the last month, before the first)
    and every upcoming published event."""
    now = now or timezone.now()
    month = digest_month(now)
    issue = DigestIssue.objects.filter(month=month).first()
    if issue is not None:
        return issue_contents(issue)
    last = DigestIssue.objects.filter(month__lt=month).order_by("-month").first()
    since = last.sent_at if last is not None else now - datetime.timedelta(days=31)
    entries = Entry.objects.filter(
        visibility=Visibility.PUBLIC, made_public_at__gt=since, made_public_at__lte=now
    ).order_by("made_public_at", "pk")
    events = NetworkEvent.objects.filter(
        is_published=True, starts_at__gt=now, cancelled_at__isnull=True
    ).order_by("starts_at", "pk")
    return DigestContents(month=month, issue=None, entries=list(entries), events=list(events), since=since)
