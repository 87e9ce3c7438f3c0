import datetime

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus
from cohort_site.core.services import heartbeat_record
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from learning.enums import Visibility
from pairings.models import PairMember
from tests.factories import (
    CohortFactory,
    EntryFactory,
    ExpressionOfInterestFactory,
    SessionFactory,
    StaffFactory,
    application_in,
)
from tests.mail.test_queue import queue_plain

from .conftest import build_world


def recruitment_around(world):
    """Besides the members: 25 people interested, 3 awaiting a decision, 2 waitlisted, 1 offered a place in
    Group 2 (Group 1 is full: the database refuses a 21st place)."""
    for _ in range(25):
        ExpressionOfInterestFactory(programme=world.programme)
    for _ in range(3):
        application_in(ApplicationStatus.SUBMITTED, programme=world.programme)
    for _ in range(2):
        application_in(ApplicationStatus.WAITLISTED, programme=world.programme)
    group_two = CohortFactory(programme=world.programme, name="Group 2", number=world.cohort.number + 1)
    return application_in(ApplicationStatus.OFFERED, cohort=group_two)


def dashboard_at(client, moment):
    with time_machine.travel(moment, tick=False):
        client.force_login(StaffFactory())
        return client.get(reverse("dashboards:manager"))


def test_pipeline_counts_each_stage_per_programme_and_cohort(client, world):
    recruitment_around(world)

    response = dashboard_at(client, world.now)

    [pipeline] = response.context["pipelines"]
    group, group_two = pipeline.cohorts
    assert (pipeline.interest, pipeline.applications, pipeline.awaiting_decision, pipeline.waitlisted) == (
        25,
        26,
        3,
        2,
    )
    assert (pipeline.offered, pipeline.confirmed, pipeline.active) == (1, 20, 20)
    assert [(g.offered, g.confirmed, g.active) for g in (group, group_two)] == [(0, 20, 20), (1, 0, 0)]
    assert (pipeline.next_session, group.next_session, group_two.next_session) == (
        world.sessions[2],
        world.sessions[2],
        None,
    )


def test_active_counts_only_members_who_attended(client, db):
    world = build_world(3)
    world.me.attendance.all().delete()

    [pipeline] = dashboard_at(client, world.now).context["pipelines"]

    assert (pipeline.confirmed, pipeline.active) == (3, 2)


def test_cohort_health_attendance_coffee_and_feedback(client, world):
    round_two = PairMember.objects.filter(round=world.rounds[1]).select_related("pair")
    met_pairs = sorted({m.pair_id for m in round_two})[:3]
    PairMember.objects.filter(pair_id__in=met_pairs[:3]).update(met_at=world.now)
    world.sessions[1].attendance.filter(member__in=world.others[:5]).update(status="absent")

    response = dashboard_at(client, world.now)

    [group] = response.context["pipelines"][0].cohorts
    assert [(h.session.number, h.attended, h.recorded) for h in group.sessions] == [
        (1, 20, 20),
        (2, 15, 20),
        (3, 0, 0),
        (4, 0, 0),
        (5, 0, 0),
        (6, 0, 0),
    ]
    assert [(h.feedback_count, h.average_rating) for h in group.sessions[:2]] == [(20, 4.95), (0, None)]
    assert [(r.round.number, r.groups, r.met, r.met_percent) for r in group.rounds] == [
        (1, 10, 0, 0),
        (2, 10, 3, 30),
    ]
    page = response.content.decode()
    assert "<desc>Session 1: 20/20, Session 2: 15/20</desc>" in page
    assert "<desc>Round 1: 0%, Round 2: 30%</desc>" in page
    assert "<desc>Session 1: 5.0</desc>" in page  # 4.95 shown to one decimal


