"""Feedback requests and reminders, derived from the database every few minutes (see cohort_site.mail.dispatch).

- After a session ends, each member recorded as attending gets one request for feedback; three days after the
  request, those who have not answered get one reminder.
- When a survey opens for a cohort (its opening session has ended), each member gets one request; five days
  later, those who have not answered get one reminder.
- When sharing an entry beyond the group is proposed (or an edit clears the consents), each author whose consent
  is awaited is asked, and three days later reminded once.
Nothing is sent for sessions or surveys older than the window, so a late deployment does not email old news.
"""

import datetime
from collections.abc import Iterator
from datetime import timedelta

from django.urls import reverse

from applications.models import Programme
from cohort_site.core.dates import DAY, local_text
from cohort_site.mail.dispatch import reminder
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.selectors import emails_created_at
from cohort_site.mail.services import NewEmail

from .models import Survey
from .selectors import consents_awaited_since, feedback_due, survey_due
from .services import consent_request_email, surveys_ensure_defaults

FEEDBACK_WINDOW = timedelta(days=14)
FEEDBACK_REMINDER_AFTER = timedelta(days=3)
SURVEY_WINDOW = timedelta(days=21)
SURVEY_REMINDER_AFTER = timedelta(days=5)


@reminder("learning-session-feedback")
def session_feedback_requests(now: datetime.datetime) -> Iterator[NewEmail]:
    due = list(feedback_due(now=now, ended_after=now - FEEDBACK_WINDOW))
    keys = [f"learning-feedback:{a.session_id}:{a.member_id}" for a in due]
    requested = emails_created_at(keys)
    for attendance, key in zip(due, keys, strict=True):
        session, member = attendance.session, attendance.member
        programme = session.cohort.programme
        context = {
            "name": member.name,
            "session": session,
            "session_day": local_text(session.starts_at, programme.tz, DAY),
            "programme": programme,
            "url": reverse("learning:session_feedback", kwargs={"session_id": session.pk}),
        }
        common = {"to": member.user.email, "user": member.user, "about": session, "context": context}
        if key not in requested:
            yield NewEmail(
                key=key,
                kind=EmailKind.LEARNING_SESSION_FEEDBACK,
                subject=f"How was session {session.number}? Two minutes of feedback",
                reply_to=programme.contact_email,
                **common,
            )
        elif max(requested[key], session.ends_at) <= now - FEEDBACK_REMINDER_AFTER:
            yield NewEmail(
                key=f"learning-feedback-reminder:{session.pk}:{member.pk}",
                kind=EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER,
                subject=f"Reminder: your feedback on session {session.number}",
                reply_to=programme.contact_email,
                **common,
            )


@reminder("learning-surveys")
def survey_requests(now: datetime.datetime) -> Iterator[NewEmail]:
    for programme in Programme.objects.filter(cohorts__sessions__isnull=False).distinct():
        surveys_ensure_defaults(programme=programme)
    for survey in Survey.objects.select_related("programme"):
        due = survey_due(survey, now=now, opened_after=now - SURVEY_WINDOW)
        keys = [f"learning-survey:{survey.pk}:{member.pk}" for member, _ in due]
        requested = emails_created_at(keys)
        for (member, opened_at), key in zip(due, keys, strict=True):
            context = {
                "name": member.name,
                "survey": survey,
                "programme": survey.programme,
                "url": survey.get_absolute_url(),
            }
            common = {"to": member.user.email, "user": member.user, "about": survey, "context": context}
            if key not in requested:
                yield NewEmail(
                    key=key,
                    kind=EmailKind.LEARNING_SURVEY,
                    subject=f"{survey.title}: tell us how it went",
                    reply_to=survey.programme.contact_email,
                    **common,
                )
            elif max(requested[key], opened_at) <= now - SURVEY_REMINDER_AFTER:
                yield NewEmail(
                    key=f"learning-survey-reminder:{survey.pk}:{member.pk}",
                    kind=EmailKind.LEARNING_SURVEY_REMINDER,
                    subject=f"Reminder: {survey.title}",
                    reply_to=survey.programme.contact_email,
                    **common,
                )


CONSENT_WINDOW = timedelta(days=30)
CONSENT_REMINDER_AFTER = timedelta(days=3)


@reminder("learning-sharing-consent")
def sharing_consent_requests(now: datetime.datetime) -> Iterator[NewEmail]:
    """Each author whose consent to sharing beyond the group is awaited is asked once a round (the proposal, or
    an edit that cleared the consents; usually at once, by the service) and reminded once three days later."""
    awaited = consents_awaited_since(started_after=now - CONSENT_WINDOW)
    keys = [consent_request_email(authorship=a, round_id=round_id).key for a, round_id, _ in awaited]
    requested = emails_created_at(keys)
    for (authorship, round_id, started_at), key in zip(awaited, keys, strict=True):
        if key not in requested:
            yield consent_request_email(authorship=authorship, round_id=round_id)
        elif max(requested[key], started_at) <= now - CONSENT_REMINDER_AFTER:
            yield consent_request_email(authorship=authorship, round_id=round_id, reminder=True)


# Sharing events and the network digest register their kinds here, where the dispatcher finds learning's.
from .network import reminders as network_reminders  # noqa: E402, F401
