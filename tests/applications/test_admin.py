import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import ComposerMark, Region
from applications.models import MemberOrganisation
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    ExpressionOfInterestFactory,
    MemberOrganisationFactory,
    ProgrammeFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_application_csv_export_neutralises_formulas(staff_client):
    programme = ProgrammeFactory(title="Connections")
    time = CandidateTimeFactory(programme=programme, weekday=1)
    application = ApplicationFactory(
        programme=programme,
        name='=HYPERLINK("http://evil.example","click")',
        organisation="@Leeds",
        challenge="-2+3",
        email="asha@example.org",
        region=Region.SCOTLAND,
        composer_mark=ComposerMark.INCLUDE,
    )
    AvailabilityFactory(application=application, candidate_time=time, answer="yes")

    response = staff_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk]},
    )

    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert response["Content-Disposition"] == 'attachment; filename="applications.csv"'
    header, row = read_csv(response)
    record = dict(zip(header, row, strict=True))
    assert (record["Name"], record["Organisation"], record["Challenge"], record["Email"]) == (
        '\'=HYPERLINK("http://evil.example","click")',
        "'@Leeds",
        "'-2+3",
        "asha@example.org",
    )
    assert (record["Times answered yes"], record["Availability"], record["Status"]) == (
        "1",
        "Tuesday 14:00–16:00: Yes",
        "Submitted",
    )
    assert (record["Region"], record["When proposing groups"]) == ("Scotland", "Must include")


def test_interest_csv_export_marks_who_applied_and_neutralises_formulas(staff_client):
    programme = ProgrammeFactory()
    applied = ExpressionOfInterestFactory(programme=programme, email="a@example.org", name="Ann")
    waiting = ExpressionOfInterestFactory(
        programme=programme, email="b@example.org", name="=cmd|' /C calc'!A0"
    )
    ApplicationFactory(programme=programme, email="A@example.org")

    response = staff_client.post(
        reverse("admin:applications_expressionofinterest_changelist"),
        {"action": "export_csv", "_selected_action": [applied.pk, waiting.pk]},
    )

    rows = read_csv(response)
    assert rows[0] == ["Registered", "Programme", "Name", "Email", "Organisation", "Role", "Applied"]
    assert [(r[2], r[3], r[6]) for r in rows[1:]] == [
        ("Ann", "a@example.org", "yes"),
        ("'=cmd|' /C calc'!A0", "b@example.org", "no"),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_application_changelist_queries_do_not_grow(staff_client, django_assert_num_queries, count):
    programme = ProgrammeFactory()
    for number in range(1, count + 1):
        cohort = CohortFactory(programme=programme, number=number, name=f"Group {number}")
        ApplicationFactory(programme=programme, cohort=cohort)

    # session, user, the count, the page of rows (with group and programme), the programme and group filters,
    # and the programmes' choice questions (each one a filter)
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("admin:applications_application_changelist"))

    assert len(response.context["cl"].result_list) == count


def test_application_changelist_shows_the_managers_columns_twenty_five_to_a_page(staff_client):
    programme = ProgrammeFactory(title="Relationships")
    cohort = CohortFactory(programme=programme, number=1, name="Group 1")
    first = ApplicationFactory(
        programme=programme,
        cohort=cohort,
        name="Asha Patel",
        organisation="Leeds Befriending",
        score=7,
        submitted_at=datetime.datetime(2021, 7, 1, 11, 5, tzinfo=datetime.UTC),
    )
    ApplicationFactory.create_batch(25, programme=programme)

    response = staff_client.get(
        reverse("admin:applications_application_changelist"), {"o": "5"}
    )  # submitted, oldest first
    content = response.content.decode()
    cl = response.context["cl"]

    assert [cl.model_admin.list_display, len(cl.result_list), cl.result_count] == [
        ["name", "organisation", "status", "group", "submitted", "score"],
        25,
        26,
    ]
    assert (
        f'<input type="checkbox" name="_selected_action" value="{first.pk}" class="action-select" '
        f'aria-label="Select this object for an action - {first}">'
    ) in content
    assert '<td class="field-group">Group 1</td>' in content
    assert '<td class="field-submitted">1 Jul 2021, 12:05</td>' in content  # UK time (BST)
    assert (
        '<td class="field-score"><input type="number" name="form-0-score" value="7" class="vIntegerField" '
        'min="0" max="10" aria-label="Score for Asha Patel, 0 to 10" id="id_form-0-score"></td>'
    ) in content
    assert '<div class="text"><a href="?o=6.5">Score (0 to 10)</a></div>' in content
    change = reverse("admin:applications_application_change", args=[first.pk])
    assert f'<a href="{change}?_changelist_filters=o%3D5">Asha Patel</a>' in content
    assert 'id="nav-sidebar"' not in content  # the list has the page's width


