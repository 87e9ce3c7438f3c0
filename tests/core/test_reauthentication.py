"""Changing the address sign-in codes go to, or a password, asks who you are again: members (who have no
password) by a code emailed to them, staff by their password."""

import re

from django.core import mail
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

REQUEST_CODE = reverse("account_request_reauthentication_code")
CONFIRM_CODE = reverse("account_confirm_reauthentication_code")
SET_PASSWORD = reverse("account_set_password")


def code_in(body: str) -> str:
    return re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", body, re.MULTILINE).group(1)


def test_member_confirms_by_emailed_code_then_goes_on(client, db, django_capture_on_commit_callbacks):
    member = UserFactory(email="sam@example.org")
    client.force_login(member)

    response = client.get(SET_PASSWORD)
    assert response["Location"] == f"{REQUEST_CODE}?next=%2Faccounts%2Fpassword%2Fset%2F"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{REQUEST_CODE}?next={SET_PASSWORD}", {"recipient": "sam@example.org"})
    assert response["Location"] == f"{CONFIRM_CODE}?next=%2Faccounts%2Fpassword%2Fset%2F"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["sam@example.org"], "Your sign-in code for Connection Coalition cohorts")
    ]
    assert list(OutgoingEmail.objects.values_list("kind", "to", "user")) == [
        ("account-login-code", "sam@example.org", member.pk)
    ]

    response = client.post(f"{CONFIRM_CODE}?next={SET_PASSWORD}", {"code": code_in(mail.outbox[0].body)})
    assert response["Location"] == SET_PASSWORD

    response = client.get(SET_PASSWORD)
    assert (response.status_code, response.templates[0].name) == (200, "account/password_set.html")


def test_member_with_a_wrong_code_is_not_let_through(client, db):
    client.force_login(UserFactory(email="sam@example.org"))
    client.post(REQUEST_CODE, {"recipient": "sam@example.org"})

    response = client.post(CONFIRM_CODE, {"code": "WRONG-CODE"})

    assert response.status_code == 200
    assert client.get(SET_PASSWORD)["Location"] == f"{REQUEST_CODE}?next=%2Faccounts%2Fpassword%2Fset%2F"


def test_staff_confirm_by_password_and_may_choose_a_code(client, db):
    staff = StaffFactory(email="manager@example.org")
    client.force_login(staff)

    page = client.get(reverse("account_reauthenticate"))
    assert [alt["url"] for alt in page.context["reauthentication_alternatives"]] == [REQUEST_CODE]

    response = client.post(reverse("account_reauthenticate"), {"password": "staff-password-for-tests"})

    assert response.status_code == 302
    assert client.get(reverse("account_change_password")).status_code == 200
