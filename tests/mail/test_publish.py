"""Send tasks are published after commit, robustly: committed work never becomes an error page when the broker is
down (the email waits, queued, and the sweeper publishes it later), and the sweeper does not publish a backlog
that is still draining again every minute."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import ExpressionOfInterest
from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import outbox_sweep
from tests.factories import ProgrammeFactory
from tests.mail.conftest import celery_broker, free_port, published_tasks
from tests.mail.test_queue import queue_plain


@pytest.mark.django_db(transaction=True)
def test_form_is_answered_and_its_email_waits_queued_when_the_broker_cannot_be_reached(client, caplog):
    programme = ProgrammeFactory()
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    with caplog.at_level(logging.ERROR), celery_broker(closed):
        response = client.post(
            reverse("applications:interest", kwargs={"slug": programme.slug}),
            {
                "name": "Ben Okafor",
                "email": "ben@example.org",
                "organisation": "Bristol Neighbours",
                "role": "Volunteer coordinator",
                "consent": "on",
                "website": "",
            },
        )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:interest_thanks", kwargs={"slug": programme.slug}),
    )
    assert ExpressionOfInterest.objects.get().email == "ben@example.org"
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.status, email.published_at) == (
        "interest-confirmation",
        EmailStatus.QUEUED,
        None,
    )
    assert "Could not publish send tasks for 1 of 1 emails; the sweeper will publish them." in caplog.text
    assert mail.outbox == []

    # The broker is back (tasks run at once again): the sweeper's next run publishes it, and it goes.
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert outbox_sweep() == [email.pk]
    email.refresh_from_db()
    assert (email.status, [m.to for m in mail.outbox]) == (EmailStatus.SENT, [["ben@example.org"]])


def test_sweeper_does_not_publish_a_draining_backlog_again_every_minute(
    db, django_capture_on_commit_callbacks
):
    with celery_broker("memory://") as app:
        published_tasks(app)  # an empty queue to start
        with django_capture_on_commit_callbacks(execute=True):
            emails = [queue_plain(key=f"backlog:{n}", to=f"p{n}@example.org") for n in range(30)]
        ids = [email.pk for email in emails]
        assert published_tasks(app) == [[pk] for pk in ids]  # each published after its commit

        start = timezone.now()
        with time_machine.travel(start, tick=False) as traveller:
            swept = []
            for _minute in range(14):  # a worker is still busy with the backlog
                traveller.shift(timedelta(minutes=1))
                swept.append(outbox_sweep())
            assert (swept, published_tasks(app)) == ([[]] * 14, [])

            traveller.shift(timedelta(minutes=2))  # 16 minutes: taken to be lost, published once more
            assert outbox_sweep() == ids
            assert published_tasks(app) == [ids[:25], ids[25:]]
            traveller.shift(timedelta(minutes=1))
            assert (outbox_sweep(), published_tasks(app)) == ([], [])


def test_an_email_whose_publishing_failed_is_published_by_the_sweeper_once(
    db, django_capture_on_commit_callbacks
):
    with (
        celery_broker(f"redis://127.0.0.1:{free_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = queue_plain()

    with celery_broker("memory://") as app:
        published_tasks(app)
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert outbox_sweep() == []  # the publishing that follows a commit may still be on its way
        with time_machine.travel(timezone.now() + timedelta(minutes=3)):
            assert (outbox_sweep(), outbox_sweep(), published_tasks(app)) == ([email.pk], [], [[email.pk]])
