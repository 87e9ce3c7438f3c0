"""Topics from the group in Chromium, strict CSP on: a member reaches a topic's vote button with the Tab key and
votes with Enter; the manager gives the top topic to a session, which updates its calendar entry in place."""

import pytest
from django.conf import settings
from django.test import Client

from cohort_site.mail.models import OutgoingEmail
from sessions_app.models import Session, TopicVote
from sessions_app.topics import services
from tests.factories import CohortFactory, MemberFactory, SessionFactory, StaffFactory


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def tab_to(page, name: str, described_by: str, presses: int = 80) -> None:
    """Press Tab until the focused element is the button `name` described by the element `described_by`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => [document.activeElement.textContent.trim(),"
            " document.activeElement.getAttribute('aria-describedby')]"
        )
        if focused == [name, described_by]:
            return
    raise AssertionError(f"{name} for {described_by} was never reached with the Tab key")


@pytest.mark.browser
def test_member_votes_by_keyboard_and_the_manager_gives_the_top_topic_to_a_session(
    live_server, page, screenshot_dir, transactional_db
):
    cohort = CohortFactory(name="Group 1")
    sessions = [SessionFactory(cohort=cohort, number=n) for n in (1, 2)]
    ada = MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
    bo = MemberFactory(cohort=cohort, name="Bo Diddley", email="bo@example.org")
    services.topic_propose(cohort=cohort, member=bo, title="Funding")
    volunteers = services.topic_propose(cohort=cohort, member=bo, title="Keeping volunteers")
    services.topic_vote(topic=volunteers, member=bo)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    sign_in(page, live_server, ada.user)
    page.goto(f"{live_server.url}/schedule/groups/{cohort.pk}/topics/")
    tab_to(page, "Vote for this topic", f"topic-{volunteers.pk}-title")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "topics-member.png", full_page=True)

    assert page.locator(f"#topic-{volunteers.pk} .badge").inner_text() == "You voted for this"
    assert page.get_by_text("You have 2 votes left.").count() == 1
    assert list(TopicVote.objects.order_by("member__name").values_list("topic__title", "member__name")) == [
        ("Keeping volunteers", "Ada Lovelace"),
        ("Keeping volunteers", "Bo Diddley"),
    ]

    sign_in(page, live_server, StaffFactory())
    page.goto(f"{live_server.url}/staff/schedule/cohorts/{cohort.pk}/topics/")
    top = page.locator("ol.list-group > li").first
    assert top.locator("strong").first.inner_text() == "Keeping volunteers"
    top.get_by_label("Give it to").select_option(str(sessions[1].pk))
    top.get_by_role("button", name="Give the topic to this session").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "topics-manager.png", full_page=True)

    second = Session.objects.get(pk=sessions[1].pk)
    assert (second.topic, second.sequence) == ("Keeping volunteers", 1)
    assert sorted(OutgoingEmail.objects.filter(kind="session-update").values_list("to", flat=True)) == [
        "ada@example.org",
        "bo@example.org",
    ]
    assert page.locator("ol.list-group > li strong").all_inner_texts() == ["Funding"]
    assert errors == []
