"""Signing in by an emailed code in Chromium, by keyboard alone: ask for a code, type a wrong one (the page says
what to do and how many tries are left), send a new code, sign in. axe finds nothing serious on the way."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from tests.factories import MemberFactory


def serious_axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def tab_to(page, name: str) -> None:
    """Press Tab until the focused element is the link, button or field named `name` (its text or label)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
                return (el.textContent.trim() || label).replace(/\\s+/g, " ").trim().replace(/\\*$/, "").trim();
            }"""
        )
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def latest_code() -> str:
    body = mail.outbox[-1].body
    return re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", body, re.MULTILINE).group(1)


@pytest.mark.browser
def test_sign_in_by_code_with_a_wrong_code_then_a_new_one_by_keyboard(
    live_server, page, screenshot_dir, transactional_db
):
    MemberFactory(name="Ada Lovelace", email="ada@example.org")
    page.goto(f"{live_server.url}/accounts/login/")

    tab_to(page, "Email me a sign-in code")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/code/")
    page.screenshot(path=screenshot_dir / "1-request.png", full_page=True)
    tab_to(page, "Email address")
    page.keyboard.type("ada@example.org")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/code/confirm/")
    assert page.locator("h1").inner_text() == "Check your email"
    page.screenshot(path=screenshot_dir / "2-check-your-email.png", full_page=True)
    assert serious_axe_violations(page) == []
    first = latest_code()

    tab_to(page, "Sign-in code")
    page.keyboard.type("WRONG1" if first != "WRONG1" else "WRONG2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.screenshot(path=screenshot_dir / "3-wrong-code.png", full_page=True)
    assert page.title() == "Error: Enter your sign-in code · Connection Coalition cohorts"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert [line for line in page.locator("#form-errors").inner_text().split("\n") if line] == [
        "There is a problem",
        "That code is not the one we sent. Check the latest email from us and type the code exactly as it is, "
        "or send a new code.",
        "You have 2 tries left with this code.",
    ]
    assert serious_axe_violations(page) == []

    tab_to(page, "Send a new code to ada@example.org")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.screenshot(path=screenshot_dir / "4-new-code-sent.png", full_page=True)
    assert page.locator(".messages").inner_text() == "We have emailed a sign-in code to ada@example.org."
    assert len(mail.outbox) == 2

    tab_to(page, "Sign-in code")
    page.keyboard.type(latest_code())
    page.keyboard.press("Enter")
    page.wait_for_url("**/me/")
    page.screenshot(path=screenshot_dir / "5-signed-in.png", full_page=True)
    assert page.locator("h1").first.inner_text() == "Hello, Ada"
