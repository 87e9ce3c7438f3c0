"""An admin made for a charity manager (issue 20): staff who are not superusers see what they use, lengths of
time are days or hours, the labels are plain words, scores are typed down the list."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from applications.models import Application, Programme
from tests.factories import ApplicationFactory, ProgrammeFactory, StaffFactory

SITE_ONLY = [
    ("account", "EmailAddress"),
    ("auth", "Group"),
    ("axes", "AccessAttempt"),
    ("axes", "AccessFailureLog"),
    ("axes", "AccessLog"),
    ("core", "Heartbeat"),
]


def index_models(client) -> list[tuple[str, str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return sorted(
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    )


@pytest.fixture
def manager(db):
    """Staff with every permission, but not a superuser: the programme manager."""
    manager = StaffFactory()
    manager.user_permissions.set(Permission.objects.all())
    return manager


def test_admin_index_shows_a_manager_what_she_uses_and_a_superuser_everything(client, manager):
    client.force_login(manager)
    for_manager = index_models(client)
    client.force_login(StaffFactory(is_superuser=True))
    for_superuser = index_models(client)

    assert sorted(set(for_superuser) - set(for_manager)) == SITE_ONLY
    assert [model for model in SITE_ONLY if model in for_manager] == []
    assert ("applications", "Programme") in for_manager


def test_site_records_are_refused_to_a_manager_by_address_too(client, manager):
    client.force_login(manager)

    statuses = [
        client.get(reverse(f"admin:{app.lower()}_{model.lower()}_changelist")).status_code
        for app, model in SITE_ONLY
    ]

    assert statuses == [403] * len(SITE_ONLY)


def programme_form(client, programme):
    return (
        client.get(reverse("admin:applications_programme_change", args=[programme.pk]))
        .context["adminform"]
        .form
    )


def test_lengths_of_time_are_entered_as_days_or_hours(client, manager):
    programme = ProgrammeFactory(
        session_length=datetime.timedelta(minutes=90), offer_valid_for=datetime.timedelta(days=7)
    )
    client.force_login(manager)

    form = programme_form(client, programme)
    html = str(form["offer_valid_for"])

    assert [form["session_length"].value(), form["offer_valid_for"].value()] == [
        datetime.timedelta(minutes=90),
        datetime.timedelta(days=7),
    ]
    assert 'type="number" name="offer_valid_for_0" value="7"' in html
    assert 'aria-label="Offer valid for, number"' in html
    assert '<option value="days" selected>days</option>' in html
    assert "00:00:00" not in str(form)


def test_a_length_typed_as_hours_is_saved_and_a_bad_number_is_explained(client, manager):
    programme = ProgrammeFactory()
    client.force_login(manager)
    form = programme_form(client, programme)
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, datetime.timedelta):
            data.update({f"{bound.name}_0": value // datetime.timedelta(days=1), f"{bound.name}_1": "days"})
        elif hasattr(bound.field, "compress") and isinstance(value, list):
            data.update({f"{bound.name}_{i}": part for i, part in enumerate(value)})
        elif value is not None and value is not False:
            data[bound.name] = value
    for prefix in ("sections", "drop_ins", "candidate_times", "questions", "reviewers"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    url = reverse("admin:applications_programme_change", args=[programme.pk])
    data.update({"applications_open_at_0": "2021-06-28", "applications_open_at_1": "09:00"})
    data.update({"applications_close_at_0": "2021-07-21", "applications_close_at_1": "09:00"})
    data.update({"session_length_0": "90", "session_length_1": "minutes"})

    bad = client.post(url, {**data, "offer_reminder_lead_0": "two"})
    good = client.post(url, {**data, "offer_reminder_lead_0": "36", "offer_reminder_lead_1": "hours"})

    assert bad.context["adminform"].form.errors == {
        "offer_reminder_lead": ["Enter a whole number, such as 2."]
    }
    assert good.status_code == 302
    programme.refresh_from_db()
    assert (programme.offer_reminder_lead, programme.session_length) == (
        datetime.timedelta(hours=36),
        datetime.timedelta(minutes=90),
    )


def test_admin_labels_are_plain_words(client, manager):
    programme = ProgrammeFactory()
    client.force_login(manager)

    page = client.get(reverse("admin:applications_programme_change", args=[programme.pk])).content.decode()

    assert [word in page for word in (">Slug:<", "A stable name", "Calendar version", ">Key:<")] == [
        False
    ] * 4
    assert ">Web address:<" in page
    assert "A new programme starts unticked: preview its page" in page
    assert ">Short name:<" in page
    assert [
        Programme._meta.get_field("slug").verbose_name,
        Application._meta.get_field("score").verbose_name,
    ] == ["web address", "score (0 to 10)"]


def test_scores_are_typed_down_the_list_of_applications(client, manager):
    first, second = ApplicationFactory.create_batch(2, programme=ProgrammeFactory())
    client.force_login(manager)
    url = reverse("admin:applications_application_changelist")
    rows = client.get(url).context["cl"].formset
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "_save": "Save",
    }
    for index, form in enumerate(rows):
        data[f"form-{index}-id"] = form.instance.pk
        data[f"form-{index}-score"] = {first.pk: "8", second.pk: ""}[form.instance.pk]

    response = client.post(url, data)
    too_high = client.post(url, {**data, "form-0-score": "11"})

    assert response.status_code == 302
    assert sorted(Application.objects.values_list("pk", "score")) == [(first.pk, 8), (second.pk, None)]
    assert too_high.context["cl"].formset.errors[0] == {
        "score": ["Ensure this value is less than or equal to 10."]
    }
