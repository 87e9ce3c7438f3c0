from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cohort_site.mail import dispatch
from cohort_site.mail.models import OutgoingEmail
from tests.factories import DropInFactory
from tests.mail.test_queue import queue_plain


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
            queue_plain(key=f"test-drop-in-soon:{drop_in.pk}", subject="Drop-in tomorrow")


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
