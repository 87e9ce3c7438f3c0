"""The schedule pages in Chromium: the manager's heatmap and ranking, and a member's schedule. Strict CSP on."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from applications.enums import AvailabilityAnswer
from sessions_app import services
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    ProgrammeFactory,
    StaffFactory,
)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def programme_with_answers():
    programme = ProgrammeFactory(title="Relationships at the heart of our work")
    cohort = CohortFactory(programme=programme, name="Group 1")
    times = [
        CandidateTimeFactory(programme=programme, weekday=day, start_time=datetime.time(hour, 0))
        for day in (0, 1, 3)
        for hour in (10, 14)
    ]
    pattern = ["yes", "if_need_be", "no", "yes", "yes", "no"]
    members = []
    for n in range(8):
        member = MemberFactory(cohort=cohort)
        members.append(member)
        for index, slot in enumerate(times):
            answer = pattern[(index + n) % len(pattern)] if index != 3 or n < 6 else "no"
            AvailabilityFactory(application=member, candidate_time=slot, answer=AvailabilityAnswer(answer))
    return programme, cohort, times, members


@pytest.mark.browser
def test_manager_sees_heatmap_and_confirms_the_top_time(live_server, page, screenshot_dir, transactional_db):
    _, cohort, _, _ = programme_with_answers()
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/staff/schedule/cohorts/{cohort.pk}/")
    page.screenshot(path=screenshot_dir / "ranking.png", full_page=True)

    assert page.locator(".heatmap tbody tr").count() == 2
    assert page.locator(".heat-top").count() == 1
    checked = page.locator("input[name=candidate_time]:checked")
    assert checked.count() == 1
    page.get_by_label("Join link").fill("https://meet.example.org/group-1")
    page.get_by_role("button", name="Confirm this time").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "sessions.png", full_page=True)

    assert page.locator("table tbody tr").count() == 6
    page.get_by_role("link", name="Session 3").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "session.png", full_page=True)
    assert page.locator("h1").inner_text() == "Session 3"
    assert errors == []


@pytest.mark.browser
def test_member_sees_next_session_first(live_server, page, screenshot_dir, transactional_db):
    _, cohort, times, members = programme_with_answers()
    services.schedule_confirm(
        cohort=cohort, candidate_time=times[1], join_url="https://meet.example.org/group-1"
    )
    member = members[0]
    member.user.timezone = "America/New_York"
    member.user.save()
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/schedule/")
    page.screenshot(path=screenshot_dir / "my-schedule.png", full_page=True)

    assert page.locator(".session-next h3").inner_text() == "Session 1 (orientation)"
    assert (
        page.get_by_role("link", name="Join the session").get_attribute("href")
        == "https://meet.example.org/group-1"
    )
