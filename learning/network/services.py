"""Writes of the network pages. Registrations change status only in `registration_set_status`, called with the
event's row locked, so however many people register or cancel at once the places taken never exceed capacity
and the waitlist moves up in order."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.data_subjects import ERASED_NAME, erased_email
from cohort_site.core.dates import zone_name
from cohort_site.core.words import counted
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import Attachment, email_queue, opt_out_remove

from .enums import PLACE_TAKING, RegistrationStatus, SubscriberStatus
from .ics import event_calendar
from .links import cancel_url, confirm_url
from .models import DigestIssue, DigestSubscriber, EventRegistration, NetworkEvent
from .selectors import digest_contents, digest_receives, places_taken, registration_is_open, waitlist

R = RegistrationStatus

# Which status may follow which; None is a registration not stored yet.
TRANSITIONS: dict[str | None, set[str]] = {
    None: {R.CONFIRMED, R.WAITLISTED},
    R.WAITLISTED: {R.CONFIRMED, R.CANCELLED},
    R.CONFIRMED: {R.CANCELLED},
    R.CANCELLED: {R.CONFIRMED, R.WAITLISTED},  # registered again
}


class RegistrationClosed(Exception):
    """The event is not taking registrations (closed, unpublished or started)."""


class NothingToSend(Exception):
    """This month's digest would list nothing."""


def event_length_text(event: NetworkEvent) -> str:
    hours, minutes = divmod(event.duration_minutes, 60)
    parts = [counted(hours, "hour", "hours")] if hours else []
    if minutes:
        parts.append(counted(minutes, "minute", "minutes"))
    return " ".join(parts)


def event_email_context(registration: EventRegistration, **extra) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "zone": zone_name(settings.TIME_ZONE),
        "length": event_length_text(event),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "events_url": settings.SITE_URL + reverse("learning:events"),
        "cancel_url": cancel_url(registration),
        "join_url": event.video_link,
        **extra,
    }


def _calendar_attachment(event: NetworkEvent, method: str) -> Attachment:
    return Attachment("sharing-event.ics", "text/calendar", event_calendar(event, method=method))


def registration_set_status(
    *, registration: EventRegistration, status: str, now: datetime.datetime, promoted: bool = False
) -> None:
    """The one place a registration's status changes (a new one is stored here too), with its email: a place
    (with the calendar file and the cancel link) or the waitlist. The caller holds the event's row locked."""
    current = None if registration.pk is None else registration.status
    if status not in TRANSITIONS[current]:
        raise ValueError(f"A registration cannot go from {current} to {status}.")
    registration.status = status
    registration.status_changed_at = now
    if current is None:
        registration.created_at = now
        registration.save()
    else:
        registration.save(update_fields=["status", "status_changed_at", "name", "organisation"])
    stamp = f"{now:%Y%m%dT%H%M%S%f}"
    event = registration.event
    if status == R.CONFIRMED:
        email_queue(
            key=f"network-event-place:{registration.pk}:{stamp}",
            kind=EmailKind.NETWORK_EVENT_PLACE,
            to=registration.email,
            subject=f"Your place: {event.title}",
            context=event_email_context(registration, promoted=promoted),
            about=registration,
            attachments=[_calendar_attachment(event, "PUBLISH")],
        )
    elif status == R.WAITLISTED:
        email_queue(
            key=f"network-event-waitlisted:{registration.pk}:{stamp}",
            kind=EmailKind.NETWORK_EVENT_WAITLISTED,
            to=registration.email,
            subject=f"On the waitlist: {event.title}",
            context=event_email_context(registration, position=waitlist(event).count()),
            about=registration,
        )
    elif status == R.CANCELLED and not event.cancelled_at:
        # Their own cancelling (a cancelled event tells everyone in `event_cancel` instead): the confirmation,
        # and for someone who had a place the calendar cancellation that takes the event out of their calendar.
        had_place = current == R.CONFIRMED
        attachments = [_calendar_attachment(event, "CANCEL")] if had_place else []
        email_queue(
            key=f"network-event-left:{registration.pk}:{stamp}",
            kind=EmailKind.NETWORK_EVENT_LEFT,
            to=registration.email,
            subject=f"Cancelled: your {'place' if had_place else 'waitlist place'} at {event.title}",
            context=event_email_context(registration, had_place=had_place),
            about=registration,
            attachments=attachments,
        )


