"""The day-before reminder for each session, derived from the database by the dispatcher (see mail/dispatch.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from cohort_site.core.dates import DAY_TIME, local_text
from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import NewEmail

from .enums import SessionStatus
from .models import Session
from .selectors import session_apologies
from .services import session_email, session_recipients

REMINDER_LEAD = datetime.timedelta(hours=24)


@reminder("session-reminder")
def session_reminders(now: datetime.datetime) -> Iterator[NewEmail]:
    """Everyone expected at a session starting within the next day gets one reminder with the join link;
    members who sent apologies are spared. A moved session is reminded of again at its new time."""
    due = Session.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_LEAD
    ).select_related("cohort__programme")
    for session in due:
        apologised = {f"member:{member_id}" for member_id in session_apologies(session)}
        stamp = f"{session.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%MZ}"
        for recipient in session_recipients(session):
            if recipient.key in apologised:
                continue
            yield session_email(
                key=f"session-reminder:{session.pk}:{recipient.key}:{stamp}",
                kind=EmailKind.SESSION_REMINDER,
                subject=f"Reminder: {session.title}, {local_text(session.starts_at, recipient.tz, DAY_TIME)}",
                session=session,
                recipient=recipient,
            )
