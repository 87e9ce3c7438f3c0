"""The schedule pages in Chromium: the manager's heatmap and ranking, and a member's schedule. Strict CSP on."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.test import Client

from applications.enums import AvailabilityAnswer
from cohort_site.mail.models import OutgoingEmail
from sessions_app import services
from sessions_app.join_links import join_path
from sessions_app.models import Session
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    ProgrammeFactory,
    StaffFactory,
)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def programme_with_answers():
    programme = ProgrammeFactory(title="Relationships at the heart of our work")
    cohort = CohortFactory(programme=programme, name="Group 1")
    times = [
        CandidateTimeFactory(programme=programme, weekday=day, start_time=datetime.time(hour, 0))
        for day in (0, 1, 3)
        for hour in (10, 14)
    ]
    pattern = ["yes", "if_need_be", "no", "yes", "yes", "no"]
    members = []
    for n in range(8):
        member = MemberFactory(cohort=cohort)
        members.append(member)
        for index, slot in enumerate(times):
            answer = pattern[(index + n) % len(pattern)] if index != 3 or n < 6 else "no"
            AvailabilityFactory(application=member, candidate_time=slot, answer=AvailabilityAnswer(answer))
    return programme, cohort, times, members


@pytest.mark.browser
def test_manager_sees_heatmap_and_confirms_the_top_time(live_server, page, screenshot_dir, transactional_db):
    _, cohort, _, _ = programme_with_answers()
    sign_in(page, live_server, StaffFactory())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/staff/schedule/cohorts/{cohort.pk}/")
    page.screenshot(path=screenshot_dir / "ranking.png", full_page=True)

    assert page.locator(".heatmap tbody tr").count() == 2
    assert page.locator(".heat-top").count() == 1
    checked = page.locator("input[name=candidate_time]:checked")
    assert checked.count() == 1
    page.get_by_label("Join link").fill("https://meet.example.org/group-1")
    page.get_by_role("button", name="Show the dates").click()
    page.get_by_role("button", name="Confirm these dates and send invites").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "sessions.png", full_page=True)

    assert page.locator("table tbody tr").count() == 6
    page.get_by_role("link", name="Session 3").click()
    page.wait_for_load_state()
    page.screenshot(path=screenshot_dir / "session.png", full_page=True)
    assert page.locator("h1").inner_text() == "Session 3"
    assert errors == []


@pytest.mark.browser
def test_member_sees_next_session_first(live_server, page, screenshot_dir, transactional_db):
    _, cohort, times, members = programme_with_answers()
    services.schedule_confirm(
        cohort=cohort, candidate_time=times[1], join_url="https://meet.example.org/group-1"
    )
    member = members[0]
    member.user.timezone = "America/New_York"
    member.user.save()
    sign_in(page, live_server, member.user)

    page.goto(f"{live_server.url}/schedule/")
    page.screenshot(path=screenshot_dir / "my-schedule.png", full_page=True)

    assert page.locator(".session-next h3").inner_text() == "Session 1 (orientation)"
    # The member's own join link, which leads to the video call from 15 minutes before.
    assert page.get_by_role("link", name="Join the session").get_attribute("href") == join_path(member)


# --- Issue 15: the dates are previewed first; a confirmed time can be changed ----------------------------


def feed_events(client: Client, user) -> dict[str, tuple[int, str]]:
    """The member's private feed as their calendar app reads it: UID -> (SEQUENCE, local start)."""
    response = client.get(f"/calendar/{user.pk}/{user.calendar_token}.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {
        str(event["UID"]): (event["SEQUENCE"], f"{event.decoded('DTSTART'):%a %d %b %H:%M}")
        for event in calendar.walk("VEVENT")
    }


