"""The error pattern in Chromium, by keyboard: a form sent with problems comes back titled "Error: …" with the
summary focused; each summary link, followed with Enter, puts focus in the field itself (the first radio of a set
or of a grid row), which says it is invalid. axe finds nothing serious in the error states."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from sessions_app.enums import AttendanceStatus
from tests.browser.world_pages import sign_in_as
from tests.factories import (
    AttendanceFactory,
    CandidateTimeFactory,
    MemberFactory,
    ProgrammeFactory,
    SessionFactory,
)


def serious_axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def follow_summary_link(page, text: str) -> dict:
    """Tab from the focused summary to the link saying `text`, press Enter: what then has focus."""
    assert page.evaluate("document.activeElement.id") == "form-errors"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            break
    page.keyboard.press("Enter")
    return page.evaluate(
        """() => ({id: document.activeElement.id,
                   invalid: document.activeElement.getAttribute("aria-invalid"),
                   describedby: document.activeElement.getAttribute("aria-describedby")})"""
    )


@pytest.mark.browser
def test_member_forms_come_back_with_a_summary_whose_links_focus_the_field(
    live_server, page, screenshot_dir, transactional_db
):
    member = MemberFactory(name="Ada Lovelace")
    session = SessionFactory(cohort=member.cohort, number=1, topic="Getting started")
    AttendanceFactory(session=session, member=member, status=AttendanceStatus.ATTENDED)
    base = live_server.url

    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=True):
        sign_in_as(page, base, member.user)

        page.goto(f"{base}/me/expenses/")
        page.get_by_label("Amount (£)").fill("0")
        page.get_by_role("button", name="Send claim").click()
        page.wait_for_load_state()
        page.screenshot(path=screenshot_dir / "expenses-errors.png", full_page=True)
        assert page.title() == "Error: Expenses · Connection Coalition cohorts"
        assert follow_summary_link(page, "Enter an amount of at least £0.01.") == {
            "id": "id_amount",
            "invalid": "true",
            "describedby": "id_amount_helptext id_amount_error",
        }
        page.screenshot(path=screenshot_dir / "expenses-amount-focused.png")
        assert serious_axe_violations(page) == []

        page.goto(f"{base}/learning/feedback/sessions/{session.pk}/")
        page.get_by_role("button", name="Send feedback").click()
        page.wait_for_load_state()
        assert page.title().startswith("Error: Feedback on session 1")
        assert (
            follow_summary_link(page, "Choose a rating from 1 (poor) to 5 (excellent).")["id"]
            == "id_rating_0"
        )
        page.screenshot(path=screenshot_dir / "feedback-rating-focused.png")
        assert serious_axe_violations(page) == []

        page.goto(f"{base}/learning/entries/new/")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert page.title() == "Error: Write an entry · Connection Coalition cohorts"
        assert (
            follow_summary_link(page, "Write the text of the entry: a few lines are enough.")["id"]
            == "id_body"
        )
        page.screenshot(path=screenshot_dir / "entry-body-focused.png")
        assert serious_axe_violations(page) == []

        page.goto(f"{base}/me/profile/")
        page.get_by_label("Name").fill("  ")
        page.get_by_role("button", name="Save profile").click()
        page.wait_for_load_state()
        assert page.title() == "Error: Your profile · Connection Coalition cohorts"
        assert follow_summary_link(page, "Enter your name, as you would like your group to see it.")[
            "id"
        ] == ("id_name")
        assert serious_axe_violations(page) == []


@pytest.mark.browser
def test_an_unanswered_availability_row_is_reached_from_the_summary(
    live_server, page, screenshot_dir, transactional_db
):
    programme = ProgrammeFactory(slug="relationships", min_available_times=1)
    time = CandidateTimeFactory(programme=programme, weekday=0, start_time=datetime.time(10))

    page.goto(f"{live_server.url}/programmes/relationships/apply/")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")

    focused = follow_summary_link(page, f"Choose yes, if need be or no for {time.label}.")
    page.wait_for_timeout(600)  # the page scrolls smoothly to the row
    page.screenshot(path=screenshot_dir / "availability-row-focused.png")
    assert focused == {
        "id": f"id_time_{time.pk}_0",
        "invalid": "true",
        "describedby": f"id_time_{time.pk}_error",
    }
    assert (
        page.locator(f"#id_time_{time.pk}_error").inner_text()
        == f"Choose yes, if need be or no for {time.label}."
    )
    assert serious_axe_violations(page) == []
