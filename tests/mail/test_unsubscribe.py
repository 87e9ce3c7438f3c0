from django.core import mail

from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import EmailOptOut, OutgoingEmail
from cohort_site.mail.services import message_id, unsubscribe_token, unsubscribe_url
from tests.mail.test_queue import queue_plain


def test_optional_email_carries_unsubscribe_link_and_header(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_plain(kind=EmailKind.LEARNING_SURVEY_REMINDER)

    link = unsubscribe_url(email="sam@example.org", kind="learning-survey-reminder")
    assert link in email.body_text
    assert mail.outbox[0].extra_headers == {
        "Message-ID": message_id("notice:1"),
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_essential_email_has_no_unsubscribe(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_plain()

    assert "unsubscribe" not in email.body_text.lower()
    assert mail.outbox[0].extra_headers == {"Message-ID": message_id("notice:1")}


def test_unsubscribe_works_without_sign_in_and_stops_only_that_optional_kind(
    client, db, django_capture_on_commit_callbacks
):
    token = unsubscribe_token(email="Sam@Example.org", kind="learning-survey-reminder")

    confirm_page = client.get(f"/email/unsubscribe/{token}/")
    response = client.post(f"/email/unsubscribe/{token}/")

    assert (confirm_page.status_code, response.status_code) == (200, 200)
    assert list(EmailOptOut.objects.values_list("email", "kind")) == [
        ("sam@example.org", "learning-survey-reminder")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        nudge = queue_plain(key="nudge:1", kind=EmailKind.LEARNING_SURVEY_REMINDER)
        other_nudge = queue_plain(key="feedback:1", kind=EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER)
        essential = queue_plain(key="invite:1", kind=EmailKind.LEARNING_SURVEY)
    statuses = dict(OutgoingEmail.objects.values_list("key", "status"))
    assert statuses == {
        "nudge:1": EmailStatus.SKIPPED,
        "feedback:1": EmailStatus.SENT,
        "invite:1": EmailStatus.SENT,
    }
    assert (nudge.key, other_nudge.key, essential.key) == ("nudge:1", "feedback:1", "invite:1")
    assert len(mail.outbox) == 2


def test_forged_or_tampered_unsubscribe_token_is_refused(client, db):
    token = unsubscribe_token(email="sam@example.org", kind="coffee-nudge")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    response = client.post(f"/email/unsubscribe/{forged}/")

    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert EmailOptOut.objects.count() == 0


def test_unsubscribing_twice_keeps_one_record(client, db):
    token = unsubscribe_token(email="sam@example.org", kind="coffee-nudge")

    client.post(f"/email/unsubscribe/{token}/")
    client.post(f"/email/unsubscribe/{token}/")

    assert EmailOptOut.objects.count() == 1
