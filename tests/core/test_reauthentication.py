"""Asking who you are again (allauth's re-authentication): members (who have no password) by a code emailed to
them, staff by their password. allauth's pages that asked for it for members (setting a password, managing
addresses) are turned away to the profile, as our flows do not use them; the code flow still leads on to `next`."""

import re

from django.core import mail
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

REQUEST_CODE = reverse("account_request_reauthentication_code")
CONFIRM_CODE = reverse("account_confirm_reauthentication_code")
PROFILE = reverse("members:profile")
REAUTHENTICATE = reverse("account_reauthenticate")


def code_in(body: str) -> str:
    return re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", body, re.MULTILINE).group(1)


def test_member_confirms_by_emailed_code_then_goes_on(client, db, django_capture_on_commit_callbacks):
    member = UserFactory(email="sam@example.org")
    client.force_login(member)

    response = client.get(f"{REAUTHENTICATE}?next={PROFILE}")
    assert response["Location"] == f"{REQUEST_CODE}?next=%2Fme%2Fprofile%2F"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{REQUEST_CODE}?next={PROFILE}", {"recipient": "sam@example.org"})
    assert response["Location"] == f"{CONFIRM_CODE}?next=%2Fme%2Fprofile%2F"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["sam@example.org"], "Your sign-in code for Connection Coalition cohorts")
    ]
    assert list(OutgoingEmail.objects.values_list("kind", "to", "user")) == [
        ("account-login-code", "sam@example.org", member.pk)
    ]

    response = client.post(f"{CONFIRM_CODE}?next={PROFILE}", {"code": code_in(mail.outbox[0].body)})
    assert response["Location"] == PROFILE

    assert [record["method"] for record in client.session["account_authentication_methods"]] == ["code"]


def test_member_with_a_wrong_code_is_not_let_through(client, db):
    client.force_login(UserFactory(email="sam@example.org"))
    client.post(REQUEST_CODE, {"recipient": "sam@example.org"})

    response = client.post(CONFIRM_CODE, {"code": "WRONG-CODE"})

    assert (response.status_code, response.context["form"].errors) == (
        200,
        {
            "code": [
                "That code is not the one we sent. Check the latest email from us and type the code exactly as it "
                "is, or send a new code."
            ]
        },
    )
    assert client.session.get("account_authentication_methods", []) == []


def test_staff_confirm_by_password_and_may_choose_a_code(client, db):
    staff = StaffFactory(email="manager@example.org")
    client.force_login(staff)

    page = client.get(reverse("account_reauthenticate"))
    assert [alt["url"] for alt in page.context["reauthentication_alternatives"]] == [REQUEST_CODE]

    response = client.post(reverse("account_reauthenticate"), {"password": "staff-password-for-tests"})

    assert response.status_code == 302
    assert client.get(reverse("account_change_password")).status_code == 200
