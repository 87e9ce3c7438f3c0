"""Promotion from the waitlist offers the place to the first person who said they can come (yes or if need be) at
the group's confirmed weekly time, passes over those who cannot, and tells the manager."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify, WaitlistPromotion
from applications.group_times import ConfirmedTime, cohort_confirmed_time
from applications.models import ApplicationStatusChange
from applications.selectors import waitlist, waitlist_fit
from applications.services import application_set_status, waitlist_promotion
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    CohortScheduleFactory,
    MemberFactory,
    StaffFactory,
    application_in,
)

S = ApplicationStatus
A = AvailabilityAnswer
TUESDAY_2PM = (1, datetime.time(14))
THURSDAY_10AM = (3, datetime.time(10))


def group_meeting_on_tuesdays(promotion=WaitlistPromotion.PROPOSED, size=3, confirmed=True):
    cohort = CohortFactory(name="Group 1", size=size, programme__waitlist_promotion=promotion)
    tuesday, thursday = (
        CandidateTimeFactory(programme=cohort.programme, weekday=day, start_time=start)
        for day, start in (TUESDAY_2PM, THURSDAY_10AM)
    )
    if confirmed:
        CohortScheduleFactory(cohort=cohort, candidate_time=tuesday, weekday=1, start_time=datetime.time(14))
    return cohort, tuesday, thursday


def waiting(cohort, tuesday, thursday, *people):
    """People on the waitlist in order, each with their answers for Tuesday and Thursday."""
    made = []
    for name, on_tuesday, on_thursday in people:
        application = application_in(S.WAITLISTED, programme=cohort.programme, name=name)
        AvailabilityFactory(application=application, candidate_time=tuesday, answer=on_tuesday)
        AvailabilityFactory(application=application, candidate_time=thursday, answer=on_thursday)
        made.append(application)
    return made


def test_the_schedule_tells_selection_the_groups_confirmed_time(db):
    cohort, tuesday, _ = group_meeting_on_tuesdays()
    unscheduled = CohortFactory(programme=cohort.programme, number=2)

    assert cohort_confirmed_time(cohort) == ConfirmedTime(
        weekday=1, start_time=datetime.time(14), candidate_time_id=tuesday.pk
    )
    assert cohort_confirmed_time(cohort).label == "Tuesdays at 14:00"
    assert cohort_confirmed_time(unscheduled) is None


def test_promotion_passes_over_those_who_cannot_come_at_the_groups_time(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays()
    eve, fay, gus = waiting(
        cohort,
        tuesday,
        thursday,
        ("Eve Adams", A.NO, A.YES),
        ("Fay Brown", A.IF_NEED_BE, A.NO),
        ("Gus Clark", A.YES, A.YES),
    )

    promotion = waitlist_promotion(cohort=cohort, notify=Notify.NONE)

    assert (promotion.offered, promotion.skipped) == (fay, [eve])
    assert promotion.skipped_text == (
        "Skipped Eve Adams, who cannot come on Tuesdays at 14:00, the group's time."
    )
    assert list(waitlist(cohort.programme_id)) == [eve, gus]
    assert ApplicationStatusChange.objects.get(application=fay, to_status=S.OFFERED).note == (
        "Offered from the waitlist. Skipped Eve Adams, who cannot come on Tuesdays at 14:00, the group's time."
    )


def test_promotion_without_a_confirmed_time_takes_the_first_in_line(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(confirmed=False)
    eve, _ = waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES), ("Fay Brown", A.YES, A.NO))

    promotion = waitlist_promotion(cohort=cohort, notify=Notify.NONE)

    assert (promotion.offered, promotion.skipped, promotion.skipped_text) == (eve, [], "")


def test_nobody_is_offered_when_nobody_waiting_can_come(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays()
    eve, fay = waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES), ("Fay Brown", A.NO, A.NO))

    promotion = waitlist_promotion(cohort=cohort, notify=Notify.NONE)

    assert (promotion.offered, promotion.skipped) == (None, [eve, fay])
    assert list(waitlist(cohort.programme_id)) == [eve, fay]


def test_an_automatic_promotion_with_nobody_able_tells_the_manager(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(WaitlistPromotion.AUTOMATIC, size=1)
    leaver = MemberFactory(cohort=cohort, name="Ann Lee", organisation="Age UK")
    (eve,) = waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES))

    application_set_status(application=leaver, status=S.WITHDRAWN, notify=Notify.NONE)

    eve.refresh_from_db()
    email = OutgoingEmail.objects.get(kind=EmailKind.PLACE_FREED)
    assert eve.status == S.WAITLISTED
    assert (email.to, email.subject) == (
        cohort.programme.contact_email,
        "A place is free in Group 1: nobody on the waitlist can come at the group's time",
    )
    assert email.body_text.splitlines()[2] == (
        "The programme offers freed places automatically, but nobody on the waitlist said they can come on "
        "Tuesdays at 14:00, the group's time, so nobody has been offered the place. Decide what to do with it here:"
    )


def test_an_automatic_promotion_offers_the_first_who_can_come_and_tells_the_manager_who_was_passed_over(
    db, django_capture_on_commit_callbacks
):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(WaitlistPromotion.AUTOMATIC, size=1)
    leaver = MemberFactory(cohort=cohort, name="Ann Lee")
    _, fay = waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES), ("Fay Brown", A.YES, A.NO))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(application=leaver, status=S.WITHDRAWN, notify=Notify.NONE)

    fay.refresh_from_db()
    assert (fay.status, fay.cohort) == (S.OFFERED, cohort)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [fay.email],
            f"[Action required] Confirm your place by {fay.offer_expires_at:%A} {fay.offer_expires_at.day} {fay.offer_expires_at:%B}",
        ),
        (
            [cohort.programme.contact_email],
            "Fay Brown was offered the place free in Group 1; 1 person passed over",
        ),
    ]
    assert mail.outbox[1].body.splitlines()[2] == (
        "The programme offers freed places automatically: it has been offered to Fay Brown, the first on the "
        "waitlist who said they can come on Tuesdays at 14:00, the group's time. Passed over, because they cannot "
        "come then: Eve Adams. If you would rather offer them a place anyway, see the group here:"
    )
    assert ApplicationStatusChange.objects.get(application=fay, to_status=S.OFFERED).note == (
        "Offered automatically: Ann Lee's place came free (withdrawn). "
        "Skipped Eve Adams, who cannot come on Tuesdays at 14:00, the group's time."
    )


def test_a_proposed_promotion_names_the_next_who_can_come(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(WaitlistPromotion.PROPOSED, size=1)
    leaver = MemberFactory(cohort=cohort, name="Ann Lee", organisation="Age UK")
    waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES), ("Fay Brown", A.IF_NEED_BE, A.NO))

    application_set_status(application=leaver, status=S.WITHDRAWN, notify=Notify.NONE)

    email = OutgoingEmail.objects.get(kind=EmailKind.PLACE_FREED)
    assert email.subject == "A place is free in Group 1: offer it to the next person on the waitlist?"
    assert email.body_text.splitlines()[2] == (
        "The programme is set to propose the next person on the waitlist rather than offer the place "
        "automatically. The next person who can come on Tuesdays at 14:00, the group's time, is Fay Brown. "
        "Review the waitlist and offer the place here:"
    )


def test_promote_says_who_was_passed_over(client, db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays()
    waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES), ("Fay Brown", A.YES, A.NO))
    client.force_login(StaffFactory())

    response = client.post(
        reverse("applications:selection_promote", args=[cohort.pk]), {"notify": Notify.SEND}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Offered a place in Group 1 to Fay Brown.",
        "Skipped Eve Adams, who cannot come on Tuesdays at 14:00, the group's time.",
    ]


def test_promote_says_when_nobody_can_come(client, db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays()
    waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES))
    client.force_login(StaffFactory())

    response = client.post(
        reverse("applications:selection_promote", args=[cohort.pk]), {"notify": Notify.SEND}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Nobody offered: nobody on the waitlist said they can come on Tuesdays at 14:00, the group's time."
    ]


@pytest.mark.parametrize("people", [2, 20])
def test_the_group_page_proposes_the_first_who_can_come(client, db, django_assert_num_queries, people):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(size=30)
    waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES))
    waiting(cohort, tuesday, thursday, *((f"Person {n}", A.YES, A.NO) for n in range(people - 1)))
    client.force_login(StaffFactory())
    page_url = reverse("applications:selection_cohort", args=[cohort.pk])
    client.get(page_url)  # the process's first content-type lookup is cached, not the page's

    with django_assert_num_queries(11):  # as test_selection_pages counts them
        response = client.get(page_url)

    page = " ".join(response.content.decode().split())
    fit = response.context["overview"].waitlist_fit
    assert ([a.name for a in fit.passed_over], fit.can_come[0].name) == (["Eve Adams"], "Person 0")
    assert "next on the waitlist who can come on Tuesdays at 14:00 is Person 0" in page
    assert "Passed over: Eve Adams, who cannot come on Tuesdays at 14:00, the group's time." in page


def test_the_group_page_says_when_nobody_waiting_can_come(client, db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays()
    waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.YES))
    client.force_login(StaffFactory())

    page = " ".join(
        client.get(reverse("applications:selection_cohort", args=[cohort.pk])).content.decode().split()
    )

    assert "3 places free, but nobody on the waitlist can come on Tuesdays at 14:00, the group's time" in page
    assert "Offer Eve Adams a place" not in page


def test_waitlist_fit_without_a_candidate_time_for_the_schedule_takes_everyone(db):
    cohort, tuesday, thursday = group_meeting_on_tuesdays(confirmed=False)
    CohortScheduleFactory(cohort=cohort, candidate_time=None, weekday=4, start_time=datetime.time(9))
    people = waiting(cohort, tuesday, thursday, ("Eve Adams", A.NO, A.NO))

    fit = waitlist_fit(cohort, people)

    assert (fit.time, fit.can_come, fit.cannot_come) == (None, people, [])
