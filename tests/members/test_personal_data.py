import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from cohort_site.core.data_subjects import DataSubject, personal_data_erase, personal_data_export
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import email_queue, opt_out_record
from tests.factories import ExpressionOfInterestFactory, MemberFactory, StaffFactory
from tests.members.test_expenses import PDF, claim

TEXT_FIELDS = (models.CharField, models.TextField, models.EmailField)


def rows_mentioning(needle: str) -> list[str]:
    """Every (model, field, pk) whose text column contains `needle`, across the whole database."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                for pk in model.objects.filter(**{f"{field.attname}__icontains": needle}).values_list(
                    "pk", flat=True
                ):
                    found.append(f"{model._meta.label}.{field.name}#{pk}")
    return sorted(found)


@pytest.fixture
def person(client, db, django_capture_on_commit_callbacks):
    """A member with an application, an expense claim, emails and an opt-out."""
    application = MemberFactory(
        name="Morwenna Trelawney",
        email="morwenna@example.org",
        hopes="Morwenna hopes to learn about befriending",
    )
    user = application.user
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        claim(client, description="Train for Morwenna Trelawney")
        email_queue(
            key="welcome:1",
            kind=EmailKind.LEARNING_SURVEY,
            to=user.email,
            subject="Welcome, Morwenna Trelawney",
            context={"name": "Morwenna Trelawney"},
            user=user,
        )
    opt_out_record(email=user.email, kind="coffee-nudge")
    return user


def test_export_contains_every_section_about_the_person(person):
    export = personal_data_export(DataSubject.for_user(person))

    data = export["data"]
    assert sorted(data) == [
        "account",
        "admin_history",
        "applications",
        "coffee",
        "emails",
        "expenses",
        "learning",
        "network",
        "schedule",
    ]
    assert [row["hopes"] for row in data["applications"]["applications"]] == [
        "Morwenna hopes to learn about befriending"
    ]
    assert [row["description"] for row in data["expenses"]["expense_claims"]] == [
        "Train for Morwenna Trelawney"
    ]
    assert sorted(row["subject"] for row in data["emails"]["emails_sent_to_you"]) == [
        "We have your expense claim",
        "Welcome, Morwenna Trelawney",
    ]
    assert [row["kind"] for row in data["emails"]["email_opt_outs"]] == ["coffee-nudge"]
    assert data["account"]["account"][0]["email"] == "morwenna@example.org"


def test_member_downloads_zip_with_receipt(client, person):
    response = client.get(reverse("members:my_data") + "?download=zip")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert len(names) == 2 and names[0] == "data.json" and names[1].startswith("receipts/claim-")
    assert archive.read(names[1]) == PDF
    assert json.loads(archive.read("data.json"))["email"] == "morwenna@example.org"


def test_before_erasure_the_scan_finds_the_person(person):
    assert rows_mentioning("morwenna@example.org") != []
    assert rows_mentioning("Morwenna Trelawney") != []


def test_after_erasure_no_text_column_holds_their_email_or_name(client, person):
    other = MemberFactory(name="Someone Else", cohort=person.applications.get().cohort)

    response = client.post(reverse("members:my_data"), {"confirm": "erase"})

    assert response.status_code == 302
    assert rows_mentioning("morwenna@example.org") == []
    assert rows_mentioning("Morwenna") == []
    assert rows_mentioning("Trelawney") == []
    # Their group has no sessions yet, so they give up their place (tests/members/test_leaving.py has the rest);
    # the anonymous application stays for the counts; other people are untouched.
    assert person.applications.get().status == "withdrawn"
    assert rows_mentioning("Someone Else") == [
        f"applications.Application.name#{other.pk}",
        f"core.User.name#{other.user.pk}",
    ]
    assert "_auth_user_id" not in client.session


def test_erasure_needs_typed_confirmation(client, person):
    response = client.post(reverse("members:my_data"), {"confirm": "yes"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"confirm": ["Type ERASE (in capitals or not) to confirm."]}
    assert rows_mentioning("morwenna@example.org") != []


def test_staff_erase_an_applicant_without_account(client, db):
    from tests.factories import ApplicationFactory

    ApplicationFactory(name="Ada Applicant", email="ada@example.org")
    client.force_login(StaffFactory())

    client.post(reverse("members:staff_erasure"), {"email": "ADA@example.org", "confirm": "on"})

    assert rows_mentioning("ada@example.org") == []
    assert rows_mentioning("Ada Applicant") == []


def test_staff_erasure_is_404_for_members(client, person):
    assert client.get(reverse("members:staff_erasure")).status_code == 404


def test_admin_history_of_an_interest_is_exported_and_erased(db):
    """Core finds the admin's history through the records each source names: applications names the interest."""
    interest = ExpressionOfInterestFactory(
        name="Demelza Penrose", email="demelza@example.org", organisation="Kernow Befriending"
    )
    LogEntry.objects.create(
        user=StaffFactory(),
        content_type=ContentType.objects.get_for_model(interest),
        object_id=str(interest.pk),
        object_repr=str(interest),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Organisation"]}}]',
    )
    subject = DataSubject(email="demelza@example.org")

    exported = personal_data_export(subject)["data"]["admin_history"]["admin_changes_about_you"]
    personal_data_erase(subject)

    assert [(row["record"], row["change"]) for row in exported] == [
        ("Demelza Penrose (Kernow Befriending)", "Changed Organisation.")
    ]
    assert LogEntry.objects.count() == 0
