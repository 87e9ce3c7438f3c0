"""The README's three screenshots, taken from the demo as `make run` seeds it: the programme page, the member
dashboard and the manager dashboard. Every run checks the pages render; `UPDATE_SCREENSHOTS=1` (make screenshots)
writes them to docs/screenshots/, and tests/core/test_readme.py fails when a page's template is newer."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cohort_site.demo import open_call, pilot
from tests.browser.test_learning_pages import sign_in

# (file, who is signed in, path): the first two minutes of the README's tour.
SHOTS = [
    ("programme-page.png", None, f"/programmes/{open_call.SLUG}/"),
    ("member-dashboard.png", pilot.MEMBER_EMAIL, "/me/"),
    ("manager-dashboard.png", open_call.MANAGER_EMAIL, "/staff/"),
]
FOLDER = Path(settings.BASE_DIR, "docs", "screenshots")


@pytest.mark.browser
def test_readme_screenshots_of_the_demo(live_server, page, screenshot_dir, transactional_db, settings):
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})

    for name, email, path in SHOTS:
        page.context.clear_cookies()
        if email:
            sign_in(page, live_server, get_user_model().objects.get(email=email))
        response = page.goto(f"{live_server.url}{path}")
        assert (response.status, page.url) == (200, f"{live_server.url}{path}")
        page.screenshot(path=screenshot_dir / name)
        if os.environ.get("UPDATE_SCREENSHOTS"):
            FOLDER.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(screenshot_dir / name, FOLDER / name)
