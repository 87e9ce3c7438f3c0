import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store, unsubscribe_url
from tests.factories import StaffFactory, UserFactory
from tests.mail.test_queue import queue_plain

OUTBOX = "/staff/outbox/"


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_outbox_pages_are_404_for_non_staff_and_ask_the_signed_out_to_sign_in(client, db, who):
    email = queue_plain()
    if who == "member":
        client.force_login(UserFactory())

    responses = [
        client.get(OUTBOX),
        client.get(reverse("mail:outbox_email", args=[email.pk])),
        client.get(reverse("mail:outbox_email_html", args=[email.pk])),
        client.post(OUTBOX, {"action": "send_drafts", "emails": [email.pk]}),
    ]

    # Signed out: to sign in first (and back); signed in but not staff: nothing there.
    assert [r.status_code for r in responses] == [302 if who == "anonymous" else 404] * 4


@pytest.mark.parametrize("count", [1, 3])
def test_outbox_list_runs_constant_queries(client, db, count, django_assert_num_queries):
    client.force_login(StaffFactory())
    for n in range(count):
        queue_plain(key=f"notice:{n}")

    # session, user, list, count for pagination, counts by status, kinds for the filter, the programmes to choose
    # from (issue 20)
    with django_assert_num_queries(8):
        response = client.get(OUTBOX)

    assert len(response.context["emails"]) == count


def test_manager_sends_selected_drafts(client, db, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    chosen = queue_plain(key="decision:1", draft=True)
    waiting = queue_plain(key="decision:2", draft=True, to="other@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OUTBOX, {"action": "send_drafts", "emails": [chosen.pk]}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["1 draft queued to send."]
    statuses = dict(OutgoingEmail.objects.values_list("key", "status"))
    assert statuses == {"decision:1": EmailStatus.SENT, "decision:2": EmailStatus.DRAFT}
    assert waiting.pk != chosen.pk


def test_manager_retries_failed_message(client, db, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    failed = queue_plain()
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED, attempts=5, last_error="550")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(OUTBOX, {"action": "retry_failed", "emails": [failed.pk]})

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (EmailStatus.SENT, 1)


def test_action_without_selection_says_so(client, db):
    client.force_login(StaffFactory())

    response = client.post(OUTBOX, {"action": "send_drafts"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Select at least one message."]


def test_html_preview_is_sandboxed(client, db):
    client.force_login(StaffFactory())
    email = queue_plain()

    response = client.get(reverse("mail:outbox_email_html", args=[email.pk]))

    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
    )


# --- Staff never see what would let them sign in as someone else ------------------------------------------------


def staff_views_of(client, email) -> str:
    """Everything staff can open about a stored email: the outbox, its page and HTML, and the admin's pages."""
    pages = [
        OUTBOX,
        reverse("mail:outbox_email", args=[email.pk]),
        reverse("mail:outbox_email_html", args=[email.pk]),
        reverse("admin:mail_outgoingemail_changelist"),
        reverse("admin:mail_outgoingemail_change", args=[email.pk]),
    ]
    responses = [client.get(page) for page in pages]
    assert [response.status_code for response in responses] == [200] * len(pages)
    return "".join(response.content.decode() for response in responses)


def test_the_outbox_never_shows_a_live_sign_in_code(client, db, django_capture_on_commit_callbacks):
    member = UserFactory(email="sam@example.org")
    client.force_login(StaffFactory(is_superuser=True))
    with django_capture_on_commit_callbacks() as sending:
        Client().post(reverse("account_request_login_code"), {"email": member.email})
    stored = OutgoingEmail.objects.get(kind="account-login-code")
    (code,) = stored.secrets.values()

    assert "[sign-in code: sent only to the recipient]" in stored.body_text
    assert code not in stored.body_text + stored.body_html + stored.subject
    assert code not in staff_views_of(client, stored)  # while it waits to be sent

    for send in sending:
        send()

    stored.refresh_from_db()
    assert (stored.status, stored.secrets) == (EmailStatus.SENT, {})
    assert code in mail.outbox[0].body  # the member's copy carries it
    assert code not in staff_views_of(client, stored)


def test_the_outbox_never_shows_a_live_password_reset_link(client, db, django_capture_on_commit_callbacks):
    manager = StaffFactory(email="manager@example.org", is_superuser=True)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": manager.email})

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group()
    stored = OutgoingEmail.objects.get(kind="account-password-reset-key")
    assert "[password reset link: sent only to the recipient]" in stored.body_text
    assert link.rsplit("/", 2)[-2] not in staff_views_of(client, stored)


def test_the_recipients_html_carries_the_link_the_outbox_preview_hides(
    client, db, django_capture_on_commit_callbacks
):
    """allauth's messages are text only: their HTML is laid out when sent, from the text the recipient gets."""
    manager = StaffFactory(email="manager@example.org", is_superuser=True)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": manager.email})

    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group()
    sent_html, _ = mail.outbox[0].alternatives[0]
    stored = OutgoingEmail.objects.get(kind="account-password-reset-key")
    preview = client.get(reverse("mail:outbox_email_html", args=[stored.pk])).content.decode()

    assert f'<a href="{link}"' in sent_html
    assert link not in preview
    assert "[password reset link: sent only to the recipient]" in preview


def test_outbox_names_each_kind_in_plain_words(client, db):
    client.force_login(StaffFactory())
    offer = queue_plain(key="decision:1", kind=EmailKind.DECISION_OFFERED, draft=True)
    email_store(
        key="code:1", kind=EmailKind.ACCOUNT_LOGIN_CODE, to="pat@example.org", subject="Code", body_text="1"
    )

    page = client.get(OUTBOX)
    detail = client.get(reverse("mail:outbox_email", args=[offer.pk])).content.decode()

    assert list(page.context["filter_form"].fields["kind"].choices) == [
        ("", "Any kind"),
        ("decision-offered", "Offer of a place"),
        ("account-login-code", "Sign-in code"),
    ]
    assert [row.get_kind_display() for row in page.context["emails"]] == ["Sign-in code", "Offer of a place"]
    assert "<td>Offer of a place</td>" in page.content.decode()
    assert "decision-offered" not in page.content.decode().split("<tbody>")[1]
    assert '<dd class="col-sm-9">Offer of a place</dd>' in detail


def test_html_of_a_text_only_kind_is_laid_out_from_its_text_when_sent_and_shown(
    client, db, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_plain(kind=EmailKind.LEARNING_SURVEY_REMINDER)

    shown = client.get(reverse("mail:outbox_email_html", args=[email.pk])).content.decode()
    sent_html, mimetype = mail.outbox[0].alternatives[0]

    assert email.body_html == ""
    assert (sent_html, mimetype) == (shown, "text/html")
    assert '<div style="white-space: pre-wrap;">Hello Sam,' in shown
    assert f'<a href="{unsubscribe_url(email="sam@example.org", kind="learning-survey-reminder")}">' in shown


def test_each_message_is_ticked_by_its_subject_and_address(client, db):
    """A screen reader names each box: two messages to one person are told apart by their subjects."""
    client.force_login(StaffFactory())
    offer = queue_plain(key="decision:1", subject="Your place in Group 1", draft=True)
    received = queue_plain(key="received:1", subject="We have your application")

    page = client.get(OUTBOX).content.decode()

    assert re.findall(r'aria-label="(Select [^"]*)"', page) == [
        f"Select “{received.subject}” to {received.to}",
        f"Select “{offer.subject}” to {offer.to}",
    ]
