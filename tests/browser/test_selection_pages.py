import datetime
import re

import pytest
from django.conf import settings
from django.test import Client

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify, RoleType
from applications.links import application_token, offer_token
from applications.models import Application
from applications.services import application_set_status, current_offer
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    CohortScheduleFactory,
    MemberFactory,
    StaffFactory,
    application_in,
)

S = ApplicationStatus


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
def test_cohort_selection_page_and_applicant_confirmation(
    live_server, page, screenshot_dir, transactional_db
):
    cohort = CohortFactory(name="Group 1", size=20)
    times = [
        CandidateTimeFactory(programme=cohort.programme, weekday=day, start_time=datetime.time(hour))
        for day, hour in ((1, 14), (2, 10), (3, 14))
    ]
    answers = [AvailabilityAnswer.YES, AvailabilityAnswer.IF_NEED_BE, AvailabilityAnswer.NO]
    for n in range(17):
        member = MemberFactory(
            cohort=cohort,
            organisation=f"Organisation {n % 12}",
            role_type=RoleType.FRONT_LINE if n % 3 else RoleType.DESIGNING,
        )
        for k, time in enumerate(times):
            AvailabilityFactory(application=member, candidate_time=time, answer=answers[(n + k) % 3])
    for name in ("Eve Adams", "Fay Brown", "Gus Clark"):
        application_in(S.WAITLISTED, programme=cohort.programme, name=name)
    applicant = ApplicationFactory(programme=cohort.programme, name="Sam Okafor")
    application_set_status(application=applicant, status=S.OFFERED, cohort=cohort, notify=Notify.NONE)
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/selection/groups/{cohort.pk}/")

    assert page.locator("h1").inner_text() == "Group 1"
    assert page.locator("#fill-text").inner_text() == "18/20"
    page.screenshot(path=screenshot_dir / "cohort.png", full_page=True)
    assert errors == []

    page.context.clear_cookies()
    token = offer_token(application=applicant, offer=current_offer(applicant))
    page.goto(f"{live_server.url}/offer/{token}/")
    page.screenshot(path=screenshot_dir / "offer.png", full_page=True)
    page.get_by_role("button", name="Confirm my place").click()
    page.wait_for_url(re.compile(r".*/my-place/$"))
    assert page.locator("h1").inner_text() == "Your place"
    page.screenshot(path=screenshot_dir / "my_place.png", full_page=True)
    assert errors == []


@pytest.mark.browser
def test_cohort_page_labels_tick_their_own_forms_radio(live_server, page, screenshot_dir, transactional_db):
    """The two forms of the group's page each have a "Decision emails" choice: clicking a label in one form
    changes that form only (once, "Send the emails now" in one ticked the other's, and offers went out as drafts)."""
    cohort = CohortFactory(name="Group 1", size=3)
    for name in ("Eve Adams", "Fay Brown"):
        application_in(S.WAITLISTED, programme=cohort.programme, name=name)
    sign_in(page, live_server, StaffFactory())
    page.goto(f"{live_server.url}/selection/groups/{cohort.pk}/")
    promote = page.locator("form", has=page.get_by_role("button", name="Offer Eve Adams a place"))
    from_waitlist = page.locator("form", has=page.get_by_role("button", name="Offer them places in Group 1"))

    promote.get_by_text("Send the emails now").click()

    assert promote.get_by_label("Send the emails now").is_checked() is True
    assert from_waitlist.get_by_label("Send the emails now").is_checked() is False
    assert (
        from_waitlist.get_by_label("Save the emails as drafts to preview and send later").is_checked() is True
    )

    from_waitlist.get_by_text("Send the emails now").click()

    assert from_waitlist.get_by_label("Send the emails now").is_checked() is True
    assert promote.get_by_label("Send the emails now").is_checked() is True
    page.screenshot(path=screenshot_dir / "cohort_two_forms.png", full_page=True)
    promote.get_by_role("button", name="Offer Eve Adams a place").click()

    page.wait_for_url(re.compile(rf".*/selection/groups/{cohort.pk}/$"))
    eve = Application.objects.get(name="Eve Adams")
    assert eve.status == S.OFFERED
    assert list(OutgoingEmail.objects.filter(to=eve.email).values_list("kind", "status")) == [
        (EmailKind.DECISION_OFFERED, EmailStatus.SENT)
    ]


