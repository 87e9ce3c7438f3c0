import pytest
from django.core import mail
from django.urls import reverse

from cohort_site.core.data_subjects import DataSubject, personal_data_erase
from cohort_site.mail.enums import EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import TRANSITIONS, email_deliver, emails_set_status, opt_out_record
from tests.factories import StaffFactory
from tests.mail.test_queue import queue_plain

S = EmailStatus


def test_every_status_is_in_the_table_and_sent_and_skipped_are_final():
    assert sorted(TRANSITIONS) == sorted(S.values)
    assert (TRANSITIONS[S.SENT], TRANSITIONS[S.SKIPPED]) == (set(), set())


def test_a_move_the_table_does_not_allow_is_refused(db):
    email = queue_plain()

    with pytest.raises(ValueError, match="An email that is sent cannot become queued"):
        emails_set_status(emails=[email.pk], status=S.QUEUED, current=[S.SENT])
    with pytest.raises(ValueError, match="A skipped email says why"):
        emails_set_status(emails=[email.pk], status=S.SKIPPED)


def test_only_rows_in_a_status_that_may_move_are_moved(db):
    draft = queue_plain(key="a", draft=True)
    queued = queue_plain(key="b")
    emails_set_status(emails=[queued.pk], status=S.SENDING)
    emails_set_status(emails=[queued.pk], status=S.SENT)

    moved = emails_set_status(emails=[draft.pk, queued.pk], status=S.QUEUED)

    assert moved == [draft.pk]
    assert dict(OutgoingEmail.objects.values_list("key", "status")) == {"a": S.QUEUED, "b": S.SENT}


def test_skipped_says_why_on_the_outbox(client, db, django_capture_on_commit_callbacks):
    opt_out_record(email="sam@example.org", kind="learning-survey-reminder")
    with django_capture_on_commit_callbacks(execute=True):
        unsubscribed = queue_plain(key="nudge", kind="learning-survey-reminder")
        waiting = queue_plain(key="draft", to="pat@example.org", draft=True)
    personal_data_erase(DataSubject(email="pat@example.org", user=None))
    client.force_login(StaffFactory())

    page = client.get("/staff/outbox/").content.decode()
    detail = client.get(reverse("mail:outbox_email", args=[waiting.pk])).content.decode()

    assert [(e.key, e.status, e.skip_reason) for e in OutgoingEmail.objects.order_by("key")] == [
        ("draft", S.SKIPPED, SkipReason.ERASED),
        ("nudge", S.SKIPPED, SkipReason.UNSUBSCRIBED),
    ]
    assert "Not sent: unsubscribed" in page
    assert "Not sent: the address was erased" in page
    assert "Not sent: the address was erased, after 0 attempts" in detail
    assert (unsubscribed.status, mail.outbox) == (S.SKIPPED, [])


def test_erasure_skips_a_failed_message_so_it_can_never_be_retried(db):
    failed = queue_plain()
    emails_set_status(emails=[failed.pk], status=S.SENDING)
    emails_set_status(emails=[failed.pk], status=S.FAILED)

    personal_data_erase(DataSubject(email="sam@example.org", user=None))

    failed.refresh_from_db()
    assert (failed.status, failed.skip_reason, failed.to) == (
        S.SKIPPED,
        SkipReason.ERASED,
        f"erased-{failed.pk}@erased.invalid",
    )


def test_a_queued_message_whose_address_was_erased_since_is_skipped_not_sent(db):
    email = queue_plain()
    OutgoingEmail.objects.filter(pk=email.pk).update(to="erased-1@erased.invalid")  # as retention leaves it

    assert email_deliver(email_id=email.pk) == S.SKIPPED
    email.refresh_from_db()
    assert (email.status, email.skip_reason, mail.outbox) == (S.SKIPPED, SkipReason.ERASED, [])