registration_set_status.alters_data = True  # type: ignore[attr-defined]


def _locked(event: NetworkEvent) -> NetworkEvent:
    return NetworkEvent.objects.select_for_update().get(pk=event.pk)


def event_register(
    *, event: NetworkEvent, name: str, organisation: str, email: str, now: datetime.datetime | None = None
) -> EventRegistration:
    """Register someone: a place while there is one, else the waitlist. The same address again (a double click,
    a retry, a second visit) is the same registration and sends nothing more, unless it had been cancelled.
    Raises RegistrationClosed when the event takes no registrations."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if not registration_is_open(event, now=now):
            raise RegistrationClosed
        registration = EventRegistration.objects.filter(event=event, email__iexact=email).first()
        if registration is not None and registration.status != R.CANCELLED:
            return registration
        if registration is None:
            registration = EventRegistration(event=event, email=email)
        registration.name, registration.organisation = name, organisation
        full = places_taken(event) >= event.capacity
        registration_set_status(
            registration=registration, status=R.WAITLISTED if full else R.CONFIRMED, now=now
        )
        return registration


def registration_cancel(
    *, registration: EventRegistration, now: datetime.datetime | None = None
) -> EventRegistration:
    """Cancel a registration (its own link); a place freed goes to the first on the waitlist. Twice is once."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        registration = EventRegistration.objects.select_related("event").get(pk=registration.pk)
        if registration.status == R.CANCELLED or event.cancelled_at:
            return registration
        registration_set_status(registration=registration, status=R.CANCELLED, now=now)
        waitlist_move_up(event=event, now=now)
        return registration


def waitlist_move_up(*, event: NetworkEvent, now: datetime.datetime) -> list[EventRegistration]:
    """Give free places to the waitlist, first come first, until the event is full; nothing once it has started.
    The caller holds the event's row locked."""
    if event.starts_at <= now or event.cancelled_at:
        return []
    free = event.capacity - places_taken(event)
    moved = list(waitlist(event).select_related("event")[: max(free, 0)])
    for registration in moved:
        registration_set_status(registration=registration, status=R.CONFIRMED, now=now, promoted=True)
    return moved


def event_save(*, event: NetworkEvent, by=None, now: datetime.datetime | None = None) -> NetworkEvent:
    """Create or change an event (from the staff form). A new time, length or link raises the calendar's
    SEQUENCE and emails everyone with a place once, with the calendar update (`event_updates_send`); saving
    with none of them changed sends nothing. More places go to the waitlist at once. The form refuses fewer
    places than people hold. A cancelled event, or one that is over, may still be corrected, but nobody is
    emailed about it."""
    now = now or timezone.now()
    with transaction.atomic():
        if event.pk is None:
            event.created_by = by
            event.created_at = now
            event.save()
            return event
        before = _locked(event)
        if (before.starts_at, before.duration_minutes, before.video_link) != (
            event.starts_at,
            event.duration_minutes,
            event.video_link,
        ) and not before.cancelled_at:
            event.sequence = before.sequence + 1
            event.save()
            if event.ends_at > now:
                event_updates_send(event=event, now=now)
        else:
            event.save()
        waitlist_move_up(event=event, now=now)
        return event


def event_updates_send(*, event: NetworkEvent, now: datetime.datetime) -> int:
    """Email everyone with a place the event's new time, length or link, with the calendar file at its current
    SEQUENCE (same UID, so calendars update it in place). One email per person per SEQUENCE: the key says so.
    The caller holds the event's row locked and has saved the new SEQUENCE."""
    with_place = event.registrations.filter(status__in=PLACE_TAKING).order_by("pk")
    attachment = _calendar_attachment(event, "PUBLISH")
    for registration in with_place:
        registration.event = event
        email_queue(
            key=f"network-event-update:{registration.pk}:{event.sequence}",
            kind=EmailKind.NETWORK_EVENT_UPDATE,
            to=registration.email,
            subject=f"Updated: {event.title}",
            context=event_email_context(registration),
            about=registration,
            attachments=[attachment],
        )
    return len(with_place)


