"""From the composer's proposal to offers: pins and moves on the "Propose groups" page, the "are you sure" page,
and `proposal_offer` (groups made at their weekly time, draft offers that name it, the waitlist in the proposed
order, a second press changing nothing); a composed group's time for waitlist promotion and the schedule page."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify
from applications.group_times import ConfirmedTime, cohort_confirmed_time
from applications.models import Application, Cohort
from applications.services import (
    ProposedOffers,
    TransitionRefused,
    proposal_offer,
    waitlist_promotion,
)
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    ProgrammeFactory,
    StaffFactory,
    application_in,
)

S = ApplicationStatus
YES = AvailabilityAnswer.YES
IF_NEED_BE = AvailabilityAnswer.IF_NEED_BE
NO = AvailabilityAnswer.NO


@pytest.fixture
def programme(db):
    return ProgrammeFactory(group_size=2)


@pytest.fixture
def times(programme):
    return (
        CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(14)),
        CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(10)),
    )


def applicant(programme, times, name, answers, status=S.SUBMITTED, **fields) -> Application:
    if status == S.SUBMITTED:
        application = ApplicationFactory(programme=programme, name=name, **fields)
    else:
        application = application_in(status, programme=programme, name=name, **fields)
    for candidate, answer in zip(times, answers, strict=True):
        AvailabilityFactory(application=application, candidate_time=candidate, answer=answer)
    return application


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def statuses(*applications) -> list[tuple[str, str, str | None, int | None]]:
    rows = []
    for application in applications:
        application.refresh_from_db()
        cohort = application.cohort.name if application.cohort else None
        rows.append((application.name, application.status, cohort, application.waitlist_position))
    return rows


@pytest.fixture
def people(programme, times) -> SimpleNamespace:
    """Cy waits already; Ada and Bo are best on Tuesdays, Di on Thursdays, Ed can make Tuesdays only."""
    cy = applicant(programme, times, "Cy", [YES, YES], status=S.WAITLISTED, score=1)
    ada = applicant(programme, times, "Ada", [YES, NO], score=9, organisation="Oak Trust")
    bo = applicant(programme, times, "Bo", [YES, IF_NEED_BE], score=8, organisation="Elm Trust")
    di = applicant(programme, times, "Di", [NO, YES], score=7, organisation="Ash Trust")
    ed = applicant(programme, times, "Ed", [YES, NO], score=2, organisation="Yew Trust")
    return SimpleNamespace(cy=cy, ada=ada, bo=bo, di=di, ed=ed)


# --- The service ----------------------------------------------------------------------------------------------


def test_proposal_offer_makes_groups_drafts_offers_and_waitlists_in_the_proposed_order(
    programme, times, people
):
    tuesday, thursday = times
    staff = StaffFactory()

    outcome = proposal_offer(
        programme=programme,
        proposed=ProposedOffers(
            groups=[(tuesday, [people.ada.pk, people.bo.pk]), (thursday, [people.di.pk])],
            waitlist=[people.ed.pk, people.cy.pk],
        ),
        by=staff,
    )

    assert [(c.number, c.name, c.size, c.offered_time) for c in outcome.cohorts] == [
        (1, "Group 1", 2, tuesday),
        (2, "Group 2", 2, thursday),
    ]
    assert [c.first_session_week for c in outcome.cohorts] == [programme.first_session_week] * 2
    assert statuses(people.ada, people.bo, people.di, people.ed, people.cy) == [
        ("Ada", S.OFFERED, "Group 1", None),
        ("Bo", S.OFFERED, "Group 1", None),
        ("Di", S.OFFERED, "Group 2", None),
        ("Ed", S.WAITLISTED, None, 1),
        ("Cy", S.WAITLISTED, None, 2),
    ]
    assert [a.name for a in outcome.offered] == ["Ada", "Bo", "Di"]
    assert [(a.name, a.waitlist_position) for a in outcome.waitlisted] == [("Ed", 1), ("Cy", 2)]
    emails = OutgoingEmail.objects.order_by("to", "kind")
    assert sorted((e.to, e.kind, e.status) for e in emails) == sorted(
        [
            (people.ada.email, EmailKind.DECISION_OFFERED, EmailStatus.DRAFT),
            (people.bo.email, EmailKind.DECISION_OFFERED, EmailStatus.DRAFT),
            (people.di.email, EmailKind.DECISION_OFFERED, EmailStatus.DRAFT),
            (people.ed.email, EmailKind.DECISION_WAITLISTED, EmailStatus.DRAFT),
        ]
    )
    ada_offer = OutgoingEmail.objects.get(to=people.ada.email).body_text
    di_offer = OutgoingEmail.objects.get(to=people.di.email).body_text
    assert "Your group meets on Tuesdays at 14:00, UK time." in ada_offer
    assert "Your group meets on Thursdays at 10:00, UK time." in di_offer


def test_two_groups_proposed_at_the_same_time_are_both_made_at_it(programme, times, people):
    tuesday, _ = times

    outcome = proposal_offer(
        programme=programme,
        proposed=ProposedOffers(
            groups=[(tuesday, [people.ada.pk, people.ed.pk]), (tuesday, [people.bo.pk, people.cy.pk])],
            waitlist=[people.di.pk],
        ),
    )

    assert [(c.name, c.offered_time, c.first_session_week) for c in outcome.cohorts] == [
        ("Group 1", tuesday, programme.first_session_week),
        ("Group 2", tuesday, programme.first_session_week),
    ]
    assert statuses(people.ada, people.ed, people.bo, people.cy, people.di) == [
        ("Ada", S.OFFERED, "Group 1", None),
        ("Ed", S.OFFERED, "Group 1", None),
        ("Bo", S.OFFERED, "Group 2", None),
        ("Cy", S.OFFERED, "Group 2", None),
        ("Di", S.WAITLISTED, None, 1),
    ]
    assert [
        "Your group meets on Tuesdays at 14:00, UK time."
        in OutgoingEmail.objects.get(to=person.email).body_text
        for person in (people.ada, people.ed, people.bo, people.cy)
    ] == [True, True, True, True]


def test_a_second_press_changes_nothing(programme, times, people):
    tuesday, thursday = times
    proposed = ProposedOffers(
        groups=[(tuesday, [people.ada.pk, people.bo.pk]), (thursday, [people.di.pk])],
        waitlist=[people.ed.pk, people.cy.pk],
    )
    proposal_offer(programme=programme, proposed=proposed)

    with pytest.raises(TransitionRefused) as refused:
        proposal_offer(programme=programme, proposed=proposed)

    assert refused.value.reason == (
        "Nothing was changed: 3 people in this proposal have been offered a place, withdrawn or declined since "
        "it was made. Propose the groups again."
    )
    assert Cohort.objects.filter(programme=programme).count() == 2
    assert OutgoingEmail.objects.count() == 4


def test_an_empty_group_is_used_first_and_new_groups_are_numbered_after_the_last(programme, times, people):
    tuesday, thursday = times
    empty = CohortFactory(programme=programme, number=1, name="Group 1", size=2)
    full = CohortFactory(programme=programme, number=2, name="Group 2", size=2)
    application_in(S.CONFIRMED, cohort=full)

    outcome = proposal_offer(
        programme=programme,
        proposed=ProposedOffers(
            groups=[(tuesday, [people.ada.pk, people.bo.pk]), (thursday, [people.di.pk])],
            waitlist=[people.ed.pk, people.cy.pk],
        ),
    )

    assert [(c.pk == empty.pk, c.name, c.offered_time) for c in outcome.cohorts] == [
        (True, "Group 1", tuesday),
        (False, "Group 3", thursday),
    ]
    assert outcome.cohorts[1].first_session_week == empty.first_session_week


def test_someone_who_cannot_make_their_groups_time_is_refused(programme, times, people):
    tuesday, _ = times

    with pytest.raises(TransitionRefused) as refused:
        proposal_offer(
            programme=programme, proposed=ProposedOffers(groups=[(tuesday, [people.di.pk])], waitlist=[])
        )

    assert refused.value.reason == (
        "Someone in the group at Tuesday 14:00–16:00 cannot make that time. Propose the groups again."
    )
    assert Cohort.objects.filter(programme=programme).count() == 0


# --- A composed group's time --------------------------------------------------------------------------------


def test_a_composed_groups_time_is_its_weekly_time_for_waitlist_promotion(programme, times, people):
    tuesday, _thursday = times
    (group,) = proposal_offer(
        programme=programme,
        proposed=ProposedOffers(groups=[(tuesday, [people.ada.pk])], waitlist=[people.di.pk, people.cy.pk]),
    ).cohorts

    promotion = waitlist_promotion(cohort=group, notify=Notify.NONE)

    assert cohort_confirmed_time(group) == ConfirmedTime(
        weekday=1, start_time=datetime.time(14), candidate_time_id=tuesday.pk
    )
    assert (promotion.offered, promotion.skipped) == (people.cy, [people.di])


def test_the_schedule_page_starts_from_the_time_the_places_were_offered_at(client, programme, times, people):
    _, thursday = times
    (group,) = proposal_offer(
        programme=programme, proposed=ProposedOffers(groups=[(thursday, [people.di.pk])], waitlist=[])
    ).cohorts
    client.force_login(StaffFactory())

    response = client.get(reverse("sessions:cohort_schedule", args=[group.pk]))

    assert response.context["form"].initial == {"candidate_time": thursday.pk}
    assert (
        "This group’s places were offered for Thursday 10:00–12:00, UK time: it is chosen below."
        in page_text(response)
    )


# --- The pages ------------------------------------------------------------------------------------------------


def test_a_pin_moves_a_person_and_the_proposal_is_made_around_it(client, programme, times, people):
    tuesday, thursday = times
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose", args=[programme.slug])
    rules = {"groups": "2", "max_per_organisation": "1", "front_line_minimum": "0"}

    before = client.get(url, rules)
    pinned = client.get(url, {**rules, f"pin-{people.bo.pk}": str(thursday.pk), f"pin-{people.ada.pk}": ""})

    def members(response):
        return [(g.time, [m.application.name for m in g.members]) for g in response.context["groups"]]

    assert members(before) == [(tuesday, ["Ada", "Bo"]), (thursday, ["Di", "Cy"])]
    assert members(pinned) == [(tuesday, ["Ada", "Ed"]), (thursday, ["Di", "Bo"])]
    bo_row = next(m for g in pinned.context["groups"] for m in g.members if m.application == people.bo)
    assert (bo_row.pinned, [(c.label, c.selected) for c in bo_row.choices]) == (
        True,
        [
            ("Pin to group 1", False),
            ("Pin to group 2", True),
        ],
    )
    assert pinned.context["pins"] == 1
    assert "1 person pinned to a group by you." in page_text(pinned)


def test_a_pin_the_composer_cannot_keep_is_explained(client, programme, times, people):
    tuesday, thursday = times
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose", args=[programme.slug])

    response = client.get(
        url,
        {
            "groups": "1",
            "max_per_organisation": "1",
            "front_line_minimum": "0",
            f"pin-{people.ada.pk}": str(tuesday.pk),
            f"pin-{people.di.pk}": str(thursday.pk),
        },
    )

    assert response.context["pin_error"] == "People are pinned to 2 times, but only 1 group is wanted."
    assert "proposal" not in response.context


def test_turning_the_proposal_into_offers_asks_first_then_drafts_them(client, programme, times, people):
    tuesday, thursday = times
    client.force_login(StaffFactory())
    propose = client.get(
        reverse("applications:selection_propose", args=[programme.slug]),
        {"groups": "2", "max_per_organisation": "1", "front_line_minimum": "0"},
    )

    sure = client.get(propose.context["offers_url"])
    assert Cohort.objects.count() == 0
    assert sure.context["what_happens"] == [
        "Group 1 is made, with the weekly time Tuesdays at 14:00 (UK time), and 2 people are offered a place in it.",
        "Group 2 is made, with the weekly time Thursdays at 10:00 (UK time), and 2 people are offered a place in it.",
        "1 person waits, in the proposed order (1 of them new to the waitlist).",
        "The emails are saved as drafts: nothing is sent until you send them from the decision emails page. "
        "Each offer's days to reply start when its email is sent.",
    ]
    assert sure.context["emailed"] == [
        "When the drafts are sent: the 4 people offered a place, each told their group's day and time.",
        "The 1 person joining the waitlist.",
    ]
    assert "Make the groups and draft 4 offers" in page_text(sure)

    form = {
        "group": [
            f"{tuesday.pk}:{people.ada.pk},{people.bo.pk}",
            f"{thursday.pk}:{people.di.pk},{people.cy.pk}",
        ],
        "waitlist": str(people.ed.pk),
        "back": "groups=2",
    }
    url = reverse("applications:selection_propose_offers", args=[programme.slug])
    first = client.post(url, form, follow=True)
    second = client.post(url, form, follow=True)

    assert first.redirect_chain == [(reverse("applications:selection_emails", args=[programme.slug]), 302)]
    assert [str(m) for m in first.context["messages"]] == [
        "Group 1, Group 2: 4 places offered, 1 waiting. The emails are drafts: read them here, then send them."
    ]
    assert second.redirect_chain == [(reverse("applications:selection_emails", args=[programme.slug]), 302)]
    assert [str(m) for m in second.context["messages"]] == [
        "These groups and offers were made already (the button was pressed twice?): nothing more was changed. "
        "Their emails are below."
    ]
    assert Cohort.objects.filter(programme=programme).count() == 2
    assert statuses(people.ada, people.bo, people.di, people.cy, people.ed) == [
        ("Ada", S.OFFERED, "Group 1", None),
        ("Bo", S.OFFERED, "Group 1", None),
        ("Di", S.OFFERED, "Group 2", None),
        ("Cy", S.OFFERED, "Group 2", None),
        ("Ed", S.WAITLISTED, None, 1),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_the_are_you_sure_page_queries_do_not_grow_with_the_groups(
    db, client, django_assert_num_queries, count
):
    programme = ProgrammeFactory(group_size=2)
    groups = []
    for hour in range(count):
        candidate = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(9 + hour))
        members = [ApplicationFactory(programme=programme) for _ in range(2)]
        for member in members:
            AvailabilityFactory(application=member, candidate_time=candidate, answer=YES)
        groups.append(f"{candidate.pk}:{','.join(str(m.pk) for m in members)}")
    CohortFactory(programme=programme, number=1)  # empty: used for the first group
    waiting = application_in(S.WAITLISTED, programme=programme)
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose_offers", args=[programme.slug])

    # The session and user, the programme, its times, the people's statuses, their answers, the people, the empty
    # groups, the first empty group's schedule, the groups' numbers.
    with django_assert_num_queries(11):
        response = client.get(url, {"group": groups, "waitlist": str(waiting.pk)})

    assert [(g.name, g.reused, len(g.people)) for g in response.context["groups"]] == [
        ("Group 1", True, 2),
        *((f"Group {n}", False, 2) for n in range(2, count + 1)),
    ]


def test_a_proposal_out_of_date_for_another_reason_goes_back_to_the_proposal(
    client, programme, times, people
):
    tuesday, _ = times
    Application.objects.filter(pk=people.bo.pk).update(status=S.WITHDRAWN)
    client.force_login(StaffFactory())
    url = reverse("applications:selection_propose_offers", args=[programme.slug])

    response = client.post(
        url,
        {"group": [f"{tuesday.pk}:{people.ada.pk},{people.bo.pk}"], "waitlist": "", "back": "groups=1"},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("applications:selection_propose", args=[programme.slug]) + "?groups=1", 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was changed: 1 person in this proposal has been offered a place, withdrawn or declined since it "
        "was made. Propose the groups again."
    ]
    assert Cohort.objects.filter(programme=programme).count() == 0