@pytest.mark.browser
def test_manager_changes_the_weekly_time_after_session_2(live_server, page, screenshot_dir, transactional_db):
    with time_machine.travel(datetime.datetime(2021, 10, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        programme = ProgrammeFactory(
            title="Relationships at the heart of our work",
            applications_open_at=datetime.datetime(2021, 6, 28, 9, 0, tzinfo=datetime.UTC),
            applications_close_at=datetime.datetime(2021, 7, 21, 8, 0, tzinfo=datetime.UTC),
            confirmation_week=datetime.date(2021, 9, 27),
            first_session_week=datetime.date(2021, 10, 18),
        )
        cohort = CohortFactory(programme=programme, name="Group 1")
        tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(14, 0))
        thursday = CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(10, 0))
        members = [
            MemberFactory(cohort=cohort, name=name) for name in ("Ada Lovelace", "Bo Diddley", "Cy Twombly")
        ]
        for member in members:
            AvailabilityFactory(application=member, candidate_time=tuesday, answer=AvailabilityAnswer.YES)
            AvailabilityFactory(application=member, candidate_time=thursday, answer=AvailabilityAnswer.YES)
        services.schedule_confirm(
            cohort=cohort, candidate_time=tuesday, join_url="https://meet.example.org/g1"
        )
    feed_reader = Client()
    before = feed_events(feed_reader, members[0].user)

    # Wednesday 27 October: sessions 1 and 2 (19 and 26 October) are held.
    with time_machine.travel(datetime.datetime(2021, 10, 27, 9, 0, tzinfo=datetime.UTC), tick=True):
        sign_in(page, live_server, StaffFactory())
        page.goto(f"{live_server.url}/staff/schedule/cohorts/{cohort.pk}/")
        page.get_by_role("link", name="Change the weekly time").click()
        page.get_by_label(re.compile(r"Thursday 10:00–12:00")).check()
        page.get_by_role("button", name="Show the new dates").click()
        page.screenshot(path=screenshot_dir / "retime-preview.png", full_page=True)

        rows = page.locator("table.plan tbody tr")
        assert [rows.nth(n).locator("td").nth(0).inner_text() for n in range(rows.count())] == [
            "Session 3",
            "Session 4",
            "Session 5",
            "Session 6",
        ]
        assert rows.nth(0).locator("td").nth(1).inner_text() == (
            "Thursday 28 October 2021, 10:00–12:00\nwas Tuesday 2 November 2021, 14:00"
        )
        assert OutgoingEmail.objects.filter(kind="session-retime").count() == 0

        page.get_by_role("button", name="Confirm the new dates and tell everyone").click()
        page.screenshot(path=screenshot_dir / "retime-done.png", full_page=True)
        assert page.locator(".alert-success").inner_text().strip() == (
            "The weekly time is now Thursday 10:00–12:00: 4 sessions moved, and everyone is sent one email "
            "with the new dates."
        )
        assert page.locator("table tbody tr th a").all_inner_texts() == [f"Session {n}" for n in range(1, 7)]
        after = feed_events(feed_reader, members[0].user)

    assert sorted(OutgoingEmail.objects.filter(kind="session-retime").values_list("to", flat=True)) == sorted(
        m.user.email for m in members
    )
    assert sorted(after) == sorted(before)
    assert sorted(after.values()) == [
        (0, "Tue 19 Oct 14:00"),
        (0, "Tue 26 Oct 14:00"),
        (1, "Thu 04 Nov 10:00"),
        (1, "Thu 11 Nov 10:00"),
        (1, "Thu 18 Nov 10:00"),
        (1, "Thu 28 Oct 10:00"),
    ]


