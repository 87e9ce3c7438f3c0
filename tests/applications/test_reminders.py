import datetime

import time_machine
from django.core import mail

from applications.reminders import apply_reminders, drop_in_reminders
from cohort_site.mail.dispatch import reminder_kinds, reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import emails_queue_many
from tests.factories import ApplicationFactory, ExpressionOfInterestFactory

from .conftest import DEADLINE, DROP_IN_STARTS, london

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def test_recruitment_reminders_are_registered_with_the_dispatcher():
    kinds = reminder_kinds()

    assert (kinds["drop-in-reminder"], kinds["apply-reminder"]) == (drop_in_reminders, apply_reminders)


def test_drop_in_reminder_goes_an_hour_before_to_those_registered_before_then(
    programme, drop_in, django_capture_on_commit_callbacks
):
    early = ExpressionOfInterestFactory(
        programme=programme, email="early@example.org", created_at=london(2021, 7, 2)
    )
    ExpressionOfInterestFactory(
        programme=programme, email="late@example.org", created_at=DROP_IN_STARTS - 30 * MINUTE
    )

    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=DROP_IN_STARTS - HOUR - MINUTE)
        assert mail.outbox == []
        reminders_dispatch(now=DROP_IN_STARTS - HOUR)
        reminders_dispatch(now=DROP_IN_STARTS - 55 * MINUTE)
        reminders_dispatch(now=DROP_IN_STARTS + MINUTE)

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["early@example.org"], "Starting soon: drop-in Q&A for Relationships and connections")
    ]
    body = mail.outbox[0].body
    assert (
        "Wednesday 14 July 2021, 15:00–16:00 (UK time), with Zoë Cumberland\nJoin the drop-in: https://meet.example.org/drop-in\n"
    ) in body
    assert "To stop these, open: http://127.0.0.1:8000/email/unsubscribe/" in body
    assert OutgoingEmail.objects.get().about == early


def test_apply_reminder_goes_only_to_those_who_have_not_applied(
    programme, django_capture_on_commit_callbacks
):
    reminder_at = DEADLINE - programme.apply_reminder_lead
    ExpressionOfInterestFactory(
        programme=programme, email="waiting@example.org", created_at=london(2021, 7, 1)
    )
    ExpressionOfInterestFactory(
        programme=programme, email="Applied@Example.org", created_at=london(2021, 7, 1)
    )
    ApplicationFactory(programme=programme, email="applied@example.org")
    other_programme_application = ApplicationFactory(email="elsewhere@example.org")
    ExpressionOfInterestFactory(
        programme=programme, email="elsewhere@example.org", created_at=london(2021, 7, 1)
    )
    ExpressionOfInterestFactory(
        programme=programme, email="just-now@example.org", created_at=reminder_at + MINUTE
    )
    assert other_programme_application.programme != programme

    with django_capture_on_commit_callbacks(execute=True):
        reminders_dispatch(now=reminder_at - MINUTE)
        assert mail.outbox == []
        reminders_dispatch(now=reminder_at)
        reminders_dispatch(now=reminder_at + 2 * MINUTE)
        reminders_dispatch(now=DEADLINE)

    subject = "Applications close at 9:00 UK time on Wednesday 21 July 2021"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("elsewhere@example.org", subject),
        ("waiting@example.org", subject),
    ]
    assert "http://127.0.0.1:8000/programmes/relationships/apply/\n" in mail.outbox[0].body


def test_apply_reminder_skips_someone_who_applies_after_registering(
    programme, django_capture_on_commit_callbacks
):
    reminder_at = DEADLINE - programme.apply_reminder_lead
    ExpressionOfInterestFactory(programme=programme, email="quick@example.org", created_at=london(2021, 7, 1))
    ApplicationFactory(programme=programme, email="quick@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(apply_reminders(reminder_at))

    assert mail.outbox == []


def test_apply_reminder_respects_opt_out(programme, django_capture_on_commit_callbacks):
    from cohort_site.mail.services import opt_out_record

    ExpressionOfInterestFactory(
        programme=programme, email="no-more@example.org", created_at=london(2021, 7, 1)
    )
    opt_out_record(email="no-more@example.org", kind="apply-reminder")

    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(DEADLINE - HOUR, tick=False):
        emails_queue_many(apply_reminders(DEADLINE - HOUR))

    email = OutgoingEmail.objects.get()
    assert (mail.outbox, email.status, email.status_label) == ([], "skipped", "Not sent: unsubscribed")
