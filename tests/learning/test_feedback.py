import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.enums import QuestionKind
from applications.models import QuestionAnswer
from applications.services import builtin_questions_ensure
from cohort_site.mail.dispatch import reminders_dispatch
from learning import services
from learning.enums import SurveyKind
from learning.models import SessionFeedback, Survey, SurveyResponse
from sessions_app.enums import AttendanceStatus, SessionStatus
from tests.factories import (
    AttendanceFactory,
    MemberFactory,
    QuestionFactory,
    SessionFactory,
    SessionFeedbackFactory,
)


@pytest.fixture
def session(cohort):
    return SessionFactory(cohort=cohort, number=1, topic="Getting started")


@pytest.fixture
def attendees(session, cohort):
    """Ada and Ben attended; Cy sent apologies."""
    ada = MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
    ben = MemberFactory(cohort=cohort, name="Ben Okri", email="ben@example.org")
    cy = MemberFactory(cohort=cohort, name="Cy Twombly", email="cy@example.org")
    AttendanceFactory(session=session, member=ada)
    AttendanceFactory(session=session, member=ben)
    AttendanceFactory(session=session, member=cy, status=AttendanceStatus.APOLOGIES)
    return ada, ben, cy


def dispatch_at(moment: datetime.datetime, capture) -> list[tuple[str, str]]:
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False), capture(execute=True):
        assert reminders_dispatch(now=timezone.now()) == []
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def test_feedback_request_goes_once_to_attendees_who_have_not_answered(
    session, attendees, django_capture_on_commit_callbacks
):
    ada, _ben, _cy = attendees
    SessionFeedbackFactory(session=session, member=ada, rating=5)
    after = session.ends_at + timedelta(hours=1)

    first = dispatch_at(after, django_capture_on_commit_callbacks)
    second = dispatch_at(after + timedelta(minutes=5), django_capture_on_commit_callbacks)

    assert first == [("ben@example.org", "How was session 1? Two minutes of feedback")]
    assert second == []


def test_no_request_before_the_session_ends(session, attendees, django_capture_on_commit_callbacks):
    assert dispatch_at(session.ends_at - timedelta(minutes=1), django_capture_on_commit_callbacks) == []


def test_no_request_for_a_cancelled_session(session, attendees, django_capture_on_commit_callbacks):
    session.status = SessionStatus.CANCELLED
    session.save()

    assert dispatch_at(session.ends_at + timedelta(hours=1), django_capture_on_commit_callbacks) == []


def test_request_text_links_to_the_form(session, attendees, django_capture_on_commit_callbacks, settings):
    ada, _ben, _ = attendees
    SessionFeedbackFactory(session=session, member=ada)

    dispatch_at(session.ends_at + timedelta(hours=1), django_capture_on_commit_callbacks)

    [message] = mail.outbox
    url = reverse("learning:session_feedback", kwargs={"session_id": session.pk})
    local_day = timezone.localtime(session.starts_at, session.cohort.programme.tz).strftime("%A %-d %B")
    assert message.body.splitlines()[:8] == [
        "Hello Ben Okri,",
        "",
        f"Thank you for coming to session 1 (Getting started) on {local_day}.",
        "",
        "How was it? A rating and two short answers (what worked, what to change) help us shape the sessions "
        "still to come. It takes about two minutes:",
        "",
        f"{settings.SITE_URL}{url}",
        "",
    ]


def test_reminder_only_to_those_who_still_have_not_answered(
    session, attendees, django_capture_on_commit_callbacks
):
    ada, _ben, _ = attendees
    dispatch_at(session.ends_at + timedelta(hours=1), django_capture_on_commit_callbacks)
    services.session_feedback_save(session=session, member=ada, rating=4, what_worked="Pairs")

    early = dispatch_at(session.ends_at + timedelta(days=2), django_capture_on_commit_callbacks)
    due = dispatch_at(session.ends_at + timedelta(days=3, hours=2), django_capture_on_commit_callbacks)
    again = dispatch_at(session.ends_at + timedelta(days=4), django_capture_on_commit_callbacks)

    assert early == []
    assert due == [("ben@example.org", "Reminder: your feedback on session 1")]
    assert again == []


