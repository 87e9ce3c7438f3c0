import datetime

from django.core import mail

from cohort_site.mail.dispatch import reminder_kinds, reminders_dispatch
from cohort_site.mail.services import emails_queue_many
from sessions_app import services
from sessions_app.join_links import join_url
from sessions_app.models import Session
from sessions_app.reminders import session_reminders
from tests.factories import GuestFactory

UTC = datetime.UTC


def test_reminder_goes_the_day_before_once_sparing_apologies(autumn, on, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(
            cohort=autumn["cohort"], candidate_time=autumn["tuesday"], join_url="https://meet.example.org/g1"
        )
    second = Session.objects.get(cohort=autumn["cohort"], number=2)  # Tuesday 26 October, 13:00 UTC
    services.apologies_send(session=second, member=autumn["bo"])
    GuestFactory(session=second, name="Dee Expert", email="dee@example.com")
    mail.outbox.clear()

    on(2021, 10, 25, 12, 0)  # 25 hours before: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch() == []
    assert mail.outbox == []

    on(2021, 10, 25, 13, 5)  # within the day before
    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch()
    on(2021, 10, 25, 13, 10)  # the next beat: nothing twice
    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch()

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", "Reminder: Session 2, Tuesday 26 October, 14:00"),
        ("dee@example.com", "Reminder: Session 2, Tuesday 26 October, 14:00"),
    ]
    by_address = {m.to[0]: m.body for m in mail.outbox}
    # A member is sent their own join link, which opens the video link when the time comes; a guest the video link.
    assert f"Join the session: {join_url(autumn['ada'])}\n" in by_address["ada@example.org"]
    assert "meet.example.org" not in by_address["ada@example.org"]
    assert "Join the session: https://meet.example.org/g1\n" in by_address["dee@example.com"]
    assert "session-reminder" in reminder_kinds()


def test_moved_session_is_reminded_again_at_its_new_time(autumn, on, django_capture_on_commit_callbacks):
    services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["thursday"])
    first = Session.objects.get(cohort=autumn["cohort"], number=1)  # Thursday 21 October, 09:00 UTC
    on(2021, 10, 20, 10, 0)
    emails_queue_many(session_reminders(datetime.datetime(2021, 10, 20, 10, 0, tzinfo=UTC)))
    services.session_move(session=first, starts_at=datetime.datetime(2021, 10, 21, 11, 0, tzinfo=UTC))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(session_reminders(datetime.datetime(2021, 10, 20, 11, 0, tzinfo=UTC)))

    assert sorted(m.subject for m in mail.outbox) == [
        "Reminder: Session 1 (orientation), Thursday 21 October, 07:00",
        "Reminder: Session 1 (orientation), Thursday 21 October, 12:00",
    ]


def test_cancelled_sessions_get_no_reminder(autumn, django_capture_on_commit_callbacks):
    services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["tuesday"])
    services.session_cancel(session=Session.objects.get(cohort=autumn["cohort"], number=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(session_reminders(datetime.datetime(2021, 10, 18, 14, 0, tzinfo=UTC)))

    assert mail.outbox == []
