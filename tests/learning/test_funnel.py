"""Who is missing at every step: the funnel's counts, who is missing, and nudges that stop on completion."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import ApplicationStatusChange
from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_deliver
from learning import funnel, services
from learning.enums import SurveyKind
from learning.models import Survey
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    ExpressionOfInterestFactory,
    MemberFactory,
    SessionFactory,
    StaffFactory,
)


@pytest.fixture
def world(cohort):
    """Interest only: Ivy. Interest and applied: Abe. Applied without interest: Bea. Offered, then declined: Dee.
    Offered, waiting: Oli. Members: Mo (no session), Max (2 sessions), Meg (4 sessions, answered the evaluation)."""
    programme = cohort.programme
    sessions = [SessionFactory(cohort=cohort, number=n) for n in range(1, 7)]
    ExpressionOfInterestFactory(programme=programme, name="Ivy Interest", email="ivy@example.org")
    ExpressionOfInterestFactory(programme=programme, name="Abe Applied", email="ABE@example.org")
    abe = ApplicationFactory(programme=programme, name="Abe Applied", email="abe@example.org")
    bea = ApplicationFactory(programme=programme, name="Bea Direct", email="bea@example.org")
    dee = ApplicationFactory(
        programme=programme, name="Dee Declined", email="dee@example.org", status=ApplicationStatus.DECLINED
    )
    ApplicationStatusChange.objects.create(
        application=dee, from_status=ApplicationStatus.SUBMITTED, to_status=ApplicationStatus.OFFERED
    )
    oli = ApplicationFactory(
        programme=programme,
        cohort=cohort,
        name="Oli Offered",
        email="oli@example.org",
        status=ApplicationStatus.OFFERED,
        offer_expires_at=timezone.now() + timedelta(days=7),
    )
    mo = MemberFactory(cohort=cohort, name="Mo None", email="mo@example.org")
    max_ = MemberFactory(cohort=cohort, name="Max Two", email="max@example.org")
    meg = MemberFactory(cohort=cohort, name="Meg Four", email="meg@example.org")
    for session in sessions[:2]:
        AttendanceFactory(session=session, member=max_)
    for session in sessions[:4]:
        AttendanceFactory(session=session, member=meg)
    [_, evaluation] = services.surveys_ensure_defaults(programme=programme)
    services.survey_response_save(survey=evaluation, member=meg, answers={})
    return {
        "abe": abe,
        "bea": bea,
        "dee": dee,
        "oli": oli,
        "mo": mo,
        "max": max_,
        "meg": meg,
        "sessions": sessions,
    }


def _names(people):
    return [person.name for person in people]


def test_each_step_counts_those_who_took_it_and_lists_who_is_missing(cohort, world):
    result = funnel.programme_funnel(cohort.programme)

    assert [(row.step.key, len(row.done), row.conversion) for row in result.rows] == [
        ("interest", 8, "–"),  # Bea applied without registering interest: she came through the step
        ("applied", 7, "88%"),
        ("offered", 5, "71%"),
        ("confirmed", 3, "60%"),
        ("attended_1", 2, "67%"),
        ("attended_4", 1, "50%"),
        ("evaluation", 1, "100%"),
        ("follow_up", 0, "0%"),
    ]
    missing = {row.step.key: _names(row.missing) for row in result.rows}
    assert missing == {
        "interest": [],
        "applied": ["Ivy Interest"],
        "offered": ["Abe Applied", "Bea Direct"],
        "confirmed": ["Dee Declined", "Oli Offered"],
        "attended_1": ["Mo None"],
        "attended_4": ["Max Two"],
        "evaluation": [],
        "follow_up": ["Meg Four"],
    }
    nudgeable = {row.step.key: _names(row.nudgeable) for row in result.rows if row.nudgeable}
    # Dee declined (nothing to nudge her to); there is no follow-up survey yet.
    assert nudgeable == {
        "applied": ["Ivy Interest"],
        "confirmed": ["Oli Offered"],
        "attended_1": ["Mo None"],
        "attended_4": ["Max Two"],
    }


def test_a_groups_funnel_counts_its_own_people(cohort, world):
    other = CohortFactory(programme=cohort.programme, name="Group 2")
    MemberFactory(cohort=other, name="Zed Elsewhere")

    result = funnel.programme_funnel(cohort.programme, cohort=other)

    assert [len(row.done) for row in result.rows] == [1, 1, 1, 1, 0, 0, 0, 0]


def _nudge(programme, step, *applications, note=""):
    result = funnel.programme_funnel(programme)
    row = next(row for row in result.rows if row.step.key == step)
    seen = {p.key: p.nudges[step] for p in row.missing if p.application in applications}
    return funnel.funnel_nudge(programme=programme, step=step, seen=seen, note=note)


def test_a_nudge_goes_only_to_those_missing_the_step_and_at_most_three_times(
    cohort, world, django_capture_on_commit_callbacks
):
    programme = cohort.programme
    counts = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            counts.append(_nudge(programme, "attended_1", world["mo"], world["max"], note="We miss you!"))

    assert counts == [1, 1, 1, 0]
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("mo@example.org", f"{programme.title}: we would love to see you at a session")
    ] * 3
    assert "We miss you!" in mail.outbox[0].body
    assert "Your sessions: http" in mail.outbox[0].body


def test_a_double_click_nudges_once(cohort, world):
    programme = cohort.programme
    seen = {f"a{world['oli'].pk}": 0}

    first = funnel.funnel_nudge(programme=programme, step="confirmed", seen=seen)
    second = funnel.funnel_nudge(programme=programme, step="confirmed", seen=seen)

    assert (first, second) == (1, 0)
    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == [
        f"learning-nudge:confirmed:a{world['oli'].pk}:1"
    ]


def test_nudges_stop_once_the_step_is_done(cohort, world):
    programme = cohort.programme
    mo = world["mo"]
    session = world["sessions"][4]

    with time_machine.travel(session.starts_at - timedelta(days=2), tick=False):
        first = _nudge(programme, "attended_1", mo)
    AttendanceFactory(session=session, member=mo)
    with time_machine.travel(session.ends_at + timedelta(days=1), tick=False):
        after = _nudge(programme, "attended_1", mo)
        row = funnel.programme_funnel(programme).rows[4]

    assert (first, after) == (1, 0)
    assert _names(row.missing) == []


def test_a_queued_nudge_is_not_sent_when_the_step_is_done_before_it_goes(cohort, world):
    programme = cohort.programme
    max_ = world["max"]
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    _nudge(programme, "attended_4", max_)
    waiting = OutgoingEmail.objects.get(kind=EmailKind.LEARNING_NUDGE)
    for session in world["sessions"][2:4]:
        AttendanceFactory(session=session, member=max_)

    assert email_deliver(email_id=waiting.pk) == EmailStatus.SKIPPED
    waiting.refresh_from_db()
    assert (waiting.status, waiting.skip_reason, mail.outbox) == (
        EmailStatus.SKIPPED,
        SkipReason.OUT_OF_DATE,
        [],
    )
    assert evaluation.responses.count() == 1  # Meg's, untouched


def test_a_queued_nudge_still_wanted_is_sent(cohort, world):
    interest_key = next(p.key for p in funnel.programme_funnel(cohort.programme).rows[1].missing)
    funnel.funnel_nudge(programme=cohort.programme, step="applied", seen={interest_key: 0})
    waiting = OutgoingEmail.objects.get(kind=EmailKind.LEARNING_NUDGE)

    assert email_deliver(email_id=waiting.pk) == EmailStatus.SENT
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("ivy@example.org", f"{cohort.programme.title}: there is still time to apply")
    ]


# --- The page --------------------------------------------------------------------------------------------


def test_the_page_nudges_the_ticked_people(cohort, world, client):
    client.force_login(StaffFactory())
    url = reverse("learning:funnel", kwargs={"slug": cohort.programme.slug})

    page = client.get(url)
    response = client.post(
        url, {"step": "confirmed", "confirmed-person": [f"a{world['oli'].pk}:0"], "confirmed-note": ""}
    )

    assert [row.step.key for row, form in page.context["rows"] if form is not None] == [
        "applied",
        "confirmed",
        "attended_1",
        "attended_4",
    ]
    assert response.headers["Location"] == url
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["oli@example.org"]


def test_nudging_nobody_says_so_next_to_the_list(cohort, world, client):
    client.force_login(StaffFactory())

    response = client.post(
        reverse("learning:funnel", kwargs={"slug": cohort.programme.slug}),
        {"step": "confirmed", "confirmed-note": "Please answer."},
    )

    form = response.context["rows"][3][1]
    assert form.errors == {"person": ["Tick the people to nudge."]}
    assert form["note"].value() == "Please answer."
    assert list(OutgoingEmail.objects.all()) == []


def test_a_group_of_another_programme_is_not_found(cohort, client):
    client.force_login(StaffFactory())
    stranger = CohortFactory()

    response = client.get(
        reverse("learning:funnel", kwargs={"slug": cohort.programme.slug}), {"group": stranger.pk}
    )

    assert response.status_code == 404


@pytest.mark.parametrize("members", [1, 3])
def test_funnel_page_queries(cohort, client, django_assert_num_queries, members):
    for _ in range(members):
        MemberFactory(cohort=cohort)
        ExpressionOfInterestFactory(programme=cohort.programme)
    client.force_login(StaffFactory())

    with django_assert_num_queries(9):
        client.get(reverse("learning:funnel", kwargs={"slug": cohort.programme.slug}))


def test_the_manager_dashboard_shows_the_same_conversion_rates(cohort, world, client):
    client.force_login(StaffFactory())

    response = client.get(reverse("dashboards:manager"))

    [pipeline] = [p for p in response.context["pipelines"] if p.programme == cohort.programme]
    assert [(row.step.key, row.conversion) for row in pipeline.funnel] == [
        (row.step.key, row.conversion) for row in funnel.programme_funnel(cohort.programme).rows
    ]
    assert (
        "applied 88% · offered a place 71% · confirmed their place 60% · came to a session 67% · "
        "came to four sessions or more 50% · answered the end-of-programme evaluation 100% · "
        "answered the follow-up 0%" in " ".join(response.content.decode().split())
    )
