"""Trimming Bootstrap's CSS (tools/trim_bootstrap.py) changes nothing anyone sees: each page, screenshotted
with the trimmed file and again with Bootstrap's full one served in its place, is the same picture, byte for
byte. And the menu button on a narrow screen, now our own few lines in site.js, still opens the menu."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cohort_site.demo import open_call, pilot
from tests.browser.test_learning_pages import sign_in
from tools.trim_bootstrap import SOURCE

FULL_CSS = SOURCE.read_bytes()

# (who is signed in, path, width): the public pages, a form with its errors, a member's and the manager's pages.
PAGES = [
    (None, f"/programmes/{open_call.SLUG}/", 1280),
    (None, f"/programmes/{open_call.SLUG}/", 390),
    (None, f"/programmes/{open_call.SLUG}/apply/", 1280),
    (None, f"/programmes/{open_call.SLUG}/interest/", 1280),
    (None, "/accounts/login/", 1280),
    (pilot.MEMBER_EMAIL, "/me/", 1280),
    (pilot.MEMBER_EMAIL, "/schedule/", 1280),
    (open_call.MANAGER_EMAIL, "/staff/", 1280),
]


def screenshot(page, url: str, *, full_css: bool) -> bytes:
    page.unroute("**/bootstrap.min*.css")
    if full_css:
        page.route(
            "**/bootstrap.min*.css",
            lambda route: route.fulfill(status=200, content_type="text/css", body=FULL_CSS),
        )
    page.goto(url)
    return page.screenshot(full_page=True, animations="disabled", caret="hide")


@pytest.mark.browser
def test_pages_look_the_same_with_the_trimmed_css(live_server, page, transactional_db, settings):
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", verbosity=0)
    different = []
    for email, path, width in PAGES:
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": 900})
        if email:
            sign_in(page, live_server, get_user_model().objects.get(email=email))
        url = f"{live_server.url}{path}"
        if screenshot(page, url, full_css=True) != screenshot(page, url, full_css=False):
            different.append((path, width))

    assert different == []


@pytest.mark.browser
def test_a_form_with_errors_looks_the_same_with_the_trimmed_css(
    live_server, page, transactional_db, settings
):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    pictures = []
    for full_css in (True, False):
        screenshot(page, f"{live_server.url}/programmes/{open_call.SLUG}/apply/", full_css=full_css)
        page.get_by_role("button", name="Send my application").click()
        page.wait_for_selector("#form-errors")
        # The error page's own scripts (the character counts under each text box) run at "load": a picture taken
        # before then is shorter, whichever CSS is served.
        page.wait_for_load_state("load")
        pictures.append(page.screenshot(full_page=True, animations="disabled", caret="hide"))

    assert pictures[0] == pictures[1]


@pytest.mark.browser
def test_the_menu_button_opens_and_closes_the_menu_on_a_narrow_screen(live_server, page, transactional_db):
    from tests.factories import ProgrammeFactory

    ProgrammeFactory()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Show navigation")
    sign_in_link = page.get_by_role("link", name="Sign in")

    assert [sign_in_link.is_visible(), button.get_attribute("aria-expanded")] == [False, "false"]
    button.click()
    assert [sign_in_link.is_visible(), button.get_attribute("aria-expanded")] == [True, "true"]
    button.click()
    assert [sign_in_link.is_visible(), button.get_attribute("aria-expanded")] == [False, "false"]