def test_application_changelist_filters_are_the_managers(staff_client):
    programme, other = ProgrammeFactory(title="Relationships"), ProgrammeFactory(title="Loneliness")
    CohortFactory(programme=programme, number=1, name="Group 1")
    programme.questions.create(kind="one_choice", label="Your work", choices="Food bank\nYouth work")
    ApplicationFactory(programme=programme)
    ApplicationFactory(programme=other)

    cl = staff_client.get(reverse("admin:applications_application_changelist")).context["cl"]

    assert [str(spec.title) for spec in cl.filter_specs] == [
        "programme",
        "status",
        "role type",
        "where you work",
        "when proposing groups",
        "group",
        "my organisation supports me to attend",
        "submitted at",
        "Your work",
    ]
    assert (cl.list_per_page, cl.show_full_result_count, cl.date_hierarchy, cl.search_fields) == (
        25,
        False,
        None,
        ["name", "email", "organisation", "role"],
    )


@pytest.mark.parametrize("count", [1, 3])
def test_interest_changelist_queries_do_not_grow_and_show_counts(
    staff_client, django_assert_num_queries, count
):
    programme = ProgrammeFactory()
    interests = ExpressionOfInterestFactory.create_batch(count, programme=programme)
    ApplicationFactory(programme=programme, email=interests[0].email)
    ApplicationFactory(programme=programme)

    with django_assert_num_queries(8):
        response = staff_client.get(reverse("admin:applications_expressionofinterest_changelist"))

    assert response.context["interest_summary"] == {"interest": count, "applied": 1, "applications": 2}
    assert [i.applied for i in response.context["cl"].result_list] == [
        i == interests[0] for i in reversed(interests)
    ]
    assert f"<strong>{count}</strong> expressions of interest, of which <strong>1</strong> applied" in (
        response.content.decode()
    )


def test_interest_changelist_filters_by_applied(staff_client):
    programme = ProgrammeFactory()
    applied, waiting = ExpressionOfInterestFactory.create_batch(2, programme=programme)
    ApplicationFactory(programme=programme, email=applied.email)
    url = reverse("admin:applications_expressionofinterest_changelist")

    yes = staff_client.get(url, {"applied": "yes"}).context["cl"].result_list
    no = staff_client.get(url, {"applied": "no"}).context["cl"].result_list

    assert (list(yes), list(no)) == ([applied], [waiting])


@pytest.mark.parametrize("count", [1, 3])
def test_programme_changelist_shows_interest_against_applications(
    staff_client, django_assert_num_queries, count
):
    for _ in range(count):
        programme = ProgrammeFactory()
        first, _second = ExpressionOfInterestFactory.create_batch(2, programme=programme)
        ApplicationFactory(programme=programme, email=first.email)
        ApplicationFactory.create_batch(2, programme=programme)

    with django_assert_num_queries(5):
        response = staff_client.get(reverse("admin:applications_programme_changelist"))

    admin = response.context["cl"].model_admin
    assert [
        (admin.interest_count(p), admin.interest_applied_count(p), admin.application_count(p))
        for p in response.context["cl"].result_list
    ] == [(2, 1, 3)] * count


def test_application_detail_lays_out_answers_read_only_and_saves_notes_score_and_mark(staff_client):
    application = ApplicationFactory(motivation="To learn from peers.", status="submitted")
    url = reverse("admin:applications_application_change", args=[application.pk])

    page = staff_client.get(url)
    content = page.content.decode()
    response = staff_client.post(
        url,
        {
            "manager_notes": "Strong on volunteers.",
            "score": "8",
            "composer_mark": "exclude",
            "availability-TOTAL_FORMS": "0",
            "availability-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 200
    assert "To learn from peers." in content
    assert 'name="motivation"' not in content
    assert response.status_code == 302
    application.refresh_from_db()
    assert (
        application.manager_notes,
        application.score,
        application.composer_mark,
        application.motivation,
        application.status,
    ) == ("Strong on volunteers.", 8, ComposerMark.EXCLUDE, "To learn from peers.", "submitted")
    assert 'name="region"' not in content  # the applicant's answer: read-only here


def test_admin_application_pages_are_404_for_non_staff_redirect(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:applications_application_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_member_organisation_csv_import_adds_new_names_once(staff_client):
    MemberOrganisationFactory(name="Age UK Leeds")
    upload = SimpleUploadedFile(
        "members.csv",
        "Organisation,Region\nAge UK Leeds,Yorkshire\nage uk leeds,\n  Befriending   Network ,\n\n"
        "Zoë's Place,London\nBefriending Network,\n".encode(),
        content_type="text/csv",
    )

    response = staff_client.post(reverse("admin:applications_memberorganisation_import"), {"file": upload})

    assert response.status_code == 302
    assert list(MemberOrganisation.objects.values_list("name", flat=True)) == [
        "Age UK Leeds",
        "Befriending Network",
        "Zoë's Place",
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Imported 2 organisations; 1 were already in the list."]


def test_member_organisation_import_reads_windows_encoding_and_refuses_empty(staff_client):
    url = reverse("admin:applications_memberorganisation_import")

    staff_client.post(url, {"file": SimpleUploadedFile("m.csv", "Café Connect\n".encode("cp1252"))})
    empty = staff_client.post(url, {"file": SimpleUploadedFile("m.csv", b"name\n\n")})

    assert list(MemberOrganisation.objects.values_list("name", flat=True)) == ["Café Connect"]
    assert empty.context["form"].errors == {"file": ["No organisation names found in the first column."]}


def test_member_organisation_import_page_needs_staff(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:applications_memberorganisation_import"))

    assert response.status_code == 302
