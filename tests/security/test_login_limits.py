"""Brute force: django-axes locks the Django admin's password sign-in; allauth limits the members' sign-in."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

PASSWORD = "staff-password-for-tests"
START = datetime.datetime(2031, 3, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def axes_on(settings):
    """The test settings turn axes off for every other test; here it runs as in production."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def manager(db):
    return StaffFactory(email="manager@example.org", is_superuser=True)


def admin_sign_in(client, email, password, ip="203.0.113.5"):
    return client.post(reverse("admin:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_admin_sign_in_works_before_any_failure(client, manager):
    response = admin_sign_in(client, manager.email, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:after_login")


def test_admin_locks_after_the_failure_limit_even_for_the_right_password(client, manager):
    statuses = [admin_sign_in(client, manager.email, "wrong-guess").status_code for _ in range(4)]
    fifth = admin_sign_in(client, manager.email, "wrong-guess")
    right = admin_sign_in(client, manager.email, PASSWORD)

    assert statuses == [200, 200, 200, 200]
    assert (fifth.status_code, right.status_code) == (429, 429)
    assert [t.name for t in right.templates if t.name.startswith("axes/")] == ["axes/lockout.html"]
    page = right.content.decode()
    assert (
        "After 5 failed attempts from here, signing in with a password from here is paused for 15 minutes."
        in page
    )
    assert "_auth_user_id" not in client.session


def test_a_strangers_failures_do_not_lock_the_owner_out(client, manager):
    """Five wrong passwords from a stranger's address lock that address for the account, not the account."""
    for _ in range(5):
        admin_sign_in(client, manager.email, "wrong-guess", ip="198.51.100.7")

    stranger = admin_sign_in(Client(), manager.email, PASSWORD, ip="198.51.100.7")
    owner = admin_sign_in(client, manager.email, PASSWORD, ip="192.0.2.200")

    assert (stranger.status_code, owner.status_code) == (429, 302)
    assert owner["Location"] == reverse("core:after_login")


def test_strangers_everywhere_do_not_lock_the_owner_out(client, manager):
    for n in range(10):
        admin_sign_in(Client(), manager.email, "wrong-guess", ip=f"198.51.100.{n}")

    response = admin_sign_in(client, manager.email, PASSWORD, ip="192.0.2.200")

    assert response.status_code == 302


def test_a_strangers_failures_do_not_lock_the_owner_out_of_the_main_sign_in(client, manager):
    """allauth's own limit (5 failures in 5 minutes) counts per client and address too."""
    stranger = Client()
    for _ in range(6):
        stranger.post(
            reverse("account_login"),
            {"login": manager.email, "password": "wrong-guess"},
            REMOTE_ADDR="198.51.100.7",
        )

    blocked = stranger.post(
        reverse("account_login"), {"login": manager.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    owner = client.post(
        reverse("account_login"), {"login": manager.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.200"
    )

    assert "_auth_user_id" not in stranger.session
    assert blocked.context["form"].non_field_errors() == ["Too many failed login attempts. Try again later."]
    assert (owner.status_code, owner["Location"]) == (302, reverse("core:after_login"))
    assert int(client.session["_auth_user_id"]) == manager.pk


def test_the_owner_is_emailed_once_when_their_account_sees_repeated_failures(client, manager):
    emails = OutgoingEmail.objects.filter(kind="signin-failures")
    cases = ["Manager@example.org", "MANAGER@example.org", "manager@EXAMPLE.org", "manager@example.org"]
    for n in range(4):
        admin_sign_in(Client(), cases[n], "wrong-guess", ip=f"198.51.100.{n}")
    assert emails.count() == 0

    admin_sign_in(Client(), manager.email, "wrong-guess", ip="198.51.100.4")
    for n in range(5, 10):
        admin_sign_in(Client(), manager.email, "wrong-guess", ip=f"198.51.100.{n}")

    email = emails.get()
    assert (email.to, email.user, email.subject) == (
        manager.email,
        manager,
        "Someone is trying to sign in to your account on Connection Coalition cohorts",
    )
    assert (
        "In the last hour, someone tried 5 times to sign in to your account on Connection Coalition cohorts "
        "(manager@example.org) with a wrong password."
    ) in email.body_text


def test_failures_for_an_address_without_an_account_email_nobody(client, manager):
    for n in range(6):
        admin_sign_in(Client(), "nobody@example.org", "wrong-guess", ip=f"198.51.100.{n}")

    assert OutgoingEmail.objects.filter(kind="signin-failures").count() == 0


def test_lock_follows_the_address_across_usernames(client, manager):
    for n in range(5):
        admin_sign_in(client, f"guess{n}@example.org", "wrong-guess")

    response = admin_sign_in(client, manager.email, PASSWORD)

    assert response.status_code == 429


def test_other_people_are_not_locked_out(client, manager):
    for _ in range(5):
        admin_sign_in(client, "someone@example.org", "wrong-guess", ip="198.51.100.7")

    response = admin_sign_in(client, manager.email, PASSWORD, ip="192.0.2.10")

    assert response.status_code == 302
    assert AccessAttempt.objects.get(username="someone@example.org").failures_since_start == 5


def test_member_sign_in_is_rate_limited_by_allauth(client, manager, settings):
    """allauth's limits cover its own sign-in (the admin's is axes'): five failures for one address lock it."""
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    settings.AXES_ENABLED = False  # allauth's limit alone
    data = {"login": manager.email, "password": "wrong-guess"}
    for _ in range(5):
        client.post(reverse("account_login"), data)

    response = client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many wrong passwords for this email address. Wait 5 minutes, then try again, "
        "or sign in with an emailed code instead."
    ]
    assert "_auth_user_id" not in client.session


def test_member_sign_in_code_dies_after_three_wrong_guesses(
    client, db, settings, django_capture_on_commit_callbacks
):
    """Members sign in with an emailed code; guessing it is cut off after ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS."""
    import re

    from django.core import mail

    from tests.factories import UserFactory

    settings.AXES_ENABLED = False
    member = UserFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": member.email})
    code = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", mail.outbox[0].body, re.MULTILINE).group(1)
    for _ in range(3):
        client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS == 3
    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")
    assert "_auth_user_id" not in client.session


# --- Sign-in codes: an inbox is not a target -------------------------------------------------------------------

CODE_LIMIT_MESSAGE = (
    "We send at most 5 sign-in codes an hour to one address, and a few a minute. We have sent as many as we can "
    "for now: use the latest code we emailed, or ask for a new one within the hour."
)


def request_code(email, ip):
    """Each request from a fresh browser, as someone trying to fill an inbox would send them."""
    return Client().post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=ip)


def codes_sent_to(email) -> int:
    return OutgoingEmail.objects.filter(kind="account-login-code", to=email).count()


def test_one_address_is_sent_at_most_five_codes_an_hour_from_anywhere(db, settings):
    assert settings.ACCOUNT_RATE_LIMITS["request_login_code"] == "20/m/ip,3/m/key,5/h/key,30/h/ip"
    member = UserFactory(email="sam@example.org")
    with time_machine.travel(START, tick=False) as clock:
        answers = []
        for n in range(6):
            answers.append(request_code(member.email, ip=f"198.51.100.{n}"))
            clock.shift(datetime.timedelta(minutes=2))

        assert [response.status_code for response in answers] == [302, 302, 302, 302, 302, 200]
        assert answers[-1].context["form"].errors == {"email": [CODE_LIMIT_MESSAGE]}
        assert codes_sent_to(member.email) == 5

        clock.move_to(START + datetime.timedelta(minutes=61))
        assert request_code(member.email, ip="198.51.100.9").status_code == 302
        assert codes_sent_to(member.email) == 6


def test_one_client_may_ask_for_at_most_thirty_codes_an_hour(db):
    members = [UserFactory(email=f"member{n}@example.org") for n in range(31)]
    with time_machine.travel(START, tick=False) as clock:
        statuses = []
        for member in members:
            statuses.append(request_code(member.email, ip="203.0.113.66").status_code)
            clock.shift(datetime.timedelta(seconds=5))
        other_client = request_code(members[-1].email, ip="192.0.2.10").status_code

    assert statuses == [302] * 30 + [200]
    assert other_client == 302
    assert OutgoingEmail.objects.filter(kind="account-login-code").count() == 31


def test_the_code_page_says_what_happens_at_the_limit(client, db):
    page = client.get(reverse("account_request_login_code")).content.decode()

    assert (
        "We send at most 5 sign-in codes an hour to one address, and a few a minute. If you reach that, use the "
        "latest code we emailed, or ask again within the hour."
    ) in page