def event_cancel(*, event: NetworkEvent, by=None, now: datetime.datetime | None = None) -> NetworkEvent:
    """Staff cancel an event before it starts: registration closes, its SEQUENCE rises, and everyone with a place
    or on the waitlist is told once (those with a place with the calendar cancellation). The registrations keep
    their statuses, for the numbers. Twice is once. Raises ValueError for an event that has started."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if event.cancelled_at:
            return event
        if event.starts_at <= now:
            raise ValueError("An event that has started cannot be cancelled.")
        event.cancelled_at = now
        event.registration_open = False
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "registration_open", "sequence"])
        told = event.registrations.filter(status__in=[*PLACE_TAKING, R.WAITLISTED]).order_by("pk")
        for registration in told:
            registration.event = event
            had_place = registration.status in PLACE_TAKING
            email_queue(
                key=f"network-event-cancelled:{registration.pk}",
                kind=EmailKind.NETWORK_EVENT_CANCELLED,
                to=registration.email,
                subject=f"Cancelled: {event.title}",
                context=event_email_context(registration, had_place=had_place),
                about=registration,
                attachments=[_calendar_attachment(event, "CANCEL")] if had_place else [],
            )
        return event


event_cancel.alters_data = True  # type: ignore[attr-defined]


def event_propose(*, event: NetworkEvent, by, now: datetime.datetime | None = None) -> NetworkEvent:
    """A member proposes a sharing event: stored unpublished, for staff to check and publish (from its page
    under "Sharing events", where it is listed as proposed)."""
    now = now or timezone.now()
    event.is_published = False
    event.proposed_by = by
    event.created_at = now
    event.save()
    return event


def registrations_erase(registrations) -> int:
    """Remove who registered (erasure, or the end of the retention period); the statuses stay, for the numbers."""
    count = 0
    for registration in registrations:
        registration.name = ERASED_NAME
        registration.organisation = ""
        registration.email = erased_email(registration.pk)
        registration.save(update_fields=["name", "organisation", "email"])
        count += 1
    return count


# --- The network digest ---------------------------------------------------------------------------------------


def digest_subscribe(*, email: str, now: datetime.datetime | None = None) -> DigestSubscriber:
    """Ask for the digest: a confirmation email with a signed link, and nothing else until it is confirmed.
    An address already receiving it is sent nothing; at most one confirmation email a day goes to an address."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = DigestSubscriber.objects.filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = DigestSubscriber.objects.create(email=email, created_at=now)
            except IntegrityError:
                subscriber = DigestSubscriber.objects.get(email__iexact=email)
        if digest_receives(subscriber):
            return subscriber
        email_queue(
            key=f"network-digest-confirm:{subscriber.pk}:{now:%Y-%m-%d}",
            kind=EmailKind.NETWORK_DIGEST_CONFIRM,
            to=subscriber.email,
            subject="Confirm your subscription to the network digest",
            context={"confirm_url": confirm_url(subscriber)},
            about=subscriber,
        )
        return subscriber


def digest_confirm(*, subscriber: DigestSubscriber, now: datetime.datetime | None = None) -> DigestSubscriber:
    """The address confirmed (its link): it receives the digest from the next one sent, including after an
    earlier unsubscribe. Twice is once."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = DigestSubscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status != SubscriberStatus.CONFIRMED:
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["status", "confirmed_at"])
        opt_out_remove(email=subscriber.email, kind=EmailKind.NETWORK_DIGEST)
        return subscriber


def digest_send(*, by, now: datetime.datetime | None = None) -> DigestIssue:
    """Send this month's digest as the preview shows it: fixes its entries and events, and the dispatcher emails
    every subscriber once (network/reminders.py). A second press is the same digest. Raises NothingToSend."""
    now = now or timezone.now()
    contents = digest_contents(now=now)
    if contents.issue is not None:
        return contents.issue
    if contents.is_empty:
        raise NothingToSend
    try:
        with transaction.atomic():
            return DigestIssue.objects.create(
                month=contents.month,
                entry_ids=[entry.pk for entry in contents.entries],
                event_ids=[event.pk for event in contents.events],
                sent_by=by,
                sent_at=now,
            )
    except IntegrityError:
        return DigestIssue.objects.get(month=contents.month)