@pytest.mark.browser
def test_offer_on_the_private_page_and_a_draft_offer_on_the_group_page(
    live_server, page, screenshot_dir, transactional_db
):
    """An emailed offer can be answered from the applicant's private page; a drafted one is marked on the group's
    page, where the waitlist proposal passes over someone who cannot come at the group's time."""
    cohort = CohortFactory(name="Group 1", size=4)
    tuesday = CandidateTimeFactory(programme=cohort.programme, weekday=1, start_time=datetime.time(14))
    CohortScheduleFactory(cohort=cohort, candidate_time=tuesday, weekday=1, start_time=datetime.time(14))
    for name, answer in (("Eve Adams", AvailabilityAnswer.NO), ("Fay Brown", AvailabilityAnswer.YES)):
        waiting = application_in(S.WAITLISTED, programme=cohort.programme, name=name)
        AvailabilityFactory(application=waiting, candidate_time=tuesday, answer=answer)
    drafted = ApplicationFactory(programme=cohort.programme, name="Dee Draft")
    application_set_status(application=drafted, status=S.OFFERED, cohort=cohort, notify=Notify.DRAFT)
    emailed = ApplicationFactory(programme=cohort.programme, name="Sam Okafor")
    application_set_status(application=emailed, status=S.OFFERED, cohort=cohort, notify=Notify.SEND)
    sign_in(page, live_server, StaffFactory())

    page.goto(f"{live_server.url}/selection/groups/{cohort.pk}/")

    assert page.locator("#proposal-heading").inner_text() == (
        "2 places free: next on the waitlist who can come on Tuesdays at 14:00 is Fay Brown"
    )
    row = page.get_by_role("row", name=re.compile("Dee Draft"))
    assert row.get_by_role("cell").last.inner_text() == (
        "Draft Offered, but not emailed yet: their time to answer starts when you send the email"
    )
    page.screenshot(path=screenshot_dir / "cohort_draft_offer.png", full_page=True)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/my-application/{application_token(emailed)}/")
    assert page.locator("#offer-heading").inner_text() == "We are offering you a place in Group 1"
    page.screenshot(path=screenshot_dir / "private_offer.png", full_page=True)
    page.get_by_role("button", name="Confirm my place").click()
    page.wait_for_url(re.compile(r".*/my-place/$"))
    emailed.refresh_from_db()
    assert emailed.status == S.CONFIRMED


def forty_five_applications():
    """A programme with an empty Group 1, four candidate times and 45 applications with varied answers."""
    programme = CohortFactory(name="Group 1", number=1).programme
    times = [
        CandidateTimeFactory(programme=programme, weekday=day, start_time=datetime.time(hour))
        for day, hour in ((1, 10), (1, 14), (2, 10), (3, 14))
    ]
    answers = [
        AvailabilityAnswer.YES,
        AvailabilityAnswer.IF_NEED_BE,
        AvailabilityAnswer.NO,
        AvailabilityAnswer.NO,
    ]
    for n in range(45):
        application = ApplicationFactory(
            programme=programme,
            organisation=f"Charity {n % 30}",
            role_type=RoleType.FRONT_LINE if n % 3 else RoleType.DESIGNING,
            score=n % 11,
        )
        for k, time in enumerate(times):
            AvailabilityFactory(
                application=application, candidate_time=time, answer=answers[(n * 7 + k * 3) % 4]
            )
    return programme


