"""The dashboards in Chromium: a member signs in with the code emailed to them and lands on theirs; the
manager's reads at a glance. Strict CSP, no console errors, axe clean; screenshots to look at."""

import re

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.urls import reverse

from applications.links import application_token
from applications.models import Application
from sessions_app.join_links import join_path
from tests.browser.test_learning_pages import sign_in
from tests.browser.world_pages import sign_in_as
from tests.dashboards.conftest import build_world
from tests.dashboards.test_member import partners_in_round
from tests.factories import ApplicationFactory, StaffFactory


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def serious_axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
def test_member_signs_in_by_code_and_sees_next_session_and_partner(
    live_server, page, screenshot_dir, transactional_db
):
    world = build_world(6)
    problems = watch_console(page)

    with time_machine.travel(world.now, tick=True):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Email me a sign-in code").click()
        page.get_by_label("Email").fill("morgan@example.org")
        page.screenshot(path=screenshot_dir / "request-code.png", full_page=True)
        already_sent = len(mail.outbox)  # the world's own emails (Morgan's claim was acknowledged)
        page.get_by_role("button", name=re.compile("code", re.IGNORECASE)).click()
        page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
        # The code as the member reads it, in the message sent: the stored copy staff see never holds it.
        (sent,) = [m for m in mail.outbox[already_sent:] if m.to == ["morgan@example.org"]]
        code = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", sent.body, re.MULTILINE).group(1)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(f"{live_server.url}/me/")
        page.screenshot(path=screenshot_dir / "member-dashboard.png", full_page=True)

        next_session = page.locator(".session-next")
        assert next_session.locator("h3").inner_text() == world.sessions[2].title
        assert next_session.get_by_role("link", name="Join the session").get_attribute("href") == join_path(
            world.me
        )
        partners = page.locator(".coffee-partners strong").all_inner_texts()
        assert sorted(partners) == partners_in_round(world, 2)
        assert page.get_by_role("link", name="Feedback on Session 2: Topic 2").count() == 1

        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page.get_by_role("button", name="Copy").click()
        page.get_by_role("button", name="Copied").wait_for(timeout=5000)
        assert page.evaluate("navigator.clipboard.readText()") == page.locator("#feed-url").input_value()

        page.get_by_role("button", name="We met").click()
        page.wait_for_url(f"{live_server.url}/me/")
        assert (
            page.locator(".coffee-partners ~ p.text-success").inner_text().startswith("You said you met on")
        )
        assert serious_axe_violations(page) == []
    assert problems == []


@pytest.mark.browser
def test_member_dashboard_to_do_comes_first_on_a_phone_and_top_right_when_wide(
    live_server, page, screenshot_dir, transactional_db
):
    world = build_world(6)

    with time_machine.travel(world.now, tick=True):
        sign_in_as(page, live_server.url, world.me.user)
        boxes = {}
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/me/")
            page.screenshot(path=screenshot_dir / f"member-dashboard-{width}.png", full_page=True)
            boxes[width] = {
                heading: page.locator(f"#{heading}").bounding_box()
                for heading in ("todo-heading", "next-heading", "feed-heading")
            }
        # Reading order (what a screen reader and the Tab key follow): To do, then the next session.
        headings = page.locator("main h2").all_inner_texts()

    assert headings[:2] == ["To do", "Next session"]
    phone = boxes[375]
    assert phone["todo-heading"]["y"] < phone["next-heading"]["y"] < phone["feed-heading"]["y"]
    wide = boxes[1280]
    assert wide["todo-heading"]["x"] > wide["next-heading"]["x"]
    assert wide["todo-heading"]["y"] < wide["feed-heading"]["y"]
    assert abs(wide["todo-heading"]["y"] - wide["next-heading"]["y"]) < 20


@pytest.mark.browser
def test_manager_dashboard_reads_at_a_glance(live_server, page, screenshot_dir, transactional_db):
    world = build_world(20)
    problems = watch_console(page)

    with time_machine.travel(world.now, tick=True):
        sign_in(page, live_server, StaffFactory())
        page.goto(f"{live_server.url}/staff/")
        page.screenshot(path=screenshot_dir / "manager-dashboard.png", full_page=True)

        steps = page.locator(".pipeline-step").all_inner_texts()
        assert steps == [
            "0 interested",
            "20 applied",
            "0 offered, not yet confirmed",
            "20 confirmed",
            "20 active",
        ]
        assert page.locator("svg.chart").count() == 3
        assert page.get_by_role("link", name="expenses to review").count() == 1
        assert serious_axe_violations(page) == []
    assert problems == []


@pytest.mark.browser
def test_data_rights_pages_read_cleanly(live_server, page, screenshot_dir, transactional_db):
    """The privacy page, a member's data page, and an applicant's data section and erasure through their link."""
    world = build_world(2)
    applicant = ApplicationFactory(programme=world.programme, name="Asha Patel", email="asha@example.org")
    private = reverse("applications:private", kwargs={"token": application_token(applicant)})
    problems = watch_console(page)

    page.goto(f"{live_server.url}/privacy/")
    page.screenshot(path=screenshot_dir / "privacy.png", full_page=True)
    assert page.locator("h1").inner_text() == "What we keep, why and for how long"
    assert (
        "it works until unsuccessful applications are deleted, 180 days after the deadline"
        in page.inner_text("main")
    )
    assert serious_axe_violations(page) == []

    page.goto(f"{live_server.url}{private}")
    page.get_by_role("link", name="Erase everything").click()
    page.screenshot(path=screenshot_dir / "applicant-erase.png", full_page=True)
    assert serious_axe_violations(page) == []
    page.get_by_label("Type ERASE to confirm").fill("erase")
    page.get_by_role("button", name=re.compile("Erase")).click()
    page.screenshot(path=screenshot_dir / "applicant-erased.png", full_page=True)
    assert Application.objects.filter(email="asha@example.org").count() == 0

    sign_in(page, live_server, world.me.user)
    page.goto(f"{live_server.url}/me/data/")
    page.screenshot(path=screenshot_dir / "member-data.png", full_page=True)
    assert page.get_by_role("link", name=re.compile("JSON")).count() == 1
    assert serious_axe_violations(page) == []
    assert problems == []
