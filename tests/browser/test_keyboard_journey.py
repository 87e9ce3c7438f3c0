"""A person who uses only a keyboard, in Chromium: applies (sending the form with an answer missing, then following
the error summary's link straight to the field to put it right), sends apologies for a session, and writes a
learning entry (saved without its text first, corrected the same way). Signing in by code has its own keyboard
test (test_sign_in_by_code.py). Nothing is clicked: every step is Tab, Space, Enter, arrows or typing."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from applications.models import Application
from learning.models import Entry
from sessions_app.enums import AttendanceStatus
from sessions_app.models import Attendance
from tests.browser.world_pages import sign_in_as
from tests.factories import (
    CandidateTimeFactory,
    MemberFactory,
    MemberOrganisationFactory,
    ProgrammeFactory,
    SessionFactory,
)

FOCUSED = """() => {
    const el = document.activeElement;
    const name = el.getAttribute("aria-label") || (el.labels && el.labels[0] ? el.labels[0].textContent : "")
        || el.textContent;
    return name.replace(/\\s+/g, " ").trim().replace(/\\*$/, "").trim();
}"""


def serious_axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def focused(page) -> str:
    """The accessible name of what has focus: its aria-label, label or text."""
    return page.evaluate(FOCUSED)


def tab_to(page, name: str, *, limit: int = 60) -> None:
    """Press Tab until the link, button or field named `name` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def tab_and_type(page, text: str) -> None:
    page.keyboard.press("Tab")
    page.keyboard.type(text)


def tab_and_tick(page, name: str) -> None:
    """Tab to the next control, which must be the checkbox or radio `name`, and tick it with Space."""
    page.keyboard.press("Tab")
    assert focused(page) == name
    page.keyboard.press("Space")


def error_summary(page) -> list[str]:
    return [line for line in page.locator("#form-errors").inner_text().split("\n") if line]


def follow_summary_link(page, text: str) -> str:
    """From the focused error summary, Tab to its link `text` and press Enter: the id of what then has focus."""
    assert page.evaluate("document.activeElement.id") == "form-errors"
    tab_to(page, text, limit=5)
    page.keyboard.press("Enter")
    return page.evaluate("document.activeElement.id")


