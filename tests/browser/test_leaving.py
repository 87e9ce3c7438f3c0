"""A member leaves after coffee round 1 is published, in Chromium: asked once, then their partner is re-paired
with one email, nobody is introduced to them again, and the waitlisted person is offered the place."""

import datetime

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus, AvailabilityAnswer, WaitlistPromotion
from applications.models import Application
from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from pairings.models import PairMember, Round
from pairings.services import pairs_plan, round_publish
from tests.browser.journey import Browser
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    ProgrammeFactory,
    SessionFactory,
    StaffFactory,
    application_in,
)

NAMES = ("Ada", "Ben", "Cal", "Dee", "Eve", "Fay")


def group_running_round_one():
    """Session 1 ended an hour ago, so round 1 is open; session 2 (the cut-off) is six days away."""
    programme = ProgrammeFactory(
        title="Relationships at the heart of our work", waitlist_promotion=WaitlistPromotion.AUTOMATIC
    )
    cohort = CohortFactory(programme=programme, name="Group 1")
    first = timezone.now() - datetime.timedelta(hours=3)
    for number in range(1, 7):
        starts = first + datetime.timedelta(weeks=number - 1)
        SessionFactory(
            cohort=cohort, number=number, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
        )
    tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(10))
    members = {}
    for name in NAMES:
        members[name] = MemberFactory(
            cohort=cohort,
            name=f"{name} Green",
            organisation=f"{name} Trust",
            email=f"{name.lower()}@example.org",
        )
        AvailabilityFactory(application=members[name], candidate_time=tuesday, answer=AvailabilityAnswer.YES)
    waiting = application_in(
        ApplicationStatus.WAITLISTED, programme=programme, name="Wes Waiting", email="wes@example.org"
    )
    pairs_plan(cohort=cohort)
    round_one = round_publish(round_=Round.objects.get(cohort=cohort, number=1))
    reminders_dispatch(now=timezone.now())  # round 1's introductions go
    return cohort, members, waiting, round_one


def partner_in(round_, application) -> Application:
    pair = PairMember.objects.get(round=round_, member=application).pair
    return next(m.member for m in pair.memberships.select_related("member") if m.member_id != application.pk)


@pytest.mark.browser
def test_a_member_leaves_after_round_one_is_published(live_server, page, screenshot_dir, transactional_db):
    cohort, members, waiting, round_one = group_running_round_one()
    ada = members["Ada"]
    partner = partner_in(round_one, ada)
    assert OutgoingEmail.objects.filter(kind=EmailKind.COFFEE_INTRODUCTION).count() == 6
    before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first()
    browser = Browser(page, live_server, screenshot_dir)
    browser.as_person(ada.user)

    browser.go("/me/profile/", shot="profile")
    page.get_by_role("link", name="leave your group").click()
    page.wait_for_load_state()
    browser.shot("leave-confirm")
    assert browser.h1() == "Leave your group"
    emailed = page.locator(".are-you-sure-emailed li").all_inner_texts()
    assert emailed == [
        "You (ada@example.org): a confirmation, with a calendar file that removes the 5 sessions still to come",
        f"{partner.name} ({partner.email}): told and introduced to their new coffee pair",
        "The coffee pair they join: told who joins them",
        "The next person on the waitlist: an offer of the place",
    ]
    page.get_by_label("Why are you leaving? (optional)").fill("A new job with longer hours.")
    page.get_by_role("button", name="Yes, leave the group").click()
    page.wait_for_load_state()
    browser.shot("after-leaving")

    assert browser.messages() == [
        "You have left Group 1. We have emailed you a confirmation. Thank you for taking part."
    ]
    ada.refresh_from_db()
    assert ada.status == ApplicationStatus.WITHDRAWN
    waiting.refresh_from_db()
    assert (waiting.status, waiting.cohort_id) == (ApplicationStatus.OFFERED, cohort.pk)
    new_pair = next(g for g in PairMember.objects.filter(round=round_one, member=partner))
    joined = sorted(
        m.member.email
        for m in new_pair.pair.memberships.select_related("member")
        if m.member_id != partner.pk
    )
    assert len(joined) == 2
    sent = sorted(OutgoingEmail.objects.filter(pk__gt=before).values_list("to", "kind"))
    assert sent == sorted(
        [
            ("ada@example.org", EmailKind.MEMBER_LEFT),
            (partner.email, EmailKind.COFFEE_CHANGE),
            *[(email, EmailKind.COFFEE_CHANGE) for email in joined],
            ("wes@example.org", EmailKind.DECISION_OFFERED),
        ]
    )

    # Later rounds: nobody is introduced to Ada, and Ada to nobody.
    reminders_dispatch(now=timezone.now())
    round_two = round_publish(round_=Round.objects.get(cohort=cohort, number=2))
    reminders_dispatch(now=round_two.opens_at)
    later = OutgoingEmail.objects.filter(pk__gt=before, kind=EmailKind.COFFEE_INTRODUCTION)
    assert later.count() == 5
    assert [e.to for e in later if "Ada" in e.subject or "Ada" in e.body_text or e.to == ada.email] == []
    assert browser.console_errors == []


@pytest.mark.browser
def test_staff_withdraw_a_member_from_the_group_page(live_server, page, screenshot_dir, transactional_db):
    cohort, members, _, _ = group_running_round_one()
    browser = Browser(page, live_server, screenshot_dir)
    browser.as_person(StaffFactory())

    browser.go(f"/selection/groups/{cohort.pk}/")
    page.get_by_role("link", name="Withdraw Ben Green").click()
    page.wait_for_load_state()
    browser.shot("withdraw-confirm")
    assert browser.h1() == "Withdraw Ben Green from Group 1"
    page.get_by_label("Why? (optional)").fill("Asked by phone.")
    page.get_by_role("button", name="Yes, withdraw Ben Green").click()
    page.wait_for_load_state()

    assert browser.messages() == ["Ben Green is withdrawn from Group 1."]
    assert page.get_by_role("link", name="Withdraw Ben Green").count() == 0
    members["Ben"].refresh_from_db()
    assert members["Ben"].status == ApplicationStatus.WITHDRAWN
    assert browser.console_errors == []
