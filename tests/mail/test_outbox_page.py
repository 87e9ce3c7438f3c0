import pytest
from django.core import mail
from django.urls import reverse

from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_store, unsubscribe_url
from tests.factories import StaffFactory, UserFactory
from tests.mail.test_queue import queue_plain

OUTBOX = "/staff/outbox/"


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_outbox_pages_are_404_for_non_staff(client, db, who):
    email = queue_plain()
    if who == "member":
        client.force_login(UserFactory())

    responses = [
        client.get(OUTBOX),
        client.get(reverse("mail:outbox_email", args=[email.pk])),
        client.get(reverse("mail:outbox_email_html", args=[email.pk])),
        client.post(OUTBOX, {"action": "send_drafts", "emails": [email.pk]}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


@pytest.mark.parametrize("count", [1, 3])
def test_outbox_list_runs_constant_queries(client, db, count, django_assert_num_queries):
    client.force_login(StaffFactory())
    for n in range(count):
        queue_plain(key=f"notice:{n}")

    # session, user, list, count for pagination, counts by status, kinds for the filter
    with django_assert_num_queries(6):
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
