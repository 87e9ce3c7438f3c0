"""The Django admin pages the manager uses to set up a programme, in Chromium: every widget has a label (the split
date and time inputs and the weekday selects of the inlines had none), and axe finds nothing serious or
critical on the programme's add and change pages, a group's change page, and the list and change pages of
applications."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.browser.world_pages import sign_in_as
from tests.factories import (
    ApplicationFactory,
    CandidateTimeFactory,
    CohortFactory,
    DropInFactory,
    ProgrammeFactory,
    StaffFactory,
)


def serious_axe_violations(page) -> list[tuple[str, list[str]]]:
    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], [" ".join(node["target"]) for node in v["nodes"]])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def unlabelled_controls(page) -> list[str]:
    """The visible inputs and selects with no accessible name (what a screen reader would read as "edit text")."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                     "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")]
                 .filter(el => el.offsetParent !== null)
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                               && !el.getAttribute("aria-labelledby") && !el.title)
                 .map(el => el.name || el.id || el.outerHTML)"""
    )


@pytest.mark.browser
def test_admin_pages_for_setting_up_a_programme_are_labelled_and_axe_clean(
    live_server, page, screenshot_dir, transactional_db
):
    programme = ProgrammeFactory(title="Relationships at the heart of our work")
    DropInFactory(programme=programme)
    CandidateTimeFactory(programme=programme)
    cohort = CohortFactory(programme=programme)
    application = ApplicationFactory(programme=programme)
    sign_in_as(page, live_server.url, StaffFactory(is_superuser=True))
    pages = {
        "programme-add": reverse("admin:applications_programme_add"),
        "programme-change": reverse("admin:applications_programme_change", args=[programme.pk]),
        "cohort-change": reverse("admin:applications_cohort_change", args=[cohort.pk]),
        "application-list": reverse("admin:applications_application_changelist"),
        "application-change": reverse("admin:applications_application_change", args=[application.pk]),
    }

    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
        found[name] = (unlabelled_controls(page), serious_axe_violations(page))

    assert found == {name: ([], []) for name in pages}
