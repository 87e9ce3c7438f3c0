"""Reminders to people who registered interest, worked out from the database (see cohort_site/mail/dispatch.py)."""

import datetime

from django.conf import settings

from cohort_site.mail.dispatch import reminder
from cohort_site.mail.services import email_queue

from .models import DropIn
from .selectors import interests_not_applied, programmes_published
from .services import deadline_text, email_context, interest_links


@reminder("drop-in-reminder")
def drop_in_reminders(now: datetime.datetime) -> None:
    """Shortly before a drop-in starts, remind everyone who registered interest before the reminder was due
    (anyone later has just been sent the link in their confirmation)."""
    lead = settings.DROP_IN_REMINDER_LEAD
    due = DropIn.objects.filter(
        programme__is_published=True, starts_at__gt=now, starts_at__lte=now + lead
    ).select_related("programme")
    for drop_in in due:
        programme = drop_in.programme
        for interest in programme.interests.filter(created_at__lt=drop_in.starts_at - lead):
            email_queue(
                key=f"drop-in-reminder:{drop_in.pk}:{interest.pk}",
                kind="drop-in-reminder",
                to=interest.email,
                subject=f"Starting soon: drop-in Q&A for {programme.title}",
                template="drop_in_reminder",
                context=email_context(programme, interest=interest, drop_in=drop_in),
                about=interest,
                reply_to=programme.contact_email,
                optional=True,
            )


@reminder("apply-reminder")
def apply_reminders(now: datetime.datetime) -> None:
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
        for interest in interests_not_applied(programme).filter(created_at__lt=reminder_at):
            email_queue(
                key=f"apply-reminder:{programme.pk}:{interest.pk}",
                kind="apply-reminder",
                to=interest.email,
                subject=f"Applications close at {deadline_text(programme)}",
                template="apply_reminder",
                context=email_context(programme, interest=interest, **interest_links(programme)),
                about=interest,
                reply_to=programme.contact_email,
                optional=True,
            )
