"""The learning pages in Chromium: they render, break no CSP rule and pass axe; screenshots to look at."""

from datetime import timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from learning import services
from learning.enums import EntryKind, QuestionKind, Visibility
from sessions_app.enums import AttendanceStatus
from tests.factories import (
    AttendanceFactory,
    CohortFactory,
    EntryFactory,
    MemberFactory,
    SessionFactory,
    SessionFeedbackFactory,
    StaffFactory,
    TopicFactory,
)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page, url, screenshot):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    response = page.goto(url)
    page.screenshot(path=screenshot, full_page=True)
    violations = Axe().run(page).response["violations"]
    return response.status, problems, [v["id"] for v in violations]


@pytest.mark.browser
def test_learning_pages_render_cleanly(live_server, page, screenshot_dir, transactional_db):
    cohort = CohortFactory(name="Group 1")
    ada = MemberFactory(cohort=cohort, name="Ada Lovelace", hopes="To bring new ideas to our volunteers.")
    ben = MemberFactory(cohort=cohort, name="Ben Okri")
    manager = StaffFactory(name="Zoë Cumberland")
    sessions = [SessionFactory(cohort=cohort, number=n, topic=f"Topic {n}") for n in (1, 6)]
    for member in (ada, ben):
        AttendanceFactory(session=sessions[0], member=member, status=AttendanceStatus.ATTENDED)
    SessionFeedbackFactory(session=sessions[0], member=ada, rating=5, what_worked="Pairs")
    SessionFeedbackFactory(session=sessions[0], member=ben, rating=3, what_to_change="Longer breaks")
    topic = TopicFactory(name="Volunteers")
    entry = services.entry_create(
        cohort=cohort,
        created_by=ada.user,
        kind=EntryKind.BLOG,
        title="What a walking group taught us",
        body="## Start small\n\nWe began with **three** people and a flask of tea.\n\n- Meet weekly\n- Same place",
        topic_names=["Volunteers", "Walking"],
        authors=[ben.user],
    )
    services.entry_publish(entry=entry, by=ada.user)
    services.entry_sharing_request(entry=entry, by=ada.user, audience=Visibility.PUBLIC)
    public = EntryFactory(cohort=cohort, visibility=Visibility.PUBLIC, title="Questions for the network")
    public.topics.add(topic)
    services.reading_list_seed(programme=cohort.programme)
    [_, evaluation] = services.surveys_ensure_defaults(programme=cohort.programme)
    rating, text = (
        evaluation.questions.filter(kind=kind).first() for kind in (QuestionKind.RATING, QuestionKind.TEXT)
    )
    services.survey_response_save(
        survey=evaluation, member=ada, answers={rating.pk: 4, text.pk: "Two volunteers now run it."}
    )
    base = live_server.url

    with time_machine.travel(sessions[1].ends_at + timedelta(hours=1), tick=True):
        results = {"public_library": visit(page, f"{base}/learning/", screenshot_dir / "public_library.png")}
        sign_in(page, live_server, ada.user)
        results["member_library"] = visit(page, f"{base}/learning/", screenshot_dir / "member_library.png")
        results["entry"] = visit(page, f"{base}/learning/entries/{entry.pk}/", screenshot_dir / "entry.png")
        results["new_entry"] = visit(page, f"{base}/learning/entries/new/", screenshot_dir / "new_entry.png")
        results["reading"] = visit(page, f"{base}/learning/reading/", screenshot_dir / "reading.png")
        results["feedback"] = visit(
            page, f"{base}/learning/feedback/sessions/{sessions[0].pk}/", screenshot_dir / "feedback.png"
        )
        results["evaluation"] = visit(
            page, f"{base}/learning/surveys/{evaluation.pk}/", screenshot_dir / "evaluation.png"
        )
        page.context.clear_cookies()
        sign_in(page, live_server, ben.user)
        # Ben co-wrote the entry Ada proposed to share: his dashboard asks for his consent.
        results["co_author_dashboard"] = visit(
            page, f"{base}/me/", screenshot_dir / "co_author_dashboard.png"
        )
        assert (
            page.get_by_role(
                "link", name="Say whether “What a walking group taught us” may be shared"
            ).count()
            == 1
        )
        page.context.clear_cookies()
        sign_in(page, live_server, manager)
        results["manage"] = visit(page, f"{base}/learning/manage/", screenshot_dir / "manage.png")
        results["results"] = visit(
            page,
            f"{base}/learning/manage/programmes/{cohort.programme.slug}/",
            screenshot_dir / "results.png",
        )
        results["session_results"] = visit(
            page, f"{base}/learning/manage/sessions/{sessions[0].pk}/", screenshot_dir / "session_results.png"
        )
        results["survey_results"] = visit(
            page, f"{base}/learning/manage/surveys/{evaluation.pk}/", screenshot_dir / "survey_results.png"
        )
        results["survey_edit"] = visit(
            page, f"{base}/learning/manage/surveys/{evaluation.pk}/edit/", screenshot_dir / "survey_edit.png"
        )

    assert results == dict.fromkeys(results, (200, [], []))
