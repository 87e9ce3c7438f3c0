import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from pytest_django.asserts import assertContains

from applications.enums import ApplicationStatus, Notify
from applications.models import Application
from applications.selectors import places_and_offers_of
from applications.services import application_set_status
from learning.enums import SurveyKind, Visibility
from learning.models import Survey
from learning.selectors import (
    attendance_with_feedback_given,
    entries_visible_to,
    feedback_for_member,
    reading_items_for,
    reading_progress,
)
from learning.services import entry_sharing_request, survey_update, surveys_ensure_defaults
from pairings.models import PairMember
from pairings.selectors import member_of
from sessions_app.join_links import join_path
from sessions_app.selectors import member_schedule, sessions_for_member
from tests.factories import ApplicationFactory, CohortFactory, EntryFactory, StaffFactory, UserFactory

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
    # Compared as HTML, so the whitespace between the attributes is the template's own affair.
    assertContains(
        response,
        f'<a class="btn btn-primary" href="{join_path(world.me)}" rel="noopener">Join the session</a>',
        html=True,
    )
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


def test_entries_awaiting_consent_and_the_latest_are_read_together(client, world, django_assert_num_queries):
    proposer = world.others[0].user
    with time_machine.travel(world.now, tick=True):
        older = EntryFactory(cohort=world.cohort, authors=[proposer, world.me.user], title="Older, asked")
        entry_sharing_request(entry=older, by=proposer, audience=Visibility.NETWORK)
        newer = [EntryFactory(cohort=world.cohort, title=f"Newer {n}") for n in range(4)]
        newest = EntryFactory(cohort=world.cohort, authors=[proposer, world.me.user], title="Newest, asked")
        entry_sharing_request(entry=newest, by=proposer, audience=Visibility.PUBLIC)
        client.force_login(world.me.user)
        with django_assert_num_queries(12):
            response = client.get(reverse("dashboards:member"))

    dashboard = response.context["dashboard"]
    assert dashboard.todo.consents_due == [older, newest]
    assert dashboard.latest_entries == [newest, *reversed(newer)]
    assert [a.user.name for a in dashboard.latest_entries[0].authorships.all()] == [
        proposer.name,
        world.me.user.name,
    ]


def test_a_member_without_a_group_is_still_asked_for_consent(client, world):
    proposer = world.others[0].user
    entry = EntryFactory(cohort=world.cohort, authors=[proposer, world.me.user], title="Asked")
    entry_sharing_request(entry=entry, by=proposer, audience=Visibility.NETWORK)
    application_set_status(application=world.me, status=ApplicationStatus.WITHDRAWN, notify=Notify.NONE)
    client.force_login(world.me.user)

    dashboard = client.get(reverse("dashboards:member")).context["dashboard"]

    assert (dashboard.todo.consents_due, dashboard.latest_entries) == ([entry], [])


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
        with django_assert_num_queries(12):
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


def midpoint_opening_after_session_2(world) -> Survey:
    survey = next(
        s for s in surveys_ensure_defaults(programme=world.programme) if s.kind == SurveyKind.MIDPOINT
    )
    return survey_update(survey=survey, title=survey.title, intro=survey.intro, opens_after_session=2)


def test_feedback_read_from_the_schedule_is_what_the_feedback_page_reads(world):
    survey = midpoint_opening_after_session_2(world)
    user = world.me.user
    with time_machine.travel(world.now, tick=False):
        alone = feedback_for_member(user, now=world.now)
        memberships, _ = places_and_offers_of(user)
        schedule = member_schedule(
            user, now=world.now, memberships=memberships, attendance=attendance_with_feedback_given()
        )
        sessions = [*reversed(schedule.past_sessions), schedule.next_session, *schedule.later_sessions]
        shared = feedback_for_member(user, now=world.now, memberships=memberships, sessions=sessions)

    assert [(i.kind, i.title, i.answered, i.when) for i in alone] == [
        ("session", "Session 2: Topic 2", False, world.sessions[1].ends_at),
        ("survey", survey.title, False, world.sessions[1].ends_at),
        ("session", "Session 1: Topic 1", True, world.sessions[0].ends_at),
    ]
    assert shared == alone