@pytest.mark.browser
def test_a_series_across_a_bank_holiday_is_previewed_with_the_holiday_week_skipped(
    live_server, page, screenshot_dir, transactional_db
):
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0, tzinfo=datetime.UTC), tick=True):
        programme = ProgrammeFactory(
            applications_open_at=datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC),
            applications_close_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC),
            confirmation_week=datetime.date(2027, 3, 1),
            first_session_week=datetime.date(2027, 4, 26),
        )
        cohort = CohortFactory(programme=programme, name="Group 1")
        monday = CandidateTimeFactory(programme=programme, weekday=0, start_time=datetime.time(10, 0))
        member = MemberFactory(cohort=cohort)
        AvailabilityFactory(application=member, candidate_time=monday, answer=AvailabilityAnswer.YES)
        sign_in(page, live_server, StaffFactory())

        page.goto(f"{live_server.url}/staff/schedule/cohorts/{cohort.pk}/")
        page.get_by_label(re.compile(r"Monday 10:00–12:00")).check()
        page.get_by_role("button", name="Show the dates").click()
        page.screenshot(path=screenshot_dir / "series-preview.png", full_page=True)

        def weeks():
            rows = page.locator("table.plan tbody tr")
            return [
                (rows.nth(n).locator("th").inner_text(), rows.nth(n).locator("td").nth(0).inner_text())
                for n in range(rows.count())
            ]

        assert weeks() == [
            ("Mon 26 Apr 2027", "Session 1"),
            ("Mon 3 May 2027", "No session"),
            ("Mon 10 May 2027", "Session 2"),
            ("Mon 17 May 2027", "Session 3"),
            ("Mon 24 May 2027", "Session 4"),
            ("Mon 31 May 2027", "No session"),
            ("Mon 7 Jun 2027", "Session 5"),
            ("Mon 14 Jun 2027", "Session 6"),
        ]
        may_day = page.get_by_label("Hold a session on May Day (3 May) anyway")
        assert may_day.is_checked() is False
        assert (Session.objects.count(), OutgoingEmail.objects.count()) == (0, 0)

        may_day.check()
        page.get_by_role("button", name="Show the dates again with my choices").click()
        page.screenshot(path=screenshot_dir / "series-preview-kept.png", full_page=True)
        assert weeks()[:3] == [
            ("Mon 26 Apr 2027", "Session 1"),
            ("Mon 3 May 2027", "Session 2"),
            ("Mon 10 May 2027", "Session 3"),
        ]

        page.get_by_role("button", name="Confirm these dates and send invites").click()
        page.screenshot(path=screenshot_dir / "series-confirmed.png", full_page=True)

    assert [f"{s.starts_at.astimezone(programme.tz):%d %b}" for s in Session.objects.order_by("number")] == [
        "26 Apr",
        "03 May",
        "10 May",
        "17 May",
        "24 May",
        "07 Jun",
    ]
    assert list(OutgoingEmail.objects.values_list("kind", "to")) == [("session-invite", member.user.email)]


@pytest.mark.browser
def test_join_link_page_and_the_attendance_it_fills_in(live_server, page, screenshot_dir, transactional_db):
    """Outside a session a member's join link shows their next one; during it the manager's attendance form
    starts from who joined through their link."""
    from django.utils import timezone

    from tests.factories import SessionFactory

    now = timezone.now()
    _, cohort, _, members = programme_with_answers()
    on_now = SessionFactory(
        cohort=cohort,
        number=1,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    SessionFactory(cohort=cohort, number=2, starts_at=now + datetime.timedelta(days=7))
    for member in members[:5]:
        services.session_join_record(session=on_now, member=member, now=now - datetime.timedelta(minutes=20))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    # Cancelled for a moment, so the link shows the next session rather than leaving for the video call.
    Session.objects.filter(pk=on_now.pk).update(status="cancelled")
    page.goto(f"{live_server.url}{join_path(members[5])}")
    page.screenshot(path=screenshot_dir / "join-next-session.png", full_page=True)
    assert page.locator("h1").inner_text() == "Your next session"

    Session.objects.filter(pk=on_now.pk).update(status="scheduled")
    sign_in(page, live_server, StaffFactory())
    page.goto(f"{live_server.url}/staff/schedule/sessions/{on_now.pk}/")
    page.screenshot(path=screenshot_dir / "attendance-from-joins.png", full_page=True)
    assert page.locator("input[value=attended]:checked").count() == 5
    assert page.locator("input[value=absent]:checked").count() == 3
    assert errors == []
