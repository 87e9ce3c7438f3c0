"""Her own wording (issue 20) for the schedule's emails: the session invitation, update and reminder use the
programme's wording with its placeholders filled in for each person, another programme keeps the default, a bad
placeholder is refused on save, the preview shows a real member, and a batch of reminders costs the same queries
with wordings as without."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import emails_queue_many
from sessions_app import services
from sessions_app.join_links import join_url
from sessions_app.models import Session
from sessions_app.reminders import session_reminders
from tests.factories import CohortFactory, MemberFactory, ProgrammeFactory, SessionFactory
from tests.wording import word, wording_preview, wording_refused

UTC = datetime.UTC
SCHEDULE = settings.SITE_URL + "/schedule/"


def sent_to(address):
    return [(m.subject, m.body) for m in mail.outbox if m.to == [address]]


@pytest.fixture
def confirmed(autumn, django_capture_on_commit_callbacks):
    """The group meets on Tuesdays at 14:00 UK time with one video link; the invitations are sent."""
    word(
        autumn["programme"],
        EmailKind.SESSION_INVITE,
        "{group}: your sessions",
        "Dear {name},\n\n{sessions}\n\nOne link: {join_link}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(
            cohort=autumn["cohort"], candidate_time=autumn["tuesday"], join_url="https://meet.example.org/g1"
        )
    return autumn


@pytest.fixture
def elsewhere(autumn):
    """Another programme's group with a session at the same time as the autumn group's second."""
    programme = ProgrammeFactory(title="Another call", first_session_week=datetime.date(2021, 10, 18))
    cohort = CohortFactory(programme=programme, first_session_week=datetime.date(2021, 10, 18))
    MemberFactory(cohort=cohort, name="Cy Twombly", email="cy@example.org")
    return SessionFactory(cohort=cohort, number=2)


def test_the_invitation_uses_the_programmes_wording(confirmed):
    ((subject, body),) = sent_to("ada@example.org")

    assert subject == "Group 1: your sessions"
    assert body.startswith(
        "Dear Ada Lovelace,\n\nSession 1 (orientation)\nTuesday 19 October 2021, 14:00–16:00 (UK time)\n\n"
        "Session 2\nTuesday 26 October 2021, 14:00–16:00 (UK time)\n\n"
    )
    assert body.endswith(f"\n\nOne link: {join_url(confirmed['ada'])}\n")


def test_a_round_of_invitations_reads_the_wording_once(autumn, django_capture_on_commit_callbacks):
    word(autumn["programme"], EmailKind.SESSION_INVITE, "Sessions", "{sessions}")
    MemberFactory(cohort=autumn["cohort"], name="Cy Twombly", email="cy@example.org")

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["tuesday"])

    assert sum("applications_emailwording" in q["sql"] for q in queries) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bo@example.org", "cy@example.org"]


def test_the_reminder_uses_the_wording_for_each_person_and_another_programme_keeps_the_default(
    confirmed, elsewhere, on, django_capture_on_commit_callbacks
):
    word(
        confirmed["programme"],
        EmailKind.SESSION_REMINDER,
        "Tomorrow: {programme}",
        "Dear {name},\n\n{session}\n\nCan't come? {schedule_link}\n{contact_name}",
    )
    mail.outbox.clear()
    on(2021, 10, 25, 13, 5)

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(session_reminders(datetime.datetime(2021, 10, 25, 13, 5, tzinfo=UTC)))

    assert sent_to("ada@example.org") == [
        (
            "Tomorrow: Relationships at the heart of our work",
            "Dear Ada Lovelace,\n\nSession 2\nTuesday 26 October 2021, 14:00–16:00 (UK time)\n"
            f"Join the session: {join_url(confirmed['ada'])}\n\nCan't come? {SCHEDULE}\nZoë Cumberland\n",
        )
    ]
    assert sent_to("bo@example.org") == [
        (
            "Tomorrow: Relationships at the heart of our work",
            "Dear Bo Diddley,\n\nSession 2\nTuesday 26 October 2021, 09:00–11:00 (US Eastern time)\n"
            f"Join the session: {join_url(confirmed['bo'])}\n\nCan't come? {SCHEDULE}\nZoë Cumberland\n",
        )
    ]
    assert [subject for subject, _ in sent_to("cy@example.org")] == [
        "Reminder: Session 2, Tuesday 26 October, 14:00"
    ]


def test_an_update_says_what_changed_in_the_programmes_wording(confirmed, django_capture_on_commit_callbacks):
    word(
        confirmed["programme"],
        EmailKind.SESSION_UPDATE,
        "Changed: {programme}",
        "{what_changed}\n\n{session}",
    )
    second = Session.objects.get(cohort=confirmed["cohort"], number=2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=second, starts_at=datetime.datetime(2021, 10, 27, 13, 0, tzinfo=UTC))

    assert sent_to("ada@example.org") == [
        (
            "Changed: Relationships at the heart of our work",
            "A session has moved to a new time.\n\nSession 2\nWednesday 27 October 2021, 14:00–16:00 (UK time)\n"
            f"Join the session: {join_url(confirmed['ada'])}\n",
        )
    ]


def reminders_due(autumn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["tuesday"])
    return list(session_reminders(datetime.datetime(2021, 10, 25, 13, 5, tzinfo=UTC)))


@pytest.mark.parametrize("worded", [False, True])
def test_a_batch_of_reminders_costs_the_same_queries_with_wordings(
    autumn, elsewhere, worded, django_assert_num_queries, django_capture_on_commit_callbacks
):
    if worded:
        word(autumn["programme"], EmailKind.SESSION_REMINDER, "Soon", "Dear {name},\n\n{session}")
        word(elsewhere.cohort.programme, EmailKind.SESSION_REMINDER, "Soon", "{session}")
    due = reminders_due(autumn, django_capture_on_commit_callbacks)

    # keys stored, each programme's wordings (2), then savepoint, insert, queued ids, release
    with django_assert_num_queries(7), django_capture_on_commit_callbacks(execute=False):
        assert emails_queue_many(due) == 3


def test_a_reminder_without_its_session_or_with_a_placeholder_it_does_not_know_is_refused(client, autumn):
    errors = wording_refused(
        client,
        autumn["programme"],
        EmailKind.SESSION_INVITE,
        subject="{deadline}",
        body="Dear {name}, see you.",
    )

    assert errors == {
        "subject": [
            "{deadline} is not a placeholder this email can use. It can use: {name}, {programme}, "
            "{contact_name}, {contact_email}, {group}, {sessions}, {join_link}, {schedule_link}."
        ],
        "body": [
            "This email must give every session's title, day and time, join link and venue: put {sessions} in "
            "the text."
        ],
    }


def test_the_preview_shows_a_real_member_and_their_next_session(client, confirmed):
    wording = word(
        confirmed["programme"], EmailKind.SESSION_REMINDER, "Soon: {programme}", "Dear {name},\n{session}"
    )

    assert wording_preview(client, wording) == (
        "<p>As Ada Lovelace would receive it:</p><p><strong>Soon: Relationships at the heart of our work"
        "</strong></p><pre>Dear Ada Lovelace,\nSession 1 (orientation)\n"
        "Tuesday 19 October 2021, 14:00–16:00 (UK time)</pre>"
    )
