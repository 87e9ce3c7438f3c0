"""What the dispatcher (cohort_site.mail.dispatch) sends for the network, derived from the database every minute:

- a reminder, with the joining link, to each person with a place the day before a sharing event (only to those
  whose place came before the day began: a place given later comes with its own email);
- this month's digest, once the manager has sent it from its preview, to every confirmed subscriber who has not
  unsubscribed: one email per subscriber and month (its key), however many runs, including subscribers who
  confirm later in the month.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse

from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import NewEmail

from .enums import RegistrationStatus
from .models import DigestIssue, EventRegistration
from .selectors import DigestContents, digest_month, digest_recipients, issue_contents
from .services import event_email_context

EVENT_REMINDER_BEFORE = datetime.timedelta(hours=24)


@reminder("network-event-reminder")
def event_reminders(now: datetime.datetime) -> Iterator[NewEmail]:
    due = EventRegistration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        event__is_published=True,
        event__cancelled_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + EVENT_REMINDER_BEFORE,
    ).select_related("event")
    for registration in due:
        event = registration.event
        if registration.status_changed_at > event.starts_at - EVENT_REMINDER_BEFORE:
            continue
        yield NewEmail(
            key=f"network-event-reminder:{registration.pk}:{event.starts_at:%Y%m%dT%H%M}",
            kind=EmailKind.NETWORK_EVENT_REMINDER,
            to=registration.email,
            subject=f"Tomorrow: {event.title}",
            context=event_email_context(registration),
            about=registration,
        )


def digest_key(subscriber_id: int, month: datetime.date) -> str:
    return f"network-digest:{subscriber_id}:{month:%Y-%m}"


def digest_context(contents: DigestContents) -> dict:
    """What the digest's template is given: the same for the preview and for every subscriber."""
    return {
        "contents": contents,
        "entries": [(entry, settings.SITE_URL + entry.get_absolute_url()) for entry in contents.entries],
        "events": [(event, settings.SITE_URL + event.get_absolute_url()) for event in contents.events],
        "events_url": settings.SITE_URL + reverse("learning:events"),
    }


# A digest sent in the last minutes of a month still goes to everyone, though the dispatcher's next run is in
# the next month.
DIGEST_GRACE = datetime.timedelta(hours=1)


def digest_emails(now: datetime.datetime) -> list[NewEmail]:
    """This month's digest for each recipient, once the manager has sent it (else nothing)."""
    months = {digest_month(now), digest_month(now - DIGEST_GRACE)}
    issues = list(DigestIssue.objects.filter(month__in=months).order_by("month"))
    if not issues:
        return []
    recipients = digest_recipients()
    emails = []
    for issue in issues:
        contents = issue_contents(issue)
        context = digest_context(contents)
        emails += [
            NewEmail(
                key=digest_key(subscriber.pk, contents.month),
                kind=EmailKind.NETWORK_DIGEST,
                to=subscriber.email,
                subject=f"Network digest: {contents.month:%B %Y}",
                context=context,
                about=subscriber,
            )
            for subscriber in recipients
        ]
    return emails


@reminder("network-digest")
def network_digest(now: datetime.datetime) -> list[NewEmail]:
    return digest_emails(now)
