"""A person registers interest and applies in Chromium, filling fields by their labels; axe checks each page."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from applications.models import Application, ExpressionOfInterest
from tests.browser.forms import fill_application
from tests.factories import CandidateTimeFactory, DropInFactory, MemberOrganisationFactory, ProgrammeFactory

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.fixture
def programme(transactional_db):
    programme = ProgrammeFactory(
        title="Relationships and connections at the heart of our work",
        slug="relationships",
        min_available_times=2,
    )
    for weekday, hour in [(0, 10), (1, 14), (3, 10)]:
        CandidateTimeFactory(programme=programme, weekday=weekday, start_time=datetime.time(hour))
    starts = timezone.now() + datetime.timedelta(days=3)
    DropInFactory(programme=programme, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    MemberOrganisationFactory(name="Leeds Befriending")
    return programme


@pytest.mark.browser
def test_register_interest_then_apply_by_labels_with_no_serious_accessibility_violations(
    live_server, page, programme, screenshot_dir
):
    page.goto(f"{live_server.url}/programmes/relationships/")
    assert page.locator("h1").inner_text() == "Relationships and connections at the heart of our work"
    page.screenshot(path=screenshot_dir / "1-programme.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("link", name="Register interest and join a drop-in").click()
    assert page.locator("h1").inner_text() == "Register your interest"
    assert serious_violations(page) == []
    page.get_by_label("Your name").fill("Ben Okafor")
    page.get_by_label("Email address").fill("ben@example.org")
    page.get_by_role("combobox", name="Organisation").fill("Leeds Befriending")
    page.get_by_label("Your role").fill("Volunteer coordinator")
    page.get_by_label("I agree to the Jo Cox Foundation storing these details").check()
    page.screenshot(path=screenshot_dir / "2-interest-form.png", full_page=True)
    page.get_by_role("button", name="Register interest").click()
    assert page.locator("h1").inner_text() == "Thank you for your interest"
    page.screenshot(path=screenshot_dir / "3-interest-thanks.png", full_page=True)
    assert ExpressionOfInterest.objects.values_list("email", flat=True).get() == "ben@example.org"

    page.goto(f"{live_server.url}/programmes/relationships/")
    page.get_by_role("link", name="Apply now").click()
    assert page.locator("h1").inner_text() == "Apply to join the group"
    assert serious_violations(page) == []

    # Sent empty first: the errors must be announced and accessible too.
    page.get_by_role("button", name="Send my application").click()
    assert page.get_by_role("alert").locator("h2").inner_text() == "There is a problem"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.screenshot(path=screenshot_dir / "4-application-errors.png", full_page=True)
    assert serious_violations(page) == []

    fill_application(
        page,
        name="Ben Okafor",
        email="ben@example.org",
        times={
            "Monday 10:00–12:00": "Yes",
            "Tuesday 14:00–16:00": "If need be",
            "Thursday 10:00–12:00": "Yes",
        },
    )
    page.screenshot(path=screenshot_dir / "5-application-form.png", full_page=True)
    page.get_by_role("button", name="Send my application").click()

    assert page.locator("h1").inner_text() == "Thank you for applying"
    page.screenshot(path=screenshot_dir / "6-application-thanks.png", full_page=True)
    application = Application.objects.get()
    assert (application.name, application.organisation, application.hopes) == (
        "Ben Okafor",
        "Leeds Befriending",
        "New ideas for volunteers.",
    )
    assert sorted(application.availability.values_list("candidate_time__weekday", "answer")) == [
        (0, "yes"),
        (1, "if_need_be"),
        (3, "yes"),
    ]

    # The private link from the confirmation email: the answers, laid out to read, with change and withdraw.
    from applications.links import application_token

    page.goto(f"{live_server.url}/my-application/{application_token(application)}/")
    assert page.locator("h1").inner_text() == "Your application"
    assert page.get_by_role("link", name="Change my answers").is_visible()
    page.screenshot(path=screenshot_dir / "7-private-page.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name="Withdraw my application").click()
    page.get_by_label("Also delete my answers now").check()
    page.screenshot(path=screenshot_dir / "8-withdraw.png", full_page=True)
    page.get_by_role("button", name="Withdraw my application").click()
    assert page.locator("h1").inner_text() == "Your application is withdrawn and deleted"
    assert Application.objects.count() == 0
