"""Her own wording (issue 20) for the learning emails: the session feedback request and its reminder, and the
survey invitation and its reminder, use the programme's wording with their placeholders filled in, another
programme keeps the default, a bad placeholder is refused on save, the preview shows a real member, and a batch
costs the same queries with wordings as without."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import emails_queue_many
from learning.enums import SurveyKind
from learning.models import Survey
from learning.reminders import session_feedback_requests, survey_requests
from tests.factories import AttendanceFactory, CohortFactory, MemberFactory, SessionFactory
from tests.wording import word, wording_preview, wording_refused


def sent():
    return sorted((m.to[0], m.subject, m.body) for m in mail.outbox)


@pytest.fixture
def session(cohort):
    return SessionFactory(cohort=cohort, number=1, topic="Getting started")


@pytest.fixture
def ada(cohort, session):
    ada = MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
    AttendanceFactory(session=session, member=ada)
    return ada


@pytest.fixture
def elsewhere(db, session):
    """A member of another programme's group who came to a session ending at the same time."""
    other = SessionFactory(
        cohort=CohortFactory(), number=1, starts_at=session.starts_at, ends_at=session.ends_at
    )
    ben = MemberFactory(cohort=other.cohort, name="Ben Okri", email="ben@example.org")
    AttendanceFactory(session=other, member=ben)
    return other


def test_feedback_request_and_its_reminder_use_the_programmes_wording(
    cohort, session, ada, elsewhere, django_capture_on_commit_callbacks
):
    word(
        cohort.programme,
        EmailKind.LEARNING_SESSION_FEEDBACK,
        "Session {session_number}: {topic}",
        "Dear {name}, how was {session_day}? {link}",
    )
    word(cohort.programme, EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER, "Still time, {name}", "{link}")
    link = settings.SITE_URL + reverse("learning:session_feedback", kwargs={"session_id": session.pk})
    day = session.starts_at.astimezone(cohort.programme.tz).strftime("%A %-d %B")

    # Sent when the sweep runs, an hour after the session: its day is written as on that day (no year).
    with (
        time_machine.travel(session.ends_at + timedelta(hours=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        emails_queue_many(session_feedback_requests(session.ends_at + timedelta(hours=1)))
    requests = sent()
    mail.outbox.clear()
    with (
        time_machine.travel(session.ends_at + timedelta(days=4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        emails_queue_many(session_feedback_requests(session.ends_at + timedelta(days=4)))

    assert [(to, subject) for to, subject, _ in requests] == [
        ("ada@example.org", "Session 1: Getting started"),
        ("ben@example.org", "How was session 1? Two minutes of feedback"),
    ]
    assert requests[0][2] == f"Dear Ada Lovelace, how was {day}? {link}\n"
    assert requests[1][2].startswith("Hello Ben Okri,\n\nThank you for coming to session 1")
    assert [(to, subject) for to, subject, _ in sent()] == [
        ("ada@example.org", "Still time, Ada Lovelace"),
        ("ben@example.org", "Reminder: your feedback on session 1"),
    ]
    assert sent()[0][2].startswith(f"{link}\n\n--\nYou are receiving this optional reminder. To stop these")


def test_survey_invitation_and_reminder_use_the_programmes_wording(
    cohort, django_capture_on_commit_callbacks
):
    last = SessionFactory(cohort=cohort, number=6)
    MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
    word(cohort.programme, EmailKind.LEARNING_SURVEY, "{survey}", "Dear {name}: {link}")
    word(cohort.programme, EmailKind.LEARNING_SURVEY_REMINDER, "Again: {survey}", "{link}")

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(survey_requests(last.ends_at + timedelta(hours=1)))
    evaluation = Survey.objects.get(programme=cohort.programme, kind=SurveyKind.EVALUATION)
    link = settings.SITE_URL + evaluation.get_absolute_url()
    invitation = sent()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(survey_requests(last.ends_at + timedelta(days=5, hours=2)))

    assert invitation == [("ada@example.org", "End-of-programme evaluation", f"Dear Ada Lovelace: {link}\n")]
    ((to, subject, body),) = sent()
    assert (to, subject) == ("ada@example.org", "Again: End-of-programme evaluation")
    assert body.startswith(
        f"{link}\n\n--\nYou are receiving this optional reminder. To stop these, open: http"
    )


@pytest.mark.parametrize("worded", [False, True])
def test_a_batch_of_feedback_requests_costs_the_same_queries_with_wordings(
    cohort, session, ada, elsewhere, worded, django_assert_num_queries, django_capture_on_commit_callbacks
):
    MemberFactory(cohort=cohort, name="Cy", email="cy@example.org")
    AttendanceFactory(session=session, member=cohort.applications.get(email="cy@example.org"))
    if worded:
        word(cohort.programme, EmailKind.LEARNING_SESSION_FEEDBACK, "Feedback", "{link}")
        word(elsewhere.cohort.programme, EmailKind.LEARNING_SESSION_FEEDBACK, "Feedback", "{link}")
    due = list(session_feedback_requests(session.ends_at + timedelta(hours=1)))

    # keys stored, each programme's wordings (2), then savepoint, insert, queued ids, release
    with django_assert_num_queries(7), django_capture_on_commit_callbacks(execute=False):
        assert emails_queue_many(due) == 3


def test_a_survey_invitation_without_its_link_is_refused_with_the_reason(client, cohort):
    errors = wording_refused(
        client,
        cohort.programme,
        EmailKind.LEARNING_SURVEY,
        subject="{survey} for {group}",
        body="Please answer {survey}.",
    )

    assert errors == {
        "subject": [
            "{group} is not a placeholder this email can use. It can use: {name}, {programme}, {contact_name}, "
            "{contact_email}, {survey}, {survey_intro}, {link}."
        ],
        "body": [
            "This email must give the link to answer (it asks them to sign in): put {link} in the text."
        ],
    }


def test_the_feedback_preview_shows_a_real_member_who_came(client, cohort, session, ada):
    wording = word(cohort.programme, EmailKind.LEARNING_SESSION_FEEDBACK, "{topic}", "Dear {name}: {link}")
    link = settings.SITE_URL + reverse("learning:session_feedback", kwargs={"session_id": session.pk})

    assert wording_preview(client, wording) == (
        "<p>As Ada Lovelace would receive it:</p><p><strong>Getting started</strong></p>"
        f"<pre>Dear Ada Lovelace: {link}</pre>"
    )