def test_late_attendance_gets_the_request_first_and_the_reminder_later(
    session, attendees, django_capture_on_commit_callbacks
):
    # Attendance recorded on day 4: the request goes then, the reminder three days after it, not at once.
    first = dispatch_at(session.ends_at + timedelta(days=4), django_capture_on_commit_callbacks)
    soon = dispatch_at(session.ends_at + timedelta(days=4, minutes=5), django_capture_on_commit_callbacks)

    assert [subject for _, subject in first] == ["How was session 1? Two minutes of feedback"] * 2
    assert soon == []


def test_sessions_older_than_the_window_are_left_alone(
    session, attendees, django_capture_on_commit_callbacks
):
    assert dispatch_at(session.ends_at + timedelta(days=15), django_capture_on_commit_callbacks) == []


# --- The feedback form ------------------------------------------------------------------------------------


def test_attendee_gives_feedback_once_even_when_sent_twice(client, session, attendees):
    ada, _, _ = attendees
    url = reverse("learning:session_feedback", kwargs={"session_id": session.pk})
    data = {"rating": "4", "what_worked": "Breakout rooms", "what_to_change": "More time"}

    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(ada.user)
        first = client.post(url, data)
        second = client.post(url, data | {"rating": "5"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(
        SessionFeedback.objects.values_list("member__name", "rating", "what_worked", "what_to_change")
    ) == [("Ada Lovelace", 5, "Breakout rooms", "More time")]


def test_rating_is_required_and_text_is_kept(client, session, attendees):
    ada, _, _ = attendees
    url = reverse("learning:session_feedback", kwargs={"session_id": session.pk})

    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(ada.user)
        response = client.post(url, {"what_worked": "Kept words"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"rating": ["Choose a rating from 1 (poor) to 5 (excellent)."]}
    assert "Kept words" in response.content.decode()


@pytest.mark.parametrize("who", ["apologies", "other_cohort", "manager", "before_end"])
def test_feedback_form_is_404_for_others(client, session, attendees, people, who):
    _, _, cy = attendees
    user = {"apologies": cy.user, "other_cohort": people["other_cohort"], "manager": people["manager"]}.get(
        who, attendees[0].user
    )
    moment = (
        session.ends_at - timedelta(minutes=5)
        if who == "before_end"
        else session.ends_at + timedelta(hours=1)
    )

    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        response = client.get(reverse("learning:session_feedback", kwargs={"session_id": session.pk}))

    assert response.status_code == 404


# --- Surveys ----------------------------------------------------------------------------------------------


@pytest.fixture
def last_session(cohort):
    return SessionFactory(cohort=cohort, number=6)


def test_evaluation_shows_what_the_member_hoped_to_achieve(client, cohort, last_session):
    member = MemberFactory(cohort=cohort, hopes="To find three new ways to reach isolated older men.")
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)

    with time_machine.travel(last_session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(member.user)
        response = client.get(reverse("learning:survey", kwargs={"pk": evaluation.pk}))

    html = response.content.decode()
    aside = html.split('aria-labelledby="hopes-heading"')[1].split("</aside>")[0]
    assert (response.status_code, response.context["member"]) == (200, member)
    assert "<p>To find three new ways to reach isolated older men.</p>" in aside
    assert [field.label for field in response.context["form"]] == [
        "What have you gained from taking part?",
        "What connections have you made with other members?",
        "How connected do you feel to other members of the group?",
        "How has your confidence in your practice changed?",
        "What will you carry into your work?",
        "What next for the group?",
        # Whether their words may be quoted in reports (learning.evidence shows only those who agreed).
        "You may quote my written answers, without my name, in reports about the programme",
    ]


def evaluation_hopes_aside(client, member, evaluation, last_session) -> str:
    """What the member's evaluation shows beside the questions of what they hoped, its whitespace collapsed."""
    with time_machine.travel(last_session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(member.user)
        response = client.get(reverse("learning:survey", kwargs={"pk": evaluation.pk}))
    return " ".join(
        response.content.decode().split('aria-labelledby="hopes-heading"')[1].split("</aside>")[0].split()
    )


def test_evaluation_shows_the_question_marked_beside_hopes_instead(client, cohort, last_session):
    member = MemberFactory(cohort=cohort, hopes="Built-in hopes")
    marked = QuestionFactory(
        programme=cohort.programme,
        kind=QuestionKind.LONG_TEXT,
        label="What would make it worth your while?",
        shown_beside_hopes=True,
    )
    QuestionAnswer.objects.create(application=member, question=marked, text="Two new partners.")
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)

    aside = evaluation_hopes_aside(client, member, evaluation, last_session)
    assert aside == (
        '> <div class="card learning-hopes"> <div class="card-body"> '
        '<h2 class="h5" id="hopes-heading">What would make it worth your while?</h2> '
        '<p class="small text-body-secondary">When you applied, you told us:</p> '
        '<blockquote class="mb-0"> <p>Two new partners.</p> </blockquote> </div> </div>'
    )


def test_evaluation_heads_the_hopes_with_the_programmes_wording(client, cohort, last_session):
    builtin_questions_ensure(programme=cohort.programme)
    cohort.programme.questions.filter(builtin="hopes").update(
        label="What do you hope to take back to your team?"
    )
    member = MemberFactory(cohort=cohort, hopes="Ideas my team can try.")
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)

    aside = evaluation_hopes_aside(client, member, evaluation, last_session)
    assert aside == (
        '> <div class="card learning-hopes"> <div class="card-body"> '
        '<h2 class="h5" id="hopes-heading">What do you hope to take back to your team?</h2> '
        '<p class="small text-body-secondary">When you applied, you told us:</p> '
        '<blockquote class="mb-0"> <p>Ideas my team can try.</p> </blockquote> </div> </div>'
    )


def test_evaluation_is_404_before_the_last_session_ends(client, cohort, last_session):
    member = MemberFactory(cohort=cohort)
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)

    with time_machine.travel(last_session.ends_at - timedelta(minutes=1), tick=False):
        client.force_login(member.user)
        response = client.get(reverse("learning:survey", kwargs={"pk": evaluation.pk}))

    assert response.status_code == 404


def test_answering_the_evaluation_saves_one_response(client, cohort, last_session):
    member = MemberFactory(cohort=cohort)
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)
    questions = list(evaluation.questions.all())
    data = {f"q{q.pk}": ("4" if q.kind == "rating" else f"Answer {n}") for n, q in enumerate(questions)}

    with time_machine.travel(last_session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(member.user)
        client.post(reverse("learning:survey", kwargs={"pk": evaluation.pk}), data)
        response = client.post(reverse("learning:survey", kwargs={"pk": evaluation.pk}), data)

    response_row = SurveyResponse.objects.get()
    assert response.status_code == 302
    assert [
        (a.question.text[:20], a.rating, a.text) for a in response_row.answers.order_by("question__order")
    ] == [
        ("What have you gained", None, "Answer 0"),
        ("What connections hav", None, "Answer 1"),
        ("How connected do you", 4, ""),
        ("How has your confide", 4, ""),
        ("What will you carry ", None, "Answer 4"),
        ("What next for the gr", None, "Answer 5"),
    ]


def test_survey_requests_and_reminders_skip_those_who_answered(
    cohort, last_session, django_capture_on_commit_callbacks
):
    ada = MemberFactory(cohort=cohort, email="ada@example.org")
    MemberFactory(cohort=cohort, email="ben@example.org")
    opened = last_session.ends_at

    first = dispatch_at(opened + timedelta(hours=1), django_capture_on_commit_callbacks)
    evaluation = Survey.objects.get(kind=SurveyKind.EVALUATION)
    services.survey_response_save(survey=evaluation, member=ada, answers={})
    reminder = dispatch_at(opened + timedelta(days=5, hours=2), django_capture_on_commit_callbacks)

    # The mid-point check-in (after session 3) has no session 3 here, so only the evaluation goes.
    assert first == [
        ("ada@example.org", "End-of-programme evaluation: tell us how it went"),
        ("ben@example.org", "End-of-programme evaluation: tell us how it went"),
    ]
    assert reminder == [("ben@example.org", "Reminder: End-of-programme evaluation")]


def test_my_feedback_lists_sessions_and_open_surveys(client, session, attendees, cohort):
    ada, _, _ = attendees
    SessionFactory(cohort=cohort, number=3)
    services.surveys_ensure_defaults(programme=cohort.programme)
    later = cohort.sessions.get(number=3).ends_at + timedelta(hours=1)

    with time_machine.travel(later, tick=False):
        client.force_login(ada.user)
        response = client.get(reverse("learning:my_feedback"))

    assert [(item.title, item.answered) for item in response.context["items"]] == [
        ("Mid-point check-in", False),
        ("Session 1: Getting started", False),
    ]
