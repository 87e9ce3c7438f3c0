"""The programme report in Chromium: it reads cleanly (axe), keeps the strict CSP, and prints to a PDF without
the site's navigation or buttons (static/css/report.css)."""

import pytest
import time_machine

from tests.browser.test_dashboards import serious_axe_violations, watch_console
from tests.browser.test_learning_pages import sign_in
from tests.dashboards.test_report import build_report_world
from tests.factories import StaffFactory


@pytest.mark.browser
def test_the_report_opens_reads_cleanly_and_prints(live_server, page, screenshot_dir, transactional_db):
    report_world = build_report_world()
    problems = watch_console(page)

    with time_machine.travel(report_world.now, tick=True):
        sign_in(page, live_server, StaffFactory())
        response = page.goto(f"{live_server.url}/staff/programmes/{report_world.programme.slug}/report/")
        page.screenshot(path=screenshot_dir / "programme-report.png", full_page=True)

        assert response.status == 200
        assert page.locator("h1").inner_text() == report_world.programme.title
        assert page.locator(".programme-report h2").all_inner_texts() == [
            "Who took part",
            "Attendance",
            "Coffee pairs",
            "Connections in each group",
            "From interest to the follow-up",
            "What changed",
            "Learning shared with the network",
        ]
        assert page.locator("svg.network").count() == 2  # the group before and after
        assert serious_axe_violations(page) == []

        page.emulate_media(media="print")
        hidden = [
            page.locator(selector).first.is_visible() for selector in ("nav", ".report-actions", "footer")
        ]
        pdf = page.pdf(path=str(screenshot_dir / "programme-report.pdf"), format="A4")
    assert hidden == [False, False, False]
    assert pdf.startswith(b"%PDF-")
    assert problems == []
