"""Every free-text field has a limit, held by the form, by model validation and (PostgreSQL) by the database."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, connection, models, transaction

from applications.models import Application
from cohort_site.core.fields import BoundedTextField
from tests.factories import ApplicationFactory

OUR_APPS = {"core", "mail", "members", "applications", "sessions_app", "pairings", "learning"}
# Written by the site itself, never typed: the email engine's rendered bodies and SMTP errors.
SYSTEM_TEXT = [
    "mail.OutgoingEmail.body_html",
    "mail.OutgoingEmail.body_text",
    "mail.OutgoingEmail.last_error",
    # The programme's own wording of a draft the manager edited (her text is limited by the edit form).
    "mail.OutgoingEmail.original_text",
]


def bounded_fields() -> list[tuple[type[models.Model], BoundedTextField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, BoundedTextField)
    ]


def test_every_free_text_field_has_a_limit():
    unbounded = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField) and not isinstance(field, BoundedTextField)
    )

    assert unbounded == SYSTEM_TEXT


def test_model_validation_checks_the_limit(db):
    application = ApplicationFactory.build(motivation="x" * 3001)

    with pytest.raises(ValidationError) as refused:
        application.full_clean(exclude=["programme", "cohort", "user"])

    assert refused.value.message_dict == {
        "motivation": ["Ensure this value has at most 3000 characters (it has 3001)."]
    }


@pytest.mark.postgres
def test_database_columns_carry_each_limit(db):
    with connection.cursor() as cursor:
        found = {}
        for model, field in bounded_fields():
            cursor.execute(
                "SELECT character_maximum_length FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [model._meta.db_table, field.column],
            )
            found[f"{model._meta.label}.{field.name}"] = cursor.fetchone()[0]

    assert found == {
        f"{model._meta.label}.{field.name}": field.max_length for model, field in bounded_fields()
    }
    # 25, then a sharing event's description, a programme's wording of an email, a question's hint and choices and
    # its answers, the session notes, a topic's description and an offer to contribute: 33
    assert len(found) == 33


@pytest.mark.postgres
def test_database_refuses_a_megabyte_that_skips_the_form(db):
    application = ApplicationFactory()

    with pytest.raises(DataError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(motivation="x" * 1_000_000)
