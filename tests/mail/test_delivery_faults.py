"""An email the server accepted is never sent again; one it never had is retried; one it had without answering
is left for the manager. Each fault is made by a real SMTP server (aiosmtpd) that drops the connection or answers
slowly, a row left in `sending` as a killed worker leaves it, or the database refusing the write once."""

import email as email_parser
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.models import F, QuerySet
from django.utils import timezone

from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_deliver, message_id, outbox_sweep, stuck_sending_after
from tests.core.test_celery import wait_for
from tests.factories import StaffFactory
from tests.mail.conftest import DROP
from tests.mail.test_queue import queue_plain

S = EmailStatus


def message_ids(contents: list[bytes]) -> list[str]:
    return [email_parser.message_from_bytes(content)["Message-ID"] for content in contents]


def test_every_message_carries_a_message_id_derived_from_its_key(db, smtp_server):
    server = smtp_server()
    first, second = queue_plain(key="decision:1"), queue_plain(key="decision:2", to="pat@example.org")

    email_deliver(email_id=first.pk)
    email_deliver(email_id=second.pk)

    assert message_ids(server.accepted) == [message_id("decision:1"), message_id("decision:2")]
    assert message_id("decision:1") == "<138a610d1f67b6590193cdd402d832d04bbb376c@cohort.example.org>"


def test_connection_dropped_after_the_text_leaves_it_unknown_until_the_manager_resends(
    db, smtp_server, client, django_capture_on_commit_callbacks
):
    server = smtp_server([DROP])
    email = queue_plain()

    assert email_deliver(email_id=email.pk) == S.UNKNOWN
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert outbox_sweep() == []
    email.refresh_from_db()
    assert (email.status, len(server.received), len(server.accepted)) == (S.UNKNOWN, 1, 0)
    assert email.last_error.startswith("SMTPServerDisconnected")

    client.force_login(StaffFactory())
    page = client.get("/staff/outbox/?status=unknown").content.decode()
    assert "May have been sent: check or resend" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/outbox/", {"action": "resend_unknown", "emails": [email.pk]}, follow=True
        )

    assert [str(m) for m in response.context["messages"]] == ["1 message queued to send again."]
    email.refresh_from_db()
    assert (email.status, email.attempts, len(server.accepted)) == (S.SENT, 1, 1)
    # The copy sent again is recognisably the same message.
    assert message_ids(server.received) == [message_id("notice:1")] * 2


def test_answer_slower_than_the_timeout_is_unknown_and_not_sent_twice(db, smtp_server):
    server = smtp_server(delay=2.5, timeout=1)
    email = queue_plain()

    assert email_deliver(email_id=email.pk) == S.UNKNOWN
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert outbox_sweep() == []

    # The server did take it, after the client had stopped waiting: once.
    assert wait_for(lambda: len(server.accepted)) == 1
    email.refresh_from_db()
    assert email.status == S.UNKNOWN


def test_connection_dropped_before_the_text_is_retried_and_sent_once(db, smtp_server):
    drops = [DROP]
    server = smtp_server(on_rcpt=lambda: drops.pop() if drops else None)
    email = queue_plain()

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert email_deliver(email_id=email.pk) == S.QUEUED
        email.refresh_from_db()
        assert (email.attempts, email.next_attempt_at - timezone.now()) == (1, timedelta(minutes=1))
        traveller.shift(timedelta(minutes=1))
        assert outbox_sweep() == [email.pk]

    email.refresh_from_db()
    assert (email.status, email.attempts, len(server.received), len(server.accepted)) == (S.SENT, 2, 1, 1)


def stuck(email: OutgoingEmail, *, for_: timedelta, text_started: bool) -> None:
    """Leave the row as a worker killed mid-send leaves it."""
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=S.SENDING,
        attempts=1,
        status_changed_at=timezone.now() - for_,
        text_started_at=timezone.now() - for_ if text_started else None,
    )


def test_killed_worker_before_the_text_went_is_sent_again_after_twice_the_timeout(db, smtp_server):
    server = smtp_server(timeout=20)
    dead = queue_plain(key="dead:1")
    stuck(dead, for_=timedelta(seconds=41), text_started=False)
    in_flight = queue_plain(key="in-flight:1", to="pat@example.org")
    stuck(in_flight, for_=timedelta(seconds=39), text_started=False)

    swept = outbox_sweep()

    dead.refresh_from_db()
    in_flight.refresh_from_db()
    assert stuck_sending_after() == timedelta(seconds=40)
    assert (swept, dead.status, in_flight.status, len(server.accepted)) == ([dead.pk], S.SENT, S.SENDING, 1)


def test_killed_worker_after_the_text_went_leaves_it_unknown_never_resent(db, smtp_server):
    server = smtp_server()
    email = queue_plain()
    stuck(email, for_=timedelta(minutes=5), text_started=True)

    assert outbox_sweep() == []

    email.refresh_from_db()
    assert (email.status, len(server.received)) == (S.UNKNOWN, 0)
    assert email.last_error == (
        "The worker sending this stopped after the mail server had the whole message: it may have been sent."
    )


def test_database_error_when_marking_sent_is_retried_and_the_message_goes_once(db, smtp_server, monkeypatch):
    server = smtp_server()
    email = queue_plain()
    update, failures = QuerySet.update, []

    def connection_drops_once(queryset, **fields):
        if queryset.model is OutgoingEmail and fields.get("status") == S.SENT and not failures:
            failures.append(fields)
            raise OperationalError("server closed the connection unexpectedly")
        return update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", connection_drops_once)

    assert email_deliver(email_id=email.pk) == S.SENT

    email.refresh_from_db()
    assert (len(failures), email.status, email.sent_at is not None, len(server.accepted)) == (
        1,
        S.SENT,
        True,
        1,
    )


@pytest.mark.postgres
def test_worker_whose_row_was_taken_back_sends_no_text(transactional_db, smtp_server):
    """A worker slower than stuck_sending_after: the sweeper gave its row to another attempt meanwhile."""
    email = queue_plain(draft=True)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=S.QUEUED)

    def taken_back():
        OutgoingEmail.objects.filter(pk=email.pk).update(attempts=F("attempts") + 1)
        connection.close()  # this runs in the SMTP server's thread

    server = smtp_server(on_rcpt=taken_back)

    assert email_deliver(email_id=email.pk) is None

    email.refresh_from_db()
    assert (email.status, email.attempts, email.text_started_at, server.received) == (S.SENDING, 2, None, [])
