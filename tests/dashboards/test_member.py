import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.services import application_set_status
from pairings.models import PairMember
from sessions_app.join_links import join_path
from tests.factories import ApplicationFactory, CohortFactory, StaffFactory, UserFactory

from .conftest import build_world


def partners_in_round(world, number):
    mine = PairMember.objects.get(member=world.me, round__number=number, round__cohort=world.cohort)
    return sorted(m.member.name for m in PairMember.objects.filter(pair=mine.pair).exclude(member=world.me))


def test_member_sees_next_session_first_with_its_join_link(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        response = client.get(reverse("dashboards:member"))

    schedule = response.context["dashboard"].schedule
    assert response.status_code == 200
    assert schedule.next_session == world.sessions[2]
    assert [s.number for s in schedule.later_sessions] == [4, 5, 6]
    assert [(s.number, s.my_status) for s in schedule.past_sessions] == [(2, "attended"), (1, "attended")]
    page = response.content.decode()
    assert page.index("Next session") < page.index("The whole schedule") < page.index("Your coffee pair")
    # "To do" comes first in reading order (and so first on a phone).
    assert page.index('<h2 id="todo-heading"') < page.index('<h2 id="next-heading"')
    # The member's own join link, which opens the session's video link from 15 minutes before.
    assert f'<a class="btn btn-primary" href="{join_path(world.me)}"' in page
    assert "Topic 3" in page


def test_member_sees_current_partners_their_shared_times_and_past_partners(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        coffee = client.get(reverse("dashboards:member")).context["dashboard"].coffee

    assert (coffee.current.round.number, coffee.current_is_open) == (2, True)
    assert sorted(p.name for p in coffee.partners) == partners_in_round(world, 2)
    assert coffee.times == [world.tuesday]
    assert [(m.round.number, sorted(p.name for p in people)) for m, people in coffee.past] == [
        (1, partners_in_round(world, 1))
    ]


def test_we_met_from_the_dashboard_returns_to_it(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        current = client.get(reverse("dashboards:member")).context["dashboard"].coffee.current

        response = client.post(
            reverse("pairings:mark_met", args=[current.pk]), {"next": reverse("dashboards:member")}
        )

    assert (response.status_code, response["Location"]) == (302, reverse("dashboards:member"))
    current.refresh_from_db()
    assert current.met_at == world.now


def test_to_do_lists_feedback_reading_and_open_claims(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        response = client.get(reverse("dashboards:member"))

    todo = response.context["dashboard"].todo
    assert [item.title for item in todo.feedback_due] == ["Session 2: Topic 2"]
    assert (todo.surveys_due, todo.offers) == ([], [])
    assert (todo.reading_done, todo.reading_total) == (1, 2)
    assert todo.claims_open == [world.expense]
    assert "Expense claim £12.50</a>:" in response.content.decode()


def test_latest_entries_are_the_groups_newest_without_drafts(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        entries = client.get(reverse("dashboards:member")).context["dashboard"].latest_entries

    assert [e.title for e in entries] == [e.title for e in reversed(world.entries)]


def test_an_offered_applicant_is_asked_to_confirm(client, db):
    cohort = CohortFactory(name="Group 2")
    applicant = ApplicationFactory(programme=cohort.programme, user=UserFactory())
    application_set_status(
        application=applicant, status=ApplicationStatus.OFFERED, cohort=cohort, notify=Notify.NONE
    )
    client.force_login(applicant.user)

    response = client.get(reverse("dashboards:member"))

    offers = response.context["dashboard"].todo.offers
    assert [(o.application, o.url.split("/")[3]) for o in offers] == [(applicant, "offer")]
    assert f'<a href="{offers[0].url}">Confirm your place in Group 2</a>' in response.content.decode()
    assert response.context["dashboard"].schedule.memberships == []


def test_member_dashboard_needs_sign_in(client, db):
    response = client.get(reverse("dashboards:member"))

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/me/")


def test_staff_land_on_their_dashboard_and_members_on_theirs(client, db):
    client.force_login(UserFactory())
    member_landing = client.get(reverse("core:after_login"))
    client.force_login(StaffFactory())
    staff_landing = client.get(reverse("core:after_login"))

    assert (member_landing.status_code, member_landing["Location"]) == (302, "/me/")
    assert (staff_landing.status_code, staff_landing["Location"]) == (302, "/staff/")


@pytest.mark.parametrize("size", [1, 20])
def test_member_dashboard_queries_do_not_grow_with_the_cohort(client, db, size, django_assert_num_queries):
    world = build_world(size)
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        with django_assert_num_queries(20):
            response = client.get(reverse("dashboards:member"))

    assert len(response.context["dashboard"].schedule.past_sessions) == 2


def test_resetting_the_feed_from_the_dashboard_returns_to_it_with_a_new_address(client, world):
    old_token = world.me.user.calendar_token
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        response = client.post(reverse("sessions:calendar_reset"), {"next": reverse("dashboards:member")})
        page = client.get(reverse("dashboards:member"))

    world.me.user.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert world.me.user.calendar_token != old_token
    assert page.context["feed_url"].endswith(
        f"/calendar/{world.me.user.pk}/{world.me.user.calendar_token}.ics"
    )
