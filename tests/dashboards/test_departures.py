"""The manager's "Waiting for you" shows who left lately, and a freed place that waits for the manager's decision."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.services import application_set_status
from cohort_site.core.dates import DAY, local_text
from cohort_site.dashboards.selectors import Action, departure_actions, undecided_actions, waitlist_actions
from cohort_site.members.services import member_leave
from sessions_app.models import Session
from tests.factories import CohortFactory, MemberFactory, SessionFactory, StaffFactory, application_in

pytestmark = pytest.mark.django_db


def member(cohort, name: str):
    """A member who came in as members do (offered, then confirmed), so the record says which group they joined."""
    application = MemberFactory(
        cohort=cohort,
        name=name,
        status=ApplicationStatus.OFFERED,
        offer_expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return application_set_status(application=application, status=ApplicationStatus.CONFIRMED)


@pytest.fixture
def cohort():
    cohort = CohortFactory(name="Group 1", size=3)
    for number in range(1, 4):
        SessionFactory(cohort=cohort, number=number)
    return cohort


def test_a_departure_before_the_cut_off_shows_who_left_why_and_the_place_to_offer(cohort):
    ada = member(cohort, "Ada Green")
    MemberFactory(cohort=cohort)
    MemberFactory(cohort=cohort)
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    now = Session.objects.get(cohort=cohort, number=2).starts_at - datetime.timedelta(days=1)
    member_leave(application=ada, by=ada.user, reason="A new job", now=now)

    url = reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
    day = local_text(now, cohort.programme.tz, DAY)
    assert [*departure_actions(now=now), *waitlist_actions(now=now)] == [
        Action(1, f"Ada Green left Group 1 on {day}: “A new job”", url),
        Action(1, "place free in Group 1 to offer from the waitlist", url),
    ]


def test_after_the_cut_off_the_departure_shows_and_nothing_is_to_decide(cohort):
    ada = member(cohort, "Ada Green")
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    now = Session.objects.get(cohort=cohort, number=2).starts_at
    member_leave(application=ada, by=StaffFactory(), now=now)

    day = local_text(now, cohort.programme.tz, DAY)
    url = reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
    assert departure_actions(now=now) == [Action(1, f"Ada Green was withdrawn from Group 1 on {day}", url)]
    assert waitlist_actions(now=now) == []


def test_departures_older_than_two_weeks_are_not_shown(cohort):
    ada = member(cohort, "Ada Green")
    now = Session.objects.get(cohort=cohort, number=2).starts_at
    member_leave(application=ada, by=ada.user, now=now)

    assert departure_actions(now=now + datetime.timedelta(days=14, seconds=1)) == []


def test_the_dashboard_lists_the_departure_under_waiting_for_you(client, cohort):
    ada = member(cohort, "Ada Green")
    member_leave(application=ada, by=ada.user, reason="Moving away")
    client.force_login(StaffFactory())

    page = client.get(reverse("dashboards:manager")).content.decode()

    assert "Ada Green left Group 1 on" in page
    assert "“Moving away”" in page


def test_a_place_freed_by_an_offer_that_lapsed_is_proposed_from_the_waitlist(cohort):
    MemberFactory(cohort=cohort)
    MemberFactory(cohort=cohort)
    application_in(ApplicationStatus.OFFER_EXPIRED, programme=cohort.programme)
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    now = Session.objects.get(cohort=cohort, number=1).starts_at

    url = reverse("applications:selection_cohort", kwargs={"pk": cohort.pk})
    assert (departure_actions(now=now), waitlist_actions(now=now)) == (
        [],
        [Action(1, "place free in Group 1 to offer from the waitlist", url)],
    )


def test_a_full_group_or_an_empty_waitlist_proposes_nothing(cohort):
    for _ in range(3):
        MemberFactory(cohort=cohort)
    other = CohortFactory(name="Group 2", size=3)

    assert (waitlist_actions(now=timezone.now()), other.programme.applications.count()) == ([], 0)
    application_in(ApplicationStatus.WAITLISTED, programme=cohort.programme)
    assert waitlist_actions(now=timezone.now()) == []


def test_undecided_applications_after_the_deadline_wait_for_the_manager(cohort):
    programme = cohort.programme
    application_in(ApplicationStatus.SUBMITTED, programme=programme)
    application_in(ApplicationStatus.SUBMITTED, programme=programme)
    application_in(ApplicationStatus.DECLINED, programme=programme)
    url = reverse("applications:selection_programme", kwargs={"slug": programme.slug})

    before = undecided_actions(now=programme.applications_close_at - datetime.timedelta(seconds=1))
    after = undecided_actions(now=programme.applications_close_at)

    assert (before, after) == (
        [],
        [
            Action(
                2, f"applications to {programme.title} not decided yet, though applications have closed", url
            )
        ],
    )
