import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_deliver, email_store, emails_send_drafts, outbox_sweep
from cohort_site.mail.tasks import email_send
from tests.core.test_celery import wait_for
from tests.mail.test_queue import queue_plain


def test_temporary_failures_retry_with_growing_waits_and_deliver_once(db, smtp_server):
    server = smtp_server(["451 4.3.0 Try again later", "451 4.3.0 Try again later"])
    email = queue_plain()  # the on-commit send never runs inside the test transaction; the task runs below

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start = timezone.now()
        assert email_deliver(email_id=email.pk) == EmailStatus.QUEUED
        email.refresh_from_db()
        assert (email.attempts, email.next_attempt_at - start) == (1, timedelta(minutes=1))

        assert outbox_sweep() == []  # not due yet
        traveller.shift(timedelta(minutes=1))
        assert outbox_sweep() == [email.pk]
        email.refresh_from_db()
        assert (email.status, email.attempts, email.next_attempt_at - timezone.now()) == (
            EmailStatus.QUEUED,
            2,
            timedelta(minutes=5),
        )

        traveller.shift(timedelta(minutes=5))
        assert outbox_sweep() == [email.pk]
        outbox_sweep()
        traveller.shift(timedelta(hours=2))
        outbox_sweep()

    email.refresh_from_db()
    assert (email.status, email.attempts, server.attempts, len(server.accepted)) == (
        EmailStatus.SENT,
        3,
        3,
        1,
    )
    assert b"Subject: Hello" in server.accepted[0]


def test_permanent_failure_fails_at_once_and_shows_manager_the_error(db, smtp_server, client):
    from tests.factories import StaffFactory

    server = smtp_server(["550 5.1.1 Mailbox unavailable"])
    email = queue_plain()

    assert email_deliver(email_id=email.pk) == EmailStatus.FAILED
    assert email_deliver(email_id=email.pk) is None

    email.refresh_from_db()
    assert (email.status, email.attempts, server.attempts) == (EmailStatus.FAILED, 1, 1)
    assert email.last_error == "SMTPDataError: (550, b'5.1.1 Mailbox unavailable')"
    client.force_login(StaffFactory())
    page = client.get(f"/staff/outbox/{email.pk}/").content.decode()
    assert "SMTPDataError: (550, b&#x27;5.1.1 Mailbox unavailable&#x27;)" in page


def test_temporary_failure_gives_up_after_the_last_wait(db, smtp_server):
    server = smtp_server(["421 4.7.0 Busy"] * 10)
    email = queue_plain()

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        email_deliver(email_id=email.pk)
        for minutes in (1, 5, 15, 60):
            traveller.shift(timedelta(minutes=minutes))
            outbox_sweep()

    email.refresh_from_db()
    assert (email.status, email.attempts, server.attempts) == (EmailStatus.FAILED, 5, 5)


def test_send_task_run_three_times_sends_once(db, smtp_server):
    server = smtp_server()
    email = queue_plain()

    for _ in range(3):
        email_send.delay(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, len(server.accepted)) == (EmailStatus.SENT, 1, 1)


def test_sweeper_requeues_message_stuck_in_sending_by_a_dead_worker(db, smtp_server):
    server = smtp_server()
    email = queue_plain()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, status_changed_at=timezone.now() - timedelta(minutes=16)
    )

    assert outbox_sweep() == [email.pk]

    email.refresh_from_db()
    assert (email.status, len(server.accepted)) == (EmailStatus.SENT, 1)


def test_sweeper_sends_message_whose_task_was_lost(db, smtp_server):
    server = smtp_server()
    email = queue_plain()

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert outbox_sweep() == [email.pk]

    assert len(server.accepted) == 1


def run_in_threads(count: int, target) -> list:
    results, errors = [], []
    barrier = threading.Barrier(count)

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


@pytest.mark.postgres
def test_two_workers_sending_at_once_send_one_message(transactional_db, smtp_server):
    server = smtp_server(delay=0.5)
    # Stored as a draft, then queued by hand: in autocommit the on-commit send would otherwise run at once.
    email = queue_plain(draft=True)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.QUEUED)

    results = run_in_threads(2, lambda: email_deliver(email_id=email.pk))

    assert sorted(map(str, results)) == ["None", "sent"]
    assert len(server.accepted) == 1


@pytest.mark.postgres
def test_two_managers_sending_the_same_drafts_queue_each_once(transactional_db, smtp_server):
    server = smtp_server()
    drafts = [queue_plain(key=f"decision:{n}", draft=True, to=f"p{n}@example.org") for n in range(5)]

    results = run_in_threads(2, lambda: emails_send_drafts(email_ids=[d.pk for d in drafts]))

    assert sorted(results) == [0, 5]
    assert sorted(OutgoingEmail.objects.values_list("status", flat=True)) == [EmailStatus.SENT] * 5
    assert len(server.accepted) == 5


@pytest.mark.redis
def test_worker_sends_only_after_commit_and_nothing_on_rollback(celery_worker):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        queue_plain(key="rolled-back")
        raise Rollback
    with transaction.atomic():
        kept = queue_plain(key="committed", to="kept@example.org")

    sent = wait_for(lambda: OutgoingEmail.objects.filter(pk=kept.pk, status=EmailStatus.SENT).exists())
    assert sent is True
    assert OutgoingEmail.objects.filter(key="rolled-back").exists() is False
    assert [message.to for message in mail.outbox] == [["kept@example.org"]]


@pytest.mark.postgres
def test_same_key_queued_by_two_workers_at_once_gives_one_row_and_one_message(transactional_db, smtp_server):
    server = smtp_server()

    ids = run_in_threads(4, lambda: queue_plain(key="session-reminder:1:1").pk)

    assert len(set(ids)) == 1
    assert OutgoingEmail.objects.count() == 1
    assert len(server.accepted) == 1


def test_a_secret_outlives_a_temporary_failure_and_is_forgotten_once_sent(db, smtp_server):
    server = smtp_server(["451 4.3.0 Try again later"])
    email = email_store(
        key="code:1",
        kind="account-login-code",
        to="sam@example.org",
        subject="Your code",
        body_text="Your code:\n\nABC-123\n",
        body_html="<p>Your code: <b>ABC-123</b></p>",
        secrets={"sign-in code": "ABC-123"},
    )
    placeholder = "[sign-in code: sent only to the recipient]"
    assert (email.body_text, email.body_html) == (
        f"Your code:\n\n{placeholder}\n",
        f"<p>Your code: <b>{placeholder}</b></p>",
    )

    assert email_deliver(email_id=email.pk) == EmailStatus.QUEUED
    email.refresh_from_db()
    assert email.secrets == {placeholder: "ABC-123"}  # the retry still sends the code

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert email_deliver(email_id=email.pk) == EmailStatus.SENT

    email.refresh_from_db()
    assert email.secrets == {}
    assert b"ABC-123" in server.accepted[0]
    assert placeholder.encode() not in server.accepted[0]
