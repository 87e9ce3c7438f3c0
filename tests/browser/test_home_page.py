import pytest

from tests.factories import ProgrammeFactory


@pytest.mark.browser
def test_home_page_shows_programme_title_in_chromium(live_server, page, screenshot_dir, transactional_db):
    ProgrammeFactory(title="Relationships and connections at the heart of our work")

    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text() == "Relationships and connections at the heart of our work"
    assert (
        page.title()
        == "Relationships and connections at the heart of our work · Connection Coalition cohorts"
    )
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)
    assert (screenshot_dir / "home.png").stat().st_size > 10_000
