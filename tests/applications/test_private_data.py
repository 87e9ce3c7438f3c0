"""The applicant (no account) downloads and erases their data through their private link."""

import json

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications.links import application_token
from applications.models import Application
from cohort_site.mail.models import OutgoingEmail
from tests.factories import ExpressionOfInterestFactory, UserFactory
from tests.mail.test_queue import queue_plain
from tests.members.test_personal_data import rows_mentioning

from .conftest import DEADLINE
from .test_apply import apply_data, apply_url


@pytest.fixture
def application(client, programme, during_applications, django_capture_on_commit_callbacks):
    ExpressionOfInterestFactory(programme=programme, name="Asha Patel", email="asha@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(programme), apply_data(programme))
    return Application.objects.get()


def url(name: str, application) -> str:
    return reverse(f"applications:{name}", kwargs={"token": application_token(application)})


def test_private_page_offers_download_and_erasure(client, application):
    content = client.get(url("private", application)).content.decode()

    assert f'href="{url("data_export", application)}">Download as JSON</a>' in content
    assert f'href="{url("erase", application)}">Erase everything</a>' in content


def test_applicant_downloads_everything_as_json(client, application):
    response = client.get(url("data_export", application))

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/json",
        'attachment; filename="my-data.json"',
    )
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    export = json.loads(response.content)
    data = export["data"]
    assert export["email"] == "asha@example.org"
    assert [(row["name"], row["hopes"]) for row in data["applications"]["applications"]] == [
        ("Asha Patel", "New ideas for our volunteers.")
    ]
    assert sorted(row["answer"] for row in data["applications"]["availability"]) == ["no", "yes", "yes"]
    assert [row["email"] for row in data["applications"]["expressions_of_interest"]] == ["asha@example.org"]
    assert [row["subject"] for row in data["emails"]["emails_sent_to_you"]] == [
        "We have your application: Relationships and connections"
    ]
    assert "account" not in data["account"]


@pytest.mark.parametrize("view", ["data_export", "erase"])
def test_forged_link_exports_nothing(client, application, view):
    token = application_token(application)[:-2] + "xx"

    response = client.get(reverse(f"applications:{view}", kwargs={"token": token}))

    assert response.status_code == 404
    assert ("asha" in response.content.decode(), "New ideas" in response.content.decode()) == (False, False)


@pytest.mark.parametrize("view", ["data_export", "erase"])
def test_expired_link_exports_nothing(client, application, view, settings):
    with time_machine.travel(DEADLINE + settings.RECRUITMENT_RETENTION, tick=False):
        response = client.get(url(view, application))

    assert response.status_code == 410
    assert ("asha" in response.content.decode(), "New ideas" in response.content.decode()) == (False, False)


def test_erase_page_asks_for_typed_confirmation_and_get_erases_nothing(client, application):
    response = client.get(url("erase", application))

    assert response.status_code == 200
    assert "<h1>Erase everything we hold about you</h1>" in response.content.decode()
    assert rows_mentioning("asha@example.org") != []


def test_erase_with_wrong_confirmation_erases_nothing(client, application):
    response = client.post(url("erase", application), {"confirm": "yes"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"confirm": ["Type ERASE (in capitals or not) to confirm."]}
    assert rows_mentioning("asha@example.org") != []


def test_erase_through_link_removes_everything_and_kills_the_link(client, application):
    token_url = url("private", application)

    response = client.post(url("erase", application), {"confirm": "erase"})

    assert response.status_code == 200
    assert "<h1>Your data is erased</h1>" in response.content.decode()
    assert rows_mentioning("asha@example.org") == []
    assert rows_mentioning("Asha Patel") == []
    assert rows_mentioning("Leeds Befriending") == []
    application.refresh_from_db()
    # Withdrawn, so the anonymous application is never offered a place; it still counts as one application.
    assert (application.status, application.name) == ("withdrawn", "Erased person")
    assert client.get(token_url).status_code == 404
    # Withdrawing on the way out writes no notice to someone who asked to be erased.
    assert sorted(OutgoingEmail.objects.values_list("kind", "status", "skip_reason")) == [
        ("application-received", "sent", ""),
    ]


def test_no_email_is_ever_queued_to_an_erased_address(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_plain(key="k", to="erased-7@erased.invalid")

    assert (email.status, email.status_label, len(mail.outbox)) == (
        "skipped",
        "Not sent: the address was erased",
        0,
    )


def test_erase_through_link_closes_the_applicants_account_too(client, application):
    user = UserFactory(email="asha@example.org", name="Asha Patel")
    Application.objects.filter(pk=application.pk).update(user=user)
    client.force_login(user)

    content = client.get(url("erase", application)).content.decode()
    response = client.post(url("erase", application), {"confirm": "ERASE"})

    assert "erasing here closes that account too" in content
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.is_active, user.email) == (False, f"erased-{user.pk}@erased.invalid")
    assert rows_mentioning("asha@example.org") == []
    assert "_auth_user_id" not in client.session


def test_erase_needs_the_csrf_token(application):
    client = Client(enforce_csrf_checks=True)

    response = client.post(url("erase", application), {"confirm": "erase"})

    assert response.status_code == 403
    assert rows_mentioning("asha@example.org") != []