@pytest.mark.browser
def test_apply_then_send_apologies_then_write_an_entry_by_keyboard_alone(
    live_server, page, screenshot_dir, transactional_db
):
    programme = ProgrammeFactory(slug="relationships", title="Relationships at the heart of our work")
    for weekday, hour in [(0, 10), (1, 14)]:
        CandidateTimeFactory(programme=programme, weekday=weekday, start_time=datetime.time(hour))
    MemberOrganisationFactory(name="Leeds Befriending")
    base = live_server.url

    # --- Apply, with the motivation left out the first time --------------------------------------------------
    page.goto(f"{base}/programmes/relationships/")
    tab_to(page, "Apply now")
    page.keyboard.press("Enter")
    page.wait_for_url("**/programmes/relationships/apply/")
    tab_to(page, "Your name")
    page.keyboard.type("Ben Okafor")
    tab_and_type(page, "ben@example.org")
    tab_and_type(page, "Leeds Befriending")
    tab_and_type(page, "Volunteer coordinator")
    tab_and_tick(page, "I work directly in a front-line role")
    page.keyboard.press("Tab")  # where they work, from the list
    page.keyboard.type("Yorkshire")
    tab_and_type(page, "Telephone befriending.")
    tab_and_type(page, "Small groups work best.")
    page.keyboard.press("Tab")  # "Why do you want to take part?" left empty
    tab_and_type(page, "New ideas for volunteers.")
    page.keyboard.press("Tab")  # the challenge is optional
    page.keyboard.press("Tab")  # and so is sharing it
    tab_and_tick(page, "Monday 10:00–12:00: Yes")
    tab_and_tick(page, "Tuesday 14:00–16:00: Yes")
    tab_and_tick(page, "My organisation supports me to attend")
    tab_and_tick(page, "My wider team is open to new ideas")
    page.keyboard.press("Tab")
    assert focused(page).startswith("I commit to showing up with openness")
    page.keyboard.press("Space")
    tab_and_tick(page, "I commit to sharing feedback and learning as we go")
    page.keyboard.press("Tab")  # no accessibility needs
    page.keyboard.press("Tab")
    assert focused(page).startswith("I agree to my answers being stored")
    page.keyboard.press("Space")
    tab_to(page, "Send my application")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.screenshot(path=screenshot_dir / "1-application-error.png", full_page=True)
    assert page.title().startswith("Error: ")
    assert error_summary(page) == ["There is a problem", "Tell us why you want to take part."]
    assert serious_axe_violations(page) == []
    assert follow_summary_link(page, "Tell us why you want to take part.") == "id_motivation"
    page.keyboard.type("To learn from peers.")
    tab_to(page, "Send my application")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text() == "Thank you for applying"
    page.screenshot(path=screenshot_dir / "2-application-sent.png", full_page=True)
    application = Application.objects.get()
    assert (application.name, application.motivation, application.role_type, application.region) == (
        "Ben Okafor",
        "To learn from peers.",
        "front_line",
        "yorkshire",
    )
    assert sorted(application.availability.values_list("candidate_time__weekday", "answer")) == [
        (0, "yes"),
        (1, "yes"),
    ]

    # --- A member sends apologies for the next session -------------------------------------------------------
    member = MemberFactory(name="Ada Lovelace")
    starts = timezone.now() + datetime.timedelta(days=3)
    session = SessionFactory(
        cohort=member.cohort,
        number=2,
        topic="Volunteers",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    sign_in_as(page, base, member.user)
    page.goto(f"{base}/me/")
    tab_to(page, "Schedule")
    page.keyboard.press("Enter")
    page.wait_for_url("**/schedule/")
    tab_to(page, "Can’t make it?")
    page.keyboard.press("Enter")  # opens the disclosure
    page.keyboard.press("Tab")
    assert focused(page) == "Note for the manager (optional)"
    page.keyboard.type("A training day at work.")
    page.keyboard.press("Tab")
    assert focused(page) == "Send apologies"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.screenshot(path=screenshot_dir / "3-apologies-sent.png", full_page=True)
    assert page.locator(".messages").inner_text() == (
        f"Apologies sent for {session.title}. Thank you for letting us know."
    )
    assert list(Attendance.objects.filter(session=session).values_list("member__name", "status", "note")) == [
        ("Ada Lovelace", AttendanceStatus.APOLOGIES, "A training day at work.")
    ]

    # --- ... and writes a learning entry, saved without its text first ---------------------------------------
    page.goto(f"{base}/learning/entries/new/")
    tab_to(page, "What is it?")
    page.keyboard.type("Blog")  # a select jumps to the option typed
    page.keyboard.press("Tab")
    assert focused(page) == "Title"
    page.keyboard.type("What we learnt about volunteers")
    tab_to(page, "Save")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.screenshot(path=screenshot_dir / "4-entry-error.png", full_page=True)
    assert error_summary(page) == [
        "There is a problem",
        "Write the text of the entry: a few lines are enough.",
    ]
    assert serious_axe_violations(page) == []
    assert follow_summary_link(page, "Write the text of the entry: a few lines are enough.") == "id_body"
    page.keyboard.type("Short calls, often, kept people coming back.")
    tab_to(page, "Save")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.screenshot(path=screenshot_dir / "5-entry-saved.png", full_page=True)
    assert page.locator("h1").inner_text() == "What we learnt about volunteers"
    assert list(Entry.objects.values_list("kind", "title", "body")) == [
        ("blog", "What we learnt about volunteers", "Short calls, often, kept people coming back.")
    ]