@pytest.mark.browser
def test_manager_proposes_two_groups_from_45_applications(
    live_server, page, screenshot_dir, transactional_db
):
    """From the selection page to the proposal: two groups with their times, everyone else waiting with a reason."""
    from axe_playwright_python.sync_playwright import Axe

    programme = forty_five_applications()
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/selection/programmes/{programme.slug}/")
    page.get_by_role("link", name="Propose groups").click()
    page.get_by_label("Number of groups").fill("2")
    page.get_by_role("button", name="Propose again").click()
    page.wait_for_url(re.compile(r".*/propose/\?groups=2.*"))
    page.screenshot(path=screenshot_dir / "propose.png", full_page=True)

    assert page.locator("h1").inner_text() == "Propose groups"
    assert page.locator("#summary-heading").inner_text() == "2 groups, 40 people placed"
    assert page.locator("#group-1-heading").inner_text() == "Group 1: Tuesday 10:00–12:00"
    assert page.locator("#group-2-heading").inner_text() == "Group 2: Wednesday 10:00–12:00"
    assert page.locator("#waiting-heading").inner_text() == "Waiting (5)"
    # Beside each group, when its people can meet, the group's time flagged.
    assert (
        page.locator("table.heatmap caption").all_inner_texts()
        == ["How many of the 20 people proposed can come, by day and start time"] * 2
    )
    assert page.locator(
        "table.heatmap td:has(.heat-flag:text('This group’s time')) .heat-count"
    ).all_inner_texts() == [
        "20",
        "20",
    ]
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert errors == []


@pytest.mark.browser
def test_manager_pins_a_person_resolves_and_turns_the_proposal_into_offers(
    live_server, page, screenshot_dir, transactional_db
):
    """Compose two groups from 45 applications, move one person to the other group, propose again around the pin,
    turn the proposal into draft offers, send them: every offer email names its group's day and time."""
    programme = forty_five_applications()
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(
        f"{live_server.url}/selection/programmes/{programme.slug}/propose/"
        "?groups=2&max_per_organisation=1&front_line_minimum=0"
    )
    assert page.locator("#group-2-heading").inner_text() == "Group 2: Wednesday 10:00–12:00"

    # The first person waiting who can make a group's time is pinned to that group, with the keyboard.
    waiting = page.locator("section[aria-labelledby='waiting-heading'] select")
    pinned = next(select for select in waiting.all() if select.locator("option").count() > 1)
    choice = pinned.locator("option").nth(1).inner_text()
    group = choice.removeprefix("Pin to group ")
    pk = int(pinned.get_attribute("id").removeprefix("pin-"))
    name = Application.objects.get(pk=pk).name
    pinned.focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Rearrange around the pins").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*pin-{pk}=.*"))
    page.screenshot(path=screenshot_dir / "propose_pinned.png", full_page=True)

    group_names = page.locator(f"section[aria-labelledby='group-{group}-heading'] tbody th").all_inner_texts()
    assert name in group_names
    assert page.locator(f"#pin-{pk} option:checked").inner_text() == choice
    assert page.locator("#summary-heading").inner_text() == "2 groups, 40 people placed"
    assert "1 person pinned to a group by you." in page.locator("main").inner_text()

    page.get_by_role("link", name="Turn this proposal into offers").click()
    page.wait_for_url(re.compile(r".*/propose/offers/\?.*"))
    page.screenshot(path=screenshot_dir / "propose_offers.png", full_page=True)
    assert page.locator(".are-you-sure li").all_inner_texts() == [
        "Group 1 (empty now) is given the weekly time Tuesdays at 10:00 (UK time), and 20 people are offered a "
        "place in it.",
        "Group 2 is made, with the weekly time Wednesdays at 10:00 (UK time), and 20 people are offered a place "
        "in it.",
        "5 people wait, in the proposed order (5 of them new to the waitlist).",
        "The emails are saved as drafts: nothing is sent until you send them from the decision emails page. "
        "Each offer's days to reply start when its email is sent.",
        "When the drafts are sent: the 40 people offered a place, each told their group's day and time.",
        "The 5 people joining the waitlist.",
    ]
    page.get_by_role("button", name="Make the groups and draft 40 offers").click()
    page.wait_for_url(re.compile(r".*/emails/$"))
    assert OutgoingEmail.objects.filter(status=EmailStatus.DRAFT).count() == 45
    page.get_by_role("button", name="Send the ticked emails").click()
    page.wait_for_load_state()

    offers = OutgoingEmail.objects.filter(kind=EmailKind.DECISION_OFFERED).exclude(status=EmailStatus.DRAFT)
    meets = {
        "Group 1": "Your group meets on Tuesdays at 10:00, UK time.",
        "Group 2": "Your group meets on Wednesdays at 10:00, UK time.",
    }
    told = sorted(
        (
            application.cohort.name,
            meets[application.cohort.name] in offers.get(to=application.email).body_text,
        )
        for application in Application.objects.filter(status=S.OFFERED).select_related("cohort")
    )
    assert told == [("Group 1", True)] * 20 + [("Group 2", True)] * 20
    assert Application.objects.get(pk=pk).cohort.name == f"Group {group}"
    assert Application.objects.filter(status=S.WAITLISTED).count() == 5
    assert errors == []


