import datetime

import icalendar
from django.contrib.messages import get_messages
from django.urls import reverse

from cohort_site.core.calendar import CalendarEvent
from sessions_app import services
from sessions_app.calendar import calendar_source, calendar_sources, member_calendar
from sessions_app.join_links import join_path
from tests.factories import MemberFactory, SessionFactory, UserFactory

UTC = datetime.UTC


def feed_url(user, token: str | None = None) -> str:
    return reverse(
        "sessions:calendar_feed", kwargs={"user_id": user.pk, "token": token or user.calendar_token}
    )


def test_feed_holds_the_members_sessions_with_stable_uids_and_timezone(
    autumn, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["tuesday"])
    cancelled = autumn["cohort"].sessions.get(number=5)
    services.session_cancel(session=cancelled)
    user = autumn["ada"].user

    response = client.get(feed_url(user))

    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    sessions = list(autumn["cohort"].sessions.order_by("number"))
    assert [
        (str(e["UID"]), e["SEQUENCE"], str(e["STATUS"]), e.decoded("DTSTART").astimezone(UTC))
        for e in calendar.walk("VEVENT")
    ] == [
        (
            f"session-{s.pk}@127.0.0.1",
            s.sequence,
            "CANCELLED" if s.number == 5 else "CONFIRMED",
            s.starts_at.astimezone(UTC),
        )
        for s in sessions
    ]


def test_feed_of_someone_in_no_cohort_is_empty_but_valid(client, db):
    user = UserFactory()
    SessionFactory()

    response = client.get(feed_url(user))

    assert response.status_code == 200
    assert list(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == []


def test_each_feed_shows_only_its_owners_sessions(client, db):
    mine = SessionFactory()
    theirs = SessionFactory()
    me = MemberFactory(cohort=mine.cohort).user
    MemberFactory(cohort=theirs.cohort)

    calendar = icalendar.Calendar.from_ical(client.get(feed_url(me)).content)

    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"session-{mine.pk}@127.0.0.1"]


def test_unknown_token_gives_404(client, db):
    MemberFactory()

    response = client.get(feed_url(MemberFactory().user, token="not-a-real-token"))

    assert response.status_code == 404


def test_another_members_token_gives_404(client, db):
    session = SessionFactory()
    me = MemberFactory(cohort=session.cohort).user
    other = MemberFactory(cohort=session.cohort).user

    response = client.get(feed_url(me, token=other.calendar_token))

    assert response.status_code == 404


def test_a_reset_token_gives_404_and_the_new_one_works(client, db):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    old_url = feed_url(member)

    services.calendar_token_reset(user=member)

    assert (client.get(old_url).status_code, client.get(feed_url(member)).status_code) == (404, 200)


def test_reset_from_the_schedule_page_kills_the_old_address(client, db):
    member = MemberFactory()
    user = member.user
    old_url, old_join = feed_url(user), join_path(member)
    client.force_login(user)

    response = client.post(reverse("sessions:calendar_reset"))

    user.refresh_from_db()
    member.user = user
    assert (response.status_code, response["Location"]) == (302, reverse("sessions:my_schedule"))
    assert (client.get(old_url).status_code, client.get(feed_url(user)).status_code) == (404, 200)
    # The join link is bound to the feed's secret: the old one stops working too, and the page says so.
    assert (client.get(old_join).status_code, client.get(join_path(member)).status_code) == (404, 200)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your calendar feed has a new address; the old one no longer works. Subscribe again with the new one. "
        "Your join link has changed with it: use the one on your schedule (emails from now on carry it)."
    ]


def test_inactive_users_feed_gives_404(client, db):
    user = MemberFactory(user__is_active=False).user

    assert client.get(feed_url(user)).status_code == 404


def test_other_apps_add_events_through_a_source(db):
    user = UserFactory()
    start = datetime.datetime(2021, 8, 12, 12, 0, tzinfo=UTC)

    @calendar_source("test-catch-ups")
    def catch_ups(for_user):
        if for_user == user:
            return [
                CalendarEvent(
                    uid="catch-up-1@test",
                    summary="Coffee catch-up window",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(days=5),
                )
            ]
        return []

    try:
        calendar = icalendar.Calendar.from_ical(member_calendar(user))
    finally:
        from sessions_app import calendar as calendar_module

        calendar_module._SOURCES.pop("test-catch-ups")

    assert [(str(e["UID"]), str(e["SUMMARY"])) for e in calendar.walk("VEVENT")] == [
        ("catch-up-1@test", "Coffee catch-up window")
    ]
    assert sorted(calendar_sources()) == ["coffee", "sessions"]
