"""Reminder kinds of the applications app (run by the mail dispatcher every few minutes; see mail/dispatch.py).

Offers awaiting an answer (selection) and reminders to people who registered interest (recruitment).
Each works out from the database what is due now; unique email keys make a second run send nothing twice.
"""

import logging
from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import F

from cohort_site.core.data_subjects import ERASED_DOMAIN
from cohort_site.core.dates import DAY_AT_TIME, local_text
from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import NewEmail

from .links import offer_url
from .models import DropIn
from .selectors import interests_not_applied, offers_sent, programmes_published
from .services import (
    TransitionRefused,
    current_offer,
    deadline_text,
    email_context,
    interest_links,
    offer_expire,
)

logger = logging.getLogger(__name__)

# --- Selection: offers awaiting the applicant's answer -----------------------------------------------------------


def _offers_sent():
    """Offered applications whose offer email has gone (an offer still in the manager's drafts does not run)."""
    return offers_sent().select_related("programme", "cohort", "user")


@reminder("offer-reminder")
def offer_reminders(now: datetime) -> Iterator[NewEmail]:
    """Remind an applicant who has not answered, once, `offer_reminder_lead` before their offer expires."""
    due = _offers_sent().filter(
        offer_expires_at__gt=now, offer_expires_at__lte=now + F("programme__offer_reminder_lead")
    )
    for application in due:
        offer = current_offer(application)
        programme = application.programme
        yield NewEmail(
            key=f"offer-reminder:{offer.pk}",
            kind=EmailKind.OFFER_REMINDER,
            to=application.email,
            subject=f"Reminder: confirm your place in {programme.title}",
            context={
                "application": application,
                "programme": programme,
                "cohort": application.cohort,
                "deadline": local_text(application.offer_expires_at, programme.tz, DAY_AT_TIME),
                "link": offer_url(application=application, offer=offer),
            },
            user=application.user,
            about=application,
            reply_to=programme.contact_email,
        )


@reminder("offer-expiry")
def offer_expiries(now: datetime) -> None:
    """Offers past their expiry lapse; the place goes to the waitlist as the programme says."""
    for application in _offers_sent().filter(offer_expires_at__lte=now):
        try:
            offer_expire(application=application, now=now)
        except TransitionRefused:
            continue  # answered a moment ago
        except Exception:
            logger.exception("Could not expire the offer of application %s", application.pk)


# --- Recruitment: people who registered interest ------------------------------------------------------------------


@reminder("drop-in-reminder")
def drop_in_reminders(now: datetime) -> Iterator[NewEmail]:
    """Shortly before a drop-in starts, remind everyone who registered interest before the reminder was due
    (anyone later has just been sent the link in their confirmation)."""
    lead = settings.DROP_IN_REMINDER_LEAD
    due = DropIn.objects.filter(
        programme__is_published=True, starts_at__gt=now, starts_at__lte=now + lead
    ).select_related("programme")
    for drop_in in due:
        programme = drop_in.programme
        interests = programme.interests.filter(created_at__lt=drop_in.starts_at - lead)
        for interest in interests.exclude(email__iendswith=f"@{ERASED_DOMAIN}"):
            yield NewEmail(
                key=f"drop-in-reminder:{drop_in.pk}:{interest.pk}",
                kind=EmailKind.DROP_IN_REMINDER,
                to=interest.email,
                subject=f"Starting soon: drop-in Q&A for {programme.title}",
                context=email_context(programme, interest=interest, drop_in=drop_in),
                about=interest,
                reply_to=programme.contact_email,
            )


@reminder("apply-reminder")
def apply_reminders(now: datetime) -> Iterator[NewEmail]:
    """`apply_reminder_lead` before the deadline, remind those who registered interest and have not applied.

    People who registered inside that window are left out: their confirmation told them the deadline.
    """
    programmes = [
        programme
        for programme in programmes_published().filter(
            applications_open_at__lte=now, applications_close_at__gt=now
        )
        if programme.applications_close_at - programme.apply_reminder_lead <= now
    ]
    for programme in programmes:
        reminder_at = programme.applications_close_at - programme.apply_reminder_lead
        interests = interests_not_applied(programme).filter(created_at__lt=reminder_at)
        for interest in interests.exclude(email__iendswith=f"@{ERASED_DOMAIN}"):
            yield NewEmail(
                key=f"apply-reminder:{programme.pk}:{interest.pk}",
                kind=EmailKind.APPLY_REMINDER,
                to=interest.email,
                subject=f"Applications close at {deadline_text(programme)}",
                context=email_context(programme, interest=interest, **interest_links(programme)),
                about=interest,
                reply_to=programme.contact_email,
            )
