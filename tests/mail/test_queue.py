import datetime

import time_machine
from django.core import mail

from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_queue
from cohort_site.mail.services.queue import email_html
from tests.mail.conftest import publishes


def queue_plain(key: str = "notice:1", name: str = "Sam", **overrides) -> OutgoingEmail:
    """A message of a real kind whose text needs no database rows: the invitation to a survey, greeting `name`."""
    arguments = {
        "key": key,
        "kind": EmailKind.LEARNING_SURVEY,
        "to": "sam@example.org",
        "subject": "Hello",
        "context": {"name": name, "survey": {"title": "Check-in", "intro": "See you on Tuesday."}},
    } | overrides
    return email_queue(**arguments)


def test_same_key_twice_gives_one_row_and_one_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_plain()
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_plain(subject="A different subject")

    assert second.pk == first.pk
    assert OutgoingEmail.objects.count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["sam@example.org"], "Hello")]
    first.refresh_from_db()
    assert (first.status, first.attempts) == (EmailStatus.SENT, 1)


def test_message_is_sent_only_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_plain()
        assert mail.outbox == []

    assert len(publishes(callbacks)) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED


def test_draft_is_not_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_plain(draft=True)

    assert mail.outbox == []
    assert email.status == EmailStatus.DRAFT


def test_the_html_adds_no_second_unsubscribe_link_when_laid_out_seconds_after_queuing(db):
    # The link is signed with the time, so the text's (made when queued) and one made later differ; the layout
    # must still see that the text has one.
    queued_at = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(queued_at, tick=False):
        email = queue_plain(kind=EmailKind.LEARNING_SURVEY_REMINDER)
    with time_machine.travel(queued_at + datetime.timedelta(seconds=5), tick=False):
        html = email_html(email)

    assert (email.body_text.count("/email/unsubscribe/"), html.count("/email/unsubscribe/")) == (1, 1)
