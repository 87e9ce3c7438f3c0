import hashlib
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connections
from django.utils import timezone

from cohort_site.mail import dispatch
from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import NewEmail, emails_queue_many, opt_out_record, queue
from tests.factories import DropInFactory
from tests.mail.conftest import publishes


@pytest.fixture
def isolated_kinds(monkeypatch):
    """Only the kinds a test registers run (the registry is module state)."""
    monkeypatch.setattr(dispatch, "_REMINDER_KINDS", {})


def register_drop_in_soon_kind():
    @dispatch.reminder("test-drop-in-soon")
    def drop_ins_within_a_day(now):
        for drop_in in DropInFactory._meta.model.objects.filter(
            starts_at__gt=now, starts_at__lte=now + timedelta(days=1)
        ):
            yield NewEmail(
                key=f"test-drop-in-soon:{drop_in.pk}",
                kind=EmailKind.LEARNING_SURVEY,
                to="sam@example.org",
                subject="Drop-in tomorrow",
                context={"name": "Sam"},
            )


def test_dispatch_sends_what_is_due_once_however_often_it_runs(
    db, isolated_kinds, django_capture_on_commit_callbacks
):
    register_drop_in_soon_kind()
    soon = DropInFactory(starts_at=timezone.now() + timedelta(hours=20))
    DropInFactory(starts_at=timezone.now() + timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        dispatch.reminders_dispatch()
        dispatch.reminders_dispatch()

    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == [f"test-drop-in-soon:{soon.pk}"]
    assert len(mail.outbox) == 1


def test_missed_run_catches_up_on_the_next(db, isolated_kinds, django_capture_on_commit_callbacks):
    register_drop_in_soon_kind()
    drop_in = DropInFactory(starts_at=timezone.now() + timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=True):
        dispatch.reminders_dispatch(now=timezone.now())  # not due yet
        # beat was down for hours; the next run still finds it due
        dispatch.reminders_dispatch(now=timezone.now() + timedelta(hours=12))

    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == [f"test-drop-in-soon:{drop_in.pk}"]


def test_one_failing_kind_does_not_stop_the_others(db, isolated_kinds):
    ran = []

    @dispatch.reminder("a-broken")
    def broken(now):
        raise RuntimeError("boom")

    @dispatch.reminder("b-working")
    def working(now):
        ran.append(now)

    failed = dispatch.reminders_dispatch()

    assert (failed, len(ran)) == (["a-broken"], 1)


def register_many_due_kind(count: int, *, optional: bool = False):
    kind = EmailKind.LEARNING_SURVEY_REMINDER if optional else EmailKind.LEARNING_SURVEY

    @dispatch.reminder("many")
    def many(now):
        for n in range(count):
            yield NewEmail(
                key=f"many:{n}", kind=kind, to=f"p{n}@example.org", subject="Soon", context={"name": f"P{n}"}
            )


@pytest.mark.parametrize("count", [1, 20])
def test_due_reminders_are_stored_with_the_same_queries_at_any_size(
    db, isolated_kinds, count, django_assert_num_queries, django_capture_on_commit_callbacks
):
    register_many_due_kind(count, optional=True)
    due = dispatch.reminder_kinds()["many"]
    ContentType.objects.get_for_model(OutgoingEmail)  # cached per process, as in a worker

    # keys already stored, the kind's opt-outs, then per batch: savepoint, insert, queued ids, release
    with django_assert_num_queries(6), django_capture_on_commit_callbacks(execute=False) as published:
        assert emails_queue_many(due(timezone.now())) == count
    # a second run finds every key stored: one query, nothing rendered or inserted
    with django_assert_num_queries(1):
        assert emails_queue_many(due(timezone.now())) == 0

    assert OutgoingEmail.objects.filter(key__startswith="many:", status=EmailStatus.QUEUED).count() == count
    assert len(publishes(published)) == 1


def test_dispatch_publishes_the_send_tasks_a_batch_at_a_time(
    db, isolated_kinds, monkeypatch, django_capture_on_commit_callbacks
):
    register_many_due_kind(5)
    publishes = []
    monkeypatch.setattr(queue, "BATCH_SIZE", 2)
    monkeypatch.setattr(queue, "emails_publish", publishes.append)

    with django_capture_on_commit_callbacks(execute=True):
        dispatch.reminders_dispatch()

    ids = list(OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True))
    assert publishes == [ids[0:2], ids[2:4], ids[4:5]]


def test_opted_out_and_erased_addresses_in_a_batch_are_not_sent_and_say_why(
    db, isolated_kinds, django_capture_on_commit_callbacks
):
    opt_out_record(email="P1@example.org", kind=EmailKind.LEARNING_SURVEY_REMINDER)

    @dispatch.reminder("few")
    def few(now):
        for to in ("p0@example.org", "p1@example.org", "erased-3@erased.invalid"):
            yield NewEmail(key=f"few:{to}", kind=EmailKind.LEARNING_SURVEY_REMINDER, to=to, subject="Soon")

    with django_capture_on_commit_callbacks(execute=True):
        dispatch.reminders_dispatch()

    assert list(OutgoingEmail.objects.order_by("key").values_list("to", "status", "skip_reason")) == [
        ("erased-3@erased.invalid", EmailStatus.SKIPPED, SkipReason.ERASED),
        ("p0@example.org", EmailStatus.SENT, ""),
        ("p1@example.org", EmailStatus.SKIPPED, SkipReason.UNSUBSCRIBED),
    ]
    assert [m.to for m in mail.outbox] == [["p0@example.org"]]


@pytest.mark.postgres
def test_a_run_while_another_is_running_skips(db, isolated_kinds):
    ran = []

    @dispatch.reminder("counted")
    def counted(now):
        ran.append(now)

    other = connections.create_connection("default")
    try:
        with dispatch.advisory_lock(dispatch.DISPATCH_LOCK) as held, other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_number(dispatch.DISPATCH_LOCK)])
            assert (held, cursor.fetchone()[0]) == (True, False)
        skipped = None
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock_number(dispatch.DISPATCH_LOCK)])
            skipped = dispatch.reminders_dispatch()
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_number(dispatch.DISPATCH_LOCK)])
        ran_after = dispatch.reminders_dispatch()
    finally:
        other.close()

    assert (skipped, ran_after, len(ran)) == (None, [], 1)


def lock_number(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
