"""The network's public pages in Chromium: an event's registration form and the digest's sign-up come back with
the error summary, whose link focuses the field; the pages break no CSP rule and pass axe."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from learning.models import EventRegistration
from tests.browser.test_error_summaries import follow_summary_link
from tests.factories import NetworkEventFactory


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
def test_registering_for_an_event_and_signing_up_for_the_digest(
    live_server, page, screenshot_dir, transactional_db
):
    event = NetworkEventFactory(
        title="Befriending at a distance",
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
        capacity=1,
    )
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    base = live_server.url

    page.goto(f"{base}/network/events/")
    page.get_by_role("link", name="Befriending at a distance").click()
    page.wait_for_load_state()
    assert serious(page) == []
    page.get_by_label("Your name").fill("Rhian Jones")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "event-errors.png", full_page=True)
    assert page.title() == "Error: Befriending at a distance · Sharing events · Connection Coalition cohorts"
    assert follow_summary_link(page, "Enter your organisation.")["id"] == "id_organisation"
    assert page.get_by_label("Your name").input_value() == "Rhian Jones"
    assert serious(page) == []

    page.get_by_label("Organisation").fill("Cardiff Connects")
    page.get_by_label("Email address").fill("rhian@example.org")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for registering"
    assert list(EventRegistration.objects.values_list("email", "status")) == [
        ("rhian@example.org", "confirmed")
    ]

    page.goto(f"{base}{event.get_absolute_url()}")
    assert page.get_by_role("button", name="Join the waitlist").is_visible()

    page.goto(f"{base}/network/digest/")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert follow_summary_link(page, "Enter your email address.")["id"] == "id_email"
    assert serious(page) == []
    page.screenshot(path=screenshot_dir / "digest-errors.png", full_page=True)
    assert problems == []
