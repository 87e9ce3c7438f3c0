"""A programme's reviewer (issue 20) against every staff page of the site: a reviewer is not a manager, so each
one is a 404 and each staff-only POST changes nothing. Their own place is the admin's list of applications."""

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import ProgrammeReviewer
from tests.factories import StaffFactory
from tests.security.test_permissions import EXPECTED, POSTS, PROGRAMME_FILTERED, snapshot, url_of

STAFF_ONLY = sorted(name for name, row in EXPECTED.items() if row[1:4] == (404, 404, 404) and row[4] != 404)
STAFF_ONLY_POSTS = sorted(
    name for name, row in POSTS.items() if row[1:4] == (404, 404, 404) and row[4] != 404
)


@pytest.fixture
def reviewer_client(world):
    reviewer = StaffFactory(name="Rui Reviewer")
    ProgrammeReviewer.objects.create(programme=world.running, user=reviewer)
    client = Client()
    client.force_login(reviewer)
    return client


def test_the_staff_pages_are_the_managers_pages():
    # The walk below covers the dashboards, selection, proposal and outbox pages by name.
    assert {
        "dashboards:manager",
        "applications:selection_decide",
        "applications:selection_propose",
        "mail:outbox",
    } <= set(STAFF_ONLY)


@pytest.mark.parametrize("name", STAFF_ONLY)
def test_reviewer_gets_404_on_every_staff_page(world, reviewer_client, name):
    response = reviewer_client.get(url_of(world, name))

    assert response.status_code == 404


@pytest.mark.parametrize("name", PROGRAMME_FILTERED)
def test_reviewer_gets_404_on_the_staff_pages_even_with_their_own_programme_chosen(
    world, reviewer_client, name
):
    response = reviewer_client.get(f"{url_of(world, name)}?programme={world.running.slug}")

    assert response.status_code == 404


@pytest.mark.parametrize("name", STAFF_ONLY_POSTS)
def test_reviewer_post_to_a_staff_page_changes_nothing(world, reviewer_client, name):
    before = snapshot()

    response = reviewer_client.post(url_of(world, name), world.post_data()[name])

    assert (response.status_code, snapshot() == before) == (404, True)


def test_reviewer_sees_their_programmes_applications_in_the_admin_and_not_the_others(world, reviewer_client):
    listed = reviewer_client.get(reverse("admin:applications_application_changelist"))
    mine = reviewer_client.get(reverse("admin:applications_application_change", args=[world.member.pk]))
    other = reviewer_client.get(reverse("admin:applications_application_change", args=[world.applicant.pk]))
    programmes = reviewer_client.get(reverse("admin:applications_programme_changelist"))

    assert {a.programme_id for a in listed.context["cl"].result_list} == {world.running.pk}
    assert (listed.status_code, mine.status_code, other.status_code, programmes.status_code) == (
        200,
        200,
        404,
        403,
    )
