"""A programme's reviewer (issue 20): reads, notes and scores that programme's applications in the admin, and
decides nothing."""

import pytest
from django.urls import reverse

from applications.admin import SAME_ORGANISATION
from applications.models import Application, ApplicationStatusChange, ProgrammeReviewer
from applications.rules import can_decide, can_review_programme
from applications.services import TransitionRefused, application_set_status
from cohort_site.core.rules import is_active_staff
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, StaffFactory, UserFactory

CHANGELIST = "admin:applications_application_changelist"
EMPTY_INLINES = {
    "availability-TOTAL_FORMS": "0",
    "availability-INITIAL_FORMS": "0",
    "status_changes-TOTAL_FORMS": "0",
    "status_changes-INITIAL_FORMS": "0",
}


def reviewer_of(programme, **kwargs):
    user = StaffFactory(**kwargs)
    ProgrammeReviewer.objects.create(programme=programme, user=user)
    return user


@pytest.fixture
def programme(db):
    return ProgrammeFactory(title="Connections")


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(title="Kindness")


@pytest.fixture
def reviewer(programme):
    return reviewer_of(programme, organisation="  Leeds   Befriending ")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_predicates_for_manager_reviewer_plain_staff_and_member(programme, other_programme, reviewer):
    manager = StaffFactory(is_superuser=True)
    staff = StaffFactory()
    member = UserFactory()

    assert [can_decide(user) for user in (manager, staff, reviewer, member)] == [True, True, False, False]
    assert [is_active_staff(user) for user in (manager, staff, reviewer, member)] == [
        True,
        True,
        False,
        False,
    ]
    assert [
        (can_review_programme(user, programme.pk), can_review_programme(user, other_programme.pk))
        for user in (manager, staff, reviewer, member)
    ] == [(True, True), (True, True), (True, False), (False, False)]


def test_a_superuser_given_a_programme_stays_a_manager(programme, other_programme):
    manager = reviewer_of(programme, is_superuser=True)

    assert (can_decide(manager), can_review_programme(manager, other_programme.pk)) == (True, True)


def test_a_deactivated_reviewer_reviews_nothing(programme):
    reviewer = reviewer_of(programme, is_active=False)

    assert (can_decide(reviewer), can_review_programme(reviewer, programme.pk)) == (False, False)


def test_reviewer_list_shows_exactly_their_programmes_applications(
    reviewer_client, programme, other_programme
):
    theirs = [ApplicationFactory(programme=programme, name=name) for name in ("Asha", "Ben")]
    ApplicationFactory(programme=other_programme, name="Cara")

    response = reviewer_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert sorted(a.pk for a in response.context["cl"].result_list) == sorted(a.pk for a in theirs)
    assert sorted(response.context["cl"].model_admin.get_actions(response.wsgi_request)) == ["export_csv"]


def test_another_programmes_application_is_404_for_a_reviewer(reviewer_client, other_programme):
    elsewhere = ApplicationFactory(programme=other_programme)
    url = reverse("admin:applications_application_change", args=[elsewhere.pk])

    page = reviewer_client.get(url)
    post = reviewer_client.post(url, {"manager_notes": "Mine now", "score": "9", **EMPTY_INLINES})

    assert (page.status_code, post.status_code) == (404, 404)
    elsewhere.refresh_from_db()
    assert (elsewhere.manager_notes, elsewhere.score) == ("", None)


def test_reviewer_saves_notes_and_score_but_not_status_or_mark(reviewer_client, programme):
    application = ApplicationFactory(programme=programme, status="submitted", composer_mark="")
    url = reverse("admin:applications_application_change", args=[application.pk])

    response = reviewer_client.post(
        url,
        {
            "manager_notes": "Strong on volunteers.",
            "score": "8",
            "status": "offered",
            "composer_mark": "exclude",
            **EMPTY_INLINES,
        },
    )

    assert (response.status_code, response["Location"]) == (302, reverse(CHANGELIST))
    application.refresh_from_db()
    assert (application.manager_notes, application.score, application.status, application.composer_mark) == (
        "Strong on volunteers.",
        8,
        "submitted",
        "",
    )
    assert ApplicationStatusChange.objects.filter(application=application).count() == 0


