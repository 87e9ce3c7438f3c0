import datetime
import re

import pytest
from django.conf import settings
from django.test import Client

from applications.enums import ApplicationStatus, AvailabilityAnswer, Notify, RoleType
from applications.links import offer_token
from applications.services import application_set_status, current_offer
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
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
def test_manager_proposes_two_groups_from_45_applications(
    live_server, page, screenshot_dir, transactional_db
):
    """From the selection page to the proposal: two groups with their times, everyone else waiting with a reason."""
    from axe_playwright_python.sync_playwright import Axe

    programme = CohortFactory(name="Group 1").programme
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
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert errors == []
