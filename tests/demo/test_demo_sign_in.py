import pytest
from django.core.management import call_command
from django.urls import reverse

from cohort_site.core.models import User
from cohort_site.demo import open_call, pilot

SHORTCUT_HEADING = "Trying the demo?"


@pytest.fixture
def seeded_demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def sign_in_as(client, role):
    return client.post(reverse("demo:sign_in_as", args=[role]))


def signed_in_email(client):
    return User.objects.get(pk=client.session["_auth_user_id"]).email


def test_sign_in_page_offers_both_demo_accounts_in_the_seeded_demo(client, seeded_demo):
    page = client.get(reverse("account_login")).content.decode()

    assert page.count(SHORTCUT_HEADING) == 1
    assert page.count("Sign in as the demo manager") == 1
    assert page.count("Sign in as the demo member") == 1


@pytest.mark.parametrize(
    ("role", "email", "dashboard"),
    [("manager", open_call.MANAGER_EMAIL, "/staff/"), ("member", pilot.MEMBER_EMAIL, "/me/")],
)
def test_demo_shortcut_signs_in_and_lands_on_the_dashboard(client, seeded_demo, role, email, dashboard):
    response = sign_in_as(client, role)

    assert (response.status_code, signed_in_email(client)) == (302, email)
    landing = client.get(response.url)
    assert (landing.status_code, landing.url) == (302, dashboard)
    assert client.get(dashboard).status_code == 200


def test_demo_shortcut_is_404_and_hidden_with_debug_off(client, seeded_demo, settings):
    settings.DEBUG = False

    assert sign_in_as(client, "manager").status_code == 404
    assert sign_in_as(client, "member").status_code == 404
    assert "_auth_user_id" not in client.session
    assert SHORTCUT_HEADING not in client.get(reverse("account_login")).content.decode()


def test_demo_shortcut_is_404_and_hidden_before_the_demo_is_seeded(client, db, settings):
    settings.DEBUG = True
    User.objects.create_superuser(email=open_call.MANAGER_EMAIL, password="x" * 20)

    assert sign_in_as(client, "manager").status_code == 404
    assert "_auth_user_id" not in client.session
    assert SHORTCUT_HEADING not in client.get(reverse("account_login")).content.decode()


def test_demo_shortcut_refuses_other_roles_and_get(client, seeded_demo):
    assert sign_in_as(client, "admin").status_code == 404
    assert client.get(reverse("demo:sign_in_as", args=["manager"])).status_code == 405
    assert "_auth_user_id" not in client.session
