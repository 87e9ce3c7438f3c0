"""A programme's own questions in Chromium (issue 20): an applicant answers them by their labels, a required one
left unanswered is reached from the error summary, and what she typed is still there; axe finds nothing serious."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from applications.enums import QuestionKind, QuestionSection
from applications.models import Application
from tests.browser.forms import fill_application
from tests.factories import CandidateTimeFactory, ProgrammeFactory, QuestionFactory


def serious_axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
def test_an_applicant_answers_the_programmes_own_questions_by_their_labels(
    live_server, page, screenshot_dir, transactional_db
):
    programme = ProgrammeFactory(slug="relationships", min_available_times=1)
    CandidateTimeFactory(programme=programme, weekday=0, start_time=datetime.time(10))
    work = QuestionFactory(
        programme=programme,
        kind=QuestionKind.SEVERAL_CHOICES,
        label="Which of these do you run?",
        choices="Befriending\nFood bank\nYouth work",
        required=True,
        section=QuestionSection.WORK,
    )
    QuestionFactory(
        programme=programme, kind=QuestionKind.YES_NO, label="Have you been in a group like this before?"
    )
    QuestionFactory(programme=programme, kind=QuestionKind.DATE, label="When could you start?")
    QuestionFactory(
        programme=programme,
        kind=QuestionKind.LONG_TEXT,
        label="Tell us about your neighbourhood",
        hint="A few lines.",
        max_length=300,
    )
    QuestionFactory(programme=programme, label="An old question", hidden=True)

    page.goto(f"{live_server.url}/programmes/relationships/apply/")
    assert page.get_by_text("An old question").count() == 0
    fill_application(page, name="Ben Okafor", email="ben@example.org", times={"Monday 10:00–12:00": "Yes"})
    page.get_by_role("group", name="Have you been in a group like this before?").get_by_label("No").check()
    page.get_by_label("When could you start?").fill("2030-09-06")
    page.get_by_label("Tell us about your neighbourhood").fill("Terraced streets by the canal.")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()

    assert page.title().startswith("Error: ")
    assert (
        page.get_by_label("Tell us about your neighbourhood").input_value()
        == "Terraced streets by the canal."
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")
    page.screenshot(path=screenshot_dir / "own-question-error.png", full_page=True)
    assert focused == f"id_question_{work.pk}_0"
    assert serious_axe_violations(page) == []

    group = page.get_by_role("group", name="Which of these do you run?")
    group.get_by_label("Befriending").check()
    group.get_by_label("Youth work").check()
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Thank you for applying"
    application = Application.objects.get()
    assert list(application.question_answers.values_list("question__label", "text")) == [
        ("Which of these do you run?", "Befriending\nYouth work"),
        ("Have you been in a group like this before?", "no"),
        ("When could you start?", "2030-09-06"),
        ("Tell us about your neighbourhood", "Terraced streets by the canal."),
    ]