@pytest.mark.browser
def test_manager_proposes_two_groups_at_the_same_time_when_demand_fills_both(
    live_server, page, screenshot_dir, transactional_db
):
    """40 people can make Tuesday 10:00 and 5 only Wednesday 14:00: two Tuesday groups place 40 (a Wednesday
    group would place 25), and every offer names Tuesdays at 10:00."""
    programme = CohortFactory(name="Group 1", number=1).programme
    tuesday, wednesday = (
        CandidateTimeFactory(programme=programme, weekday=day, start_time=datetime.time(hour))
        for day, hour in ((1, 10), (2, 14))
    )
    for n in range(45):
        application = ApplicationFactory(programme=programme, organisation=f"Charity {n}", score=n % 11)
        for time, can in ((tuesday, n < 40), (wednesday, n >= 40)):
            answer = AvailabilityAnswer.YES if can else AvailabilityAnswer.NO
            AvailabilityFactory(application=application, candidate_time=time, answer=answer)
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(
        f"{live_server.url}/selection/programmes/{programme.slug}/propose/"
        "?groups=2&max_per_organisation=1&front_line_minimum=0"
    )
    page.screenshot(path=screenshot_dir / "propose_same_time.png", full_page=True)

    assert page.locator("#summary-heading").inner_text() == "2 groups, 40 people placed"
    assert page.locator("#group-1-heading").inner_text() == "Group 1: Tuesday 10:00–12:00"
    assert page.locator("#group-2-heading").inner_text() == "Group 2: Tuesday 10:00–12:00"
    assert page.locator("#waiting-heading").inner_text() == "Waiting (5)"
    page.get_by_role("link", name="Turn this proposal into offers").click()
    page.wait_for_url(re.compile(r".*/propose/offers/\?.*"))
    page.get_by_role("button", name="Make the groups and draft 40 offers").click()
    page.wait_for_url(re.compile(r".*/emails/$"))
    page.get_by_role("button", name="Send the ticked emails").click()
    page.wait_for_load_state()

    offers = OutgoingEmail.objects.filter(kind=EmailKind.DECISION_OFFERED).exclude(status=EmailStatus.DRAFT)
    told = sorted(
        (
            application.cohort.name,
            "Your group meets on Tuesdays at 10:00, UK time." in offers.get(to=application.email).body_text,
        )
        for application in Application.objects.filter(status=S.OFFERED).select_related("cohort")
    )
    assert told == [("Group 1", True)] * 20 + [("Group 2", True)] * 20
    assert errors == []
