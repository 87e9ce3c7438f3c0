"""Brute force: django-axes locks the Django admin's password sign-in; allauth limits the members' sign-in."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from tests.factories import StaffFactory

PASSWORD = "staff-password-for-tests"


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
    assert "After 5 failed attempts, signing in with a password is paused for 15 minutes." in page
    assert "_auth_user_id" not in client.session


def test_lock_follows_the_username_from_another_address(client, manager):
    for n in range(5):
        admin_sign_in(client, manager.email, "wrong-guess", ip=f"198.51.100.{n}")

    response = admin_sign_in(client, manager.email, PASSWORD, ip="192.0.2.200")

    assert response.status_code == 429


def test_changing_case_does_not_start_a_new_count(client, manager):
    for n, email in enumerate(["Manager@example.org", "MANAGER@example.org", "manager@EXAMPLE.org"] * 2):
        admin_sign_in(client, email, "wrong-guess", ip=f"198.51.100.{n}")

    response = admin_sign_in(client, manager.email, PASSWORD, ip="192.0.2.200")

    assert response.status_code == 429


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