def test_reviewer_scores_from_the_list(reviewer_client, programme):
    application = ApplicationFactory(programme=programme, score=None)

    response = reviewer_client.post(
        reverse(CHANGELIST),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(application.pk),
            "form-0-score": "6",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.score == 6


@pytest.mark.parametrize("action", ["offer_places", "waitlist", "decline"])
def test_reviewer_decision_actions_change_nothing(reviewer_client, programme, action):
    application = ApplicationFactory(programme=programme, status="submitted")

    response = reviewer_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [application.pk]}, follow=True
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "No action selected.",
    ]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_reviewer_cannot_open_the_decision_page(reviewer_client, programme):
    application = ApplicationFactory(programme=programme, status="submitted")

    response = reviewer_client.get(
        reverse("applications:selection_decide", args=["offer"]) + f"?ids={application.pk}"
    )

    assert response.status_code == 404


def test_the_status_service_refuses_a_reviewer(programme, reviewer):
    cohort = CohortFactory(programme=programme)
    application = ApplicationFactory(programme=programme, status="submitted")

    with pytest.raises(TransitionRefused):
        application_set_status(application=application, status="offered", cohort=cohort, by=reviewer)

    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_same_organisation_flag_marks_exactly_that_organisations_applicants(reviewer_client, programme):
    same = ApplicationFactory(programme=programme, name="Asha", organisation="leeds befriending")
    other = ApplicationFactory(programme=programme, name="Ben", organisation="Leeds Food Bank")

    response = reviewer_client.get(reverse(CHANGELIST))

    admin_view = response.context["cl"].model_admin
    column = admin_view.get_list_display(response.wsgi_request)[-1]
    assert {a.name: column(a) for a in (same, other)} == {"Asha": "Yes: tell the manager", "Ben": ""}
    assert response.content.decode().count("Yes: tell the manager") == 1
    flagged = reviewer_client.get(reverse("admin:applications_application_change", args=[same.pk]))
    unflagged = reviewer_client.get(reverse("admin:applications_application_change", args=[other.pk]))
    assert [str(m) for m in flagged.context["messages"]] == [SAME_ORGANISATION]
    assert [str(m) for m in unflagged.context["messages"]] == []


def test_managers_list_has_no_organisation_column(client, programme):
    client.force_login(StaffFactory(is_superuser=True, organisation="Leeds Befriending"))
    ApplicationFactory(programme=programme, organisation="Leeds Befriending")

    response = client.get(reverse(CHANGELIST))

    assert response.context["cl"].list_display == [
        "action_checkbox",
        "name",
        "organisation",
        "status",
        "group",
        "submitted",
        "score",
    ]


def test_reviewer_signs_in_to_the_admin(reviewer_client):
    response = reviewer_client.get(reverse("core:after_login"))

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


@pytest.mark.parametrize("count", [1, 3])
def test_reviewer_changelist_queries_do_not_grow(
    reviewer_client, programme, django_assert_num_queries, count
):
    for number in range(1, count + 1):
        ApplicationFactory(programme=programme, cohort=CohortFactory(programme=programme, number=number))

    # session, user, the programmes reviewed, the choice questions, the count, the page of rows (the admin's menu
    # of what a non-superuser may open, two queries of permissions, is not built beside the list)
    with django_assert_num_queries(6):
        response = reviewer_client.get(reverse(CHANGELIST))

    assert len(response.context["cl"].result_list) == count


def test_a_manager_gives_a_staff_account_a_programme_to_review_on_its_page(client, programme):
    client.force_login(StaffFactory(is_superuser=True))
    staff = StaffFactory(email="rui@example.org", name="Rui")
    url = reverse("admin:core_user_change", args=[staff.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "date_joined_0": "2021-06-28",
            "date_joined_1": "09:00",
            "programme_reviews-TOTAL_FORMS": "1",
            "programme_reviews-INITIAL_FORMS": "0",
            "programme_reviews-0-programme": str(programme.pk),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(ProgrammeReviewer.objects.values_list("user__email", "programme__title")) == [
        ("rui@example.org", "Connections")
    ]


def test_reviewer_reads_programme_group_and_accounts_as_names_not_links_they_cannot_open(
    reviewer_client, programme
):
    manager = StaffFactory(is_superuser=True, email="manager@example.org")
    group = CohortFactory(programme=programme)
    member = UserFactory(email="applicant@example.org")
    application = ApplicationFactory(programme=programme, status="submitted", user=member)
    application_set_status(application=application, status="offered", cohort=group, by=manager)

    page = reviewer_client.get(reverse("admin:applications_application_change", args=[application.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    assert [
        html.count(reverse(name, args=[pk]))
        for name, pk in [
            ("admin:applications_programme_change", programme.pk),
            ("admin:applications_cohort_change", group.pk),
            ("admin:core_user_change", member.pk),
            ("admin:core_user_change", manager.pk),
        ]
    ] == [0, 0, 0, 0]
    assert (programme.title in html, group.name in html, str(member) in html) == (True, True, True)