def test_outstanding_actions_are_listed_with_where_to_act(client, world, django_capture_on_commit_callbacks):
    offered = recruitment_around(world)
    queue_plain(key="d:1", kind=EmailKind.DECISION_OFFERED, to="a@example.org", draft=True)
    failed = queue_plain(key="f:1", to="b@example.org")
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED)
    EntryFactory(cohort=world.cohort, visibility=Visibility.GROUP, audience_requested=Visibility.PUBLIC)

    response = dashboard_at(client, offered.offer_expires_at - datetime.timedelta(days=1))

    offers = "/admin/applications/application/?status__exact=offered"
    group_two = reverse("applications:selection_cohort", kwargs={"pk": offered.cohort_id})
    assert [(a.count, a.label, a.url) for a in response.context["actions"]] == [
        (1, "emails failed to send", "/staff/outbox/?status=failed"),
        # Group 2 is recruiting while people wait: the waitlist's proposal (issue 20).
        (19, "places free in Group 2 to offer from the waitlist", group_two),
        (1, "offers expire within two days", offers),
        (1, "offers not answered yet", offers),
        (1, "decision emails waiting as drafts", "/staff/outbox/?status=draft"),
        (1, "expenses to review", "/staff/expenses/"),
        (1, "learning entries waiting for sharing approval", "/learning/manage/"),
    ]


def test_coffee_rounds_about_to_open_unpublished_are_an_action(client, world):
    round_three = world.rounds[2]

    actions = dashboard_at(client, round_three.opens_at - datetime.timedelta(days=2)).context["actions"]

    assert [(a.count, a.label) for a in actions if "coffee" in a.label] == [
        (1, "coffee rounds to publish (opening within three days)")
    ]


def test_silent_workers_are_flagged_when_tasks_go_through_a_broker(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    now = datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(minutes=20), tick=False):
        heartbeat_record(name="worker")

    stale = dashboard_at(client, now).context["actions"]
    with time_machine.travel(now, tick=False):
        heartbeat_record(name="worker")
    fresh = dashboard_at(client, now).context["actions"]

    assert [a.label for a in stale] == ["no Celery worker has run for 15 minutes: emails are not going out"]
    assert fresh == []


def test_manager_dashboard_is_404_to_members_and_asks_anonymous_to_sign_in(client, world):
    anonymous = client.get(reverse("dashboards:manager"))
    client.force_login(world.me.user)
    member = client.get(reverse("dashboards:manager"))

    assert (anonymous.status_code, anonymous["Location"], member.status_code) == (
        302,
        f"{reverse('account_login')}?next={reverse('dashboards:manager')}",
        404,
    )


@pytest.mark.parametrize("size", [1, 20])
def test_manager_dashboard_queries_do_not_grow_with_the_cohort(client, db, size, django_assert_num_queries):
    world = build_world(size)
    recruitment_around(world)
    with time_machine.travel(world.now, tick=False):
        client.force_login(StaffFactory())
        with django_assert_num_queries(21):
            response = client.get(reverse("dashboards:manager"))

    assert response.context["pipelines"][0].confirmed == size


def test_the_next_session_of_each_programme_is_named_without_a_query_per_programme(
    client, db, django_assert_num_queries
):
    world = build_world(1)
    for title in ("Second programme", "Third programme"):
        cohort = CohortFactory(programme__title=title, name=f"{title}'s group")
        SessionFactory(cohort=cohort, number=1, starts_at=world.now + datetime.timedelta(days=7))
    with time_machine.travel(world.now, tick=False):
        client.force_login(StaffFactory())
        with django_assert_num_queries(21):
            response = client.get(reverse("dashboards:manager"))

    assert sorted(
        (p.programme.title, p.next_session.cohort.name)
        for p in response.context["pipelines"]
        if p.next_session
    ) == [
        ("Relationships at the heart of our work", "Group 1"),
        ("Second programme", "Second programme's group"),
        ("Third programme", "Third programme's group"),
    ]


def test_a_signed_out_manager_signs_in_and_comes_back_to_the_staff_page(client, db):
    """A manager whose session timed out follows a bookmark to /staff/: sign in, then back where they were."""
    StaffFactory(email="manager@example.org")

    asked = client.get("/staff/")
    signed_in = client.post(
        asked["Location"], {"login": "manager@example.org", "password": "staff-password-for-tests"}
    )

    assert asked["Location"] == f"{reverse('account_login')}?next=/staff/"
    assert signed_in["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
