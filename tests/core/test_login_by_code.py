import re

from django.core import mail
from django.urls import reverse

from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.factories import UserFactory


def test_member_signs_in_with_code_from_email(client, db, django_capture_on_commit_callbacks):
    member = UserFactory(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": "sam@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    code = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:after_login")
    assert int(client.session["_auth_user_id"]) == member.pk
    stored = OutgoingEmail.objects.get()
    assert (stored.kind, stored.to, stored.user, stored.status) == (
        "account-login-code",
        "sam@example.org",
        member,
        EmailStatus.SENT,
    )


def test_wrong_code_does_not_sign_in(client, db):
    UserFactory(email="sam@example.org")
    client.post(reverse("account_request_login_code"), {"email": "sam@example.org"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_signs_in_with_password(client, db):
    from tests.factories import StaffFactory

    staff = StaffFactory(email="manager@example.org")

    response = client.post(
        reverse("account_login"), {"login": "manager@example.org", "password": "staff-password-for-tests"}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_open_sign_up_is_closed_and_says_how_to_get_an_account(client, db):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="h2 mb-3">How to get an account</h1>' in page
    assert f'<a href="{reverse("core:home")}">Read about the programme and how to apply</a>' in page


def test_code_email_names_the_site_from_settings(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "sam@example.org"})

    message = mail.outbox[0]
    assert message.subject == "Your sign-in code for Connection Coalition cohorts"
    assert message.body.startswith("Hello,\n\nHere is your code to sign in:\n")
    assert message.body.endswith("\n\nConnection Coalition cohorts\nhttp://127.0.0.1:8000/")


def test_code_email_names_the_site_settings_give(client, db, settings, django_capture_on_commit_callbacks):
    settings.SITE_NAME = "Peer learning at Example Trust"
    settings.SITE_URL = "https://cohorts.example.org"
    UserFactory(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "sam@example.org"})

    message = mail.outbox[0]
    assert message.subject == "Your sign-in code for Peer learning at Example Trust"
    assert message.body.endswith("\n\nPeer learning at Example Trust\nhttps://cohorts.example.org/")
