"""allauth's pages and emails that our flows show are in our words and layout (templates/account/); the ones our
flows do not use are turned away to the profile rather than shown in allauth's words."""

import re
from pathlib import Path

import pytest
from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

OURS = str(Path(settings.BASE_DIR, "templates"))


def h1_of(response) -> str:
    return re.sub(
        r"\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)
    ).strip()


# (URL name, kwargs, who asks, the page's heading)
PAGES = [
    ("account_login", {}, None, "Sign in"),
    ("account_request_login_code", {}, None, "Sign in with an emailed code"),
    ("account_signup", {}, None, "How to get an account"),
    ("account_inactive", {}, None, "Your account is closed"),
    ("account_email_verification_sent", {}, None, "Confirm your email address"),
    ("account_confirm_email", {"key": "not-a-real-key"}, None, "Confirm your email address"),
    ("account_reset_password", {}, None, "Reset your password"),
    ("account_reset_password_done", {}, None, "Check your email"),
    (
        "account_reset_password_from_key",
        {"uidb36": "1", "key": "not-a-real-key"},
        None,
        "This link no longer works",
    ),
    ("account_reset_password_from_key_done", {}, None, "Your password is changed"),
    ("account_logout", {}, "member", "Sign out"),
    ("account_change_password", {}, "staff", "Change your password"),
    ("account_reauthenticate", {}, "staff", None),
    ("account_request_reauthentication_code", {}, "member", None),
]


@pytest.mark.parametrize(("name", "kwargs", "who", "heading"), PAGES)
def test_each_allauth_page_we_show_is_ours(client, db, name, kwargs, who, heading):
    if who == "member":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(StaffFactory())

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 200
    assert response.templates[0].origin.name.startswith(OURS)
    if heading is not None:
        assert h1_of(response) == heading


@pytest.mark.parametrize("name", ["account_set_password", "account_email"])
def test_pages_our_flows_do_not_use_go_to_the_profile(client, db, name):
    client.force_login(UserFactory())

    response = client.get(reverse(name))

    assert (response.status_code, response["Location"]) == (302, reverse("members:profile"))


def test_each_allauth_email_we_can_send_is_ours():
    # allauth's notices of a changed password or address are off; sign-up is closed; resets are by link.
    assert (allauth_settings.EMAIL_NOTIFICATIONS, allauth_settings.PASSWORD_RESET_BY_CODE_ENABLED) == (
        False,
        False,
    )
    sent = [
        "login_code",
        "unknown_account",
        "password_reset_key",
        "email_confirmation",
        "email_confirmation_signup",
    ]

    origins = [
        get_template(f"account/email/{prefix}_{part}.txt").origin.name.startswith(OURS)
        for prefix in sent
        for part in ("subject", "message")
    ]

    assert origins == [True] * 10


def test_staff_reset_a_forgotten_password_in_our_words(client, db, django_capture_on_commit_callbacks):
    staff = StaffFactory(email="manager@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "manager@example.org"})
    assert response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.subject == "Reset your password for Connection Coalition cohorts"
    assert message.body.startswith(
        "Hello,\n\nSomeone, probably you, asked to reset the password you sign in with. To choose a new password, "
        "open this link (it works once):\n\nhttp://127.0.0.1:8000/accounts/password/reset/key/"
    )
    link = re.search(r"http://127.0.0.1:8000(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form_page = client.get(client.get(link)["Location"])
    assert (h1_of(form_page), [field.label for field in form_page.context["form"]]) == (
        "Choose a new password",
        ["New password", "New password again"],
    )
    response = client.post(
        form_page.request["PATH_INFO"],
        {"password1": "a-long-new-password-2026", "password2": "a-long-new-password-2026"},
    )

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    staff.refresh_from_db()
    assert staff.check_password("a-long-new-password-2026")


def test_a_reset_asked_for_an_unknown_address_says_so_in_its_own_words(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    [message] = mail.outbox
    assert message.body.startswith(
        "Hello,\n\nSomeone, probably you, asked to reset the password for nobody@example.org. We do not have an "
        "account for this email address, so we have not sent a link. Members have no password: they sign in "
        "with a code we email them.\n"
    )
    assert "If you did not ask for this, you can ignore this email." in message.body


def test_change_password_labels_are_plain(client, db):
    client.force_login(StaffFactory())

    form = client.get(reverse("account_change_password")).context["form"]

    assert [field.label for field in form] == ["Your current password", "New password", "New password again"]


def test_password_forms_have_no_placeholder_or_allauths_help(client, db):
    client.force_login(StaffFactory())

    html = client.get(reverse("account_change_password")).content.decode()

    assert ("placeholder=" in html, "Forgot your password?" in html) == (False, False)
