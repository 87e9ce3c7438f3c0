"""Reminder kinds of the applications app (run by the mail dispatcher every few minutes; see mail/dispatch.py).

Each works out from the database what is due now; unique email keys make a second run send nothing twice.
"""

import logging
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef

from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_queue

from .enums import ApplicationStatus
from .models import Application
from .services import TransitionRefused, current_offer, local_datetime, offer_expire, offer_url

logger = logging.getLogger(__name__)

# --- Selection: offers awaiting the applicant's answer -----------------------------------------------------------


def _offers_sent():
    """Offered applications whose offer email has gone (an offer still in the manager's drafts does not run)."""
    draft_offer = OutgoingEmail.objects.filter(
        about_type=ContentType.objects.get_for_model(Application),
        about_id=OuterRef("pk"),
        kind="decision-offered",
        status=EmailStatus.DRAFT,
    )
    return (
        Application.objects.filter(status=ApplicationStatus.OFFERED)
        .exclude(Exists(draft_offer))
        .select_related("programme", "cohort", "user")
    )


@reminder("offer-reminder")
def offer_reminders(now: datetime) -> None:
    """Remind an applicant who has not answered, once, `offer_reminder_lead` before their offer expires."""
    due = _offers_sent().filter(
        offer_expires_at__gt=now, offer_expires_at__lte=now + F("programme__offer_reminder_lead")
    )
    for application in due:
        offer = current_offer(application)
        programme = application.programme
        email_queue(
            key=f"offer-reminder:{offer.pk}",
            kind="offer-reminder",
            to=application.email,
            subject=f"Reminder: confirm your place in {programme.title}",
            template="decision_offer_reminder",
            context={
                "application": application,
                "programme": programme,
                "cohort": application.cohort,
                "deadline": local_datetime(application.offer_expires_at, programme),
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