def test_an_open_survey_is_on_the_to_do_list_in_the_same_queries(client, world, django_assert_num_queries):
    survey = midpoint_opening_after_session_2(world)
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        with django_assert_num_queries(12):
            response = client.get(reverse("dashboards:member"))

    assert [(item.title, item.url) for item in response.context["dashboard"].todo.surveys_due] == [
        (survey.title, survey.get_absolute_url())
    ]
    assert f'<a href="{survey.get_absolute_url()}">Answer “{survey.title}”</a>' in response.content.decode()


def test_reading_progress_counts_the_items_of_the_reading_list(world):
    user = world.me.user
    memberships, _ = places_and_offers_of(user)

    assert [item.done for item in reading_items_for(user)] == [True, False]
    assert reading_progress(user) == reading_progress(user, memberships=memberships) == (1, 2)
    assert reading_progress(StaffFactory()) == (0, 2)
    assert reading_progress(UserFactory()) == (0, 0)


def test_places_and_offers_are_read_together_and_the_latest_place_is_the_coffee_one(db):
    first = CohortFactory(name="Group 1")
    later = CohortFactory(
        name="Group 2", first_session_week=first.first_session_week + datetime.timedelta(weeks=30)
    )
    user = UserFactory()
    places = [
        ApplicationFactory(
            programme=cohort.programme, user=user, cohort=cohort, status=ApplicationStatus.CONFIRMED
        )
        for cohort in (later, first)
    ]
    offered_in = CohortFactory(name="Group 3")
    offer = ApplicationFactory(programme=offered_in.programme, user=UserFactory())
    application_set_status(
        application=offer, status=ApplicationStatus.OFFERED, cohort=offered_in, notify=Notify.NONE
    )
    Application.objects.filter(pk=offer.pk).update(user=user)
    ApplicationFactory(user=user)  # submitted, not decided yet

    memberships, offers = places_and_offers_of(user)

    assert (sorted(memberships, key=lambda m: m.pk), offers) == (sorted(places, key=lambda m: m.pk), [offer])
    assert member_of(user, memberships=memberships) == member_of(user) == places[0]
    assert places_and_offers_of(AnonymousUser()) == ([], [])


def test_entries_and_sessions_read_with_the_places_in_hand_are_those_read_alone(world):
    user = world.me.user
    memberships, _ = places_and_offers_of(user)

    titles = sorted(entries_visible_to(user).values_list("title", flat=True))
    assert sorted(entries_visible_to(user, memberships=memberships).values_list("title", flat=True)) == titles
    assert titles == sorted(
        [*(entry.title for entry in world.entries), "Morgan's draft"]
    )  # her own draft too
    assert list(sessions_for_member(user, memberships)) == list(sessions_for_member(user)) == world.sessions


def test_an_entry_of_another_group_awaiting_consent_is_not_among_the_latest(client, world):
    """The latest entries are the member's groups' own: an entry of another group they wrote, newer than all of
    them and awaiting their consent, is asked about but not listed among the group's latest."""
    proposer = world.others[0].user
    with time_machine.travel(world.now, tick=True):
        group = [EntryFactory(cohort=world.cohort, title=f"Group {n}") for n in range(6)]
        elsewhere = EntryFactory(cohort=CohortFactory(), authors=[proposer, world.me.user], title="Elsewhere")
        entry_sharing_request(entry=elsewhere, by=proposer, audience=Visibility.NETWORK)
        client.force_login(world.me.user)
        dashboard = client.get(reverse("dashboards:member")).context["dashboard"]

    assert dashboard.todo.consents_due == [elsewhere]
    assert dashboard.latest_entries == list(reversed(group))[:5]
