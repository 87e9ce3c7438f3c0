import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cohort_site.mail.models import OutgoingEmail
from sessions_app import services
from sessions_app.enums import AttendanceStatus, SessionKind, SessionStatus
from sessions_app.join_links import join_url
from sessions_app.models import Attendance, CohortSchedule, Guest, Session
from tests.factories import MemberFactory, StaffFactory

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def confirm(autumn, capture, **kwargs):
    with capture(execute=True):
        return services.schedule_confirm(
            cohort=autumn["cohort"],
            candidate_time=autumn["tuesday"],
            by=StaffFactory(),
            join_url="https://meet.example.org/group-1",
            **kwargs,
        )


def ics_of(message) -> icalendar.Calendar:
    [(filename, content, mimetype)] = message.attachments
    calendar = icalendar.Calendar.from_ical(content)
    method = calendar["METHOD"]
    assert (filename, mimetype) == (
        "cancel.ics" if method == "CANCEL" else "invite.ics",
        f"text/calendar; method={method}",
    )
    return calendar


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_confirm_creates_six_sessions_at_the_same_local_time_across_the_clock_change(
    autumn, django_capture_on_commit_callbacks
):
    schedule = confirm(autumn, django_capture_on_commit_callbacks)

    sessions = list(Session.objects.filter(cohort=autumn["cohort"]).order_by("number"))
    assert [(s.number, s.kind) for s in sessions] == [
        (1, SessionKind.ORIENTATION),
        (2, SessionKind.SESSION),
        (3, SessionKind.SESSION),
        (4, SessionKind.SESSION),
        (5, SessionKind.SESSION),
        (6, SessionKind.REVIEW),
    ]
    assert [f"{s.starts_at.astimezone(LONDON):%a %d %b %H:%M}" for s in sessions] == [
        "Tue 19 Oct 14:00",
        "Tue 26 Oct 14:00",
        "Tue 02 Nov 14:00",
        "Tue 09 Nov 14:00",
        "Tue 16 Nov 14:00",
        "Tue 23 Nov 14:00",
    ]
    assert [
        f"{s.starts_at.astimezone(UTC):%d %H:%M}–{s.ends_at.astimezone(UTC):%H:%M}" for s in sessions
    ] == [
        "19 13:00–15:00",
        "26 13:00–15:00",
        "02 14:00–16:00",
        "09 14:00–16:00",
        "16 14:00–16:00",
        "23 14:00–16:00",
    ]
    assert {s.join_url for s in sessions} == {"https://meet.example.org/group-1"}
    assert (schedule.weekday, schedule.start_time) == (1, datetime.time(14, 0))


def test_confirm_invites_each_member_once_with_an_ics_whose_instants_parse_back_right(
    autumn, django_capture_on_commit_callbacks
):
    confirm(autumn, django_capture_on_commit_callbacks)

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", "Your sessions: Relationships at the heart of our work"),
        ("bo@example.org", "Your sessions: Relationships at the heart of our work"),
    ]
    ada_message = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    calendar = ics_of(ada_message)
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    sessions = list(Session.objects.filter(cohort=autumn["cohort"]).order_by("number"))
    assert [
        (str(e["UID"]), e["SEQUENCE"], e["DTSTART"].params["TZID"], e.decoded("DTSTART").astimezone(UTC))
        for e in events(calendar)
    ] == [(f"session-{s.pk}@127.0.0.1", 0, "Europe/London", s.starts_at.astimezone(UTC)) for s in sessions]
    assert [e.decoded("DTSTART").astimezone(UTC) for e in events(calendar)] == [
        datetime.datetime(2021, 10, 19, 13, 0, tzinfo=UTC),
        datetime.datetime(2021, 10, 26, 13, 0, tzinfo=UTC),
        datetime.datetime(2021, 11, 2, 14, 0, tzinfo=UTC),
        datetime.datetime(2021, 11, 9, 14, 0, tzinfo=UTC),
        datetime.datetime(2021, 11, 16, 14, 0, tzinfo=UTC),
        datetime.datetime(2021, 11, 23, 14, 0, tzinfo=UTC),
    ]
    assert "DTSTART;TZID=Europe/London:20211102T140000" in str(ada_message.attachments[0][1])
    # Bo reads times in his own zone (New York): 10:00 before both clock changes, 09:00 in between.
    bo_message = next(m for m in mail.outbox if m.to == ["bo@example.org"])
    assert "Tuesday 19 October 2021, 09:00–11:00 (US Eastern time)" in bo_message.body
    assert "Tuesday 2 November 2021, 10:00–12:00 (US Eastern time)" in bo_message.body


def test_invite_says_a_join_link_shared_by_every_session_once(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)

    body = next(m for m in mail.outbox if m.to == ["ada@example.org"]).body

    # The member's own join link stands for the video link, which the email does not carry.
    assert body.count(join_url(autumn["ada"])) == 1
    assert "https://meet.example.org/group-1" not in body
    assert (
        "The join link is the same for every session. It opens 15 minutes before each one starts and takes you "
        "straight in; outside those times it shows your next session.\n"
        f"Join the session: {join_url(autumn['ada'])}\n"
    ) in body


def test_invite_gives_a_member_one_join_link_even_when_the_video_links_differ(
    autumn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(cohort=autumn["cohort"], candidate_time=autumn["tuesday"])
        first = Session.objects.get(cohort=autumn["cohort"], number=1)
        Session.objects.filter(pk=first.pk).update(join_url="https://meet.example.org/welcome")
        Session.objects.exclude(pk=first.pk).update(join_url="https://meet.example.org/group-1")
        mail.outbox.clear()
        OutgoingEmail.objects.all().delete()
        services.schedule_invites_send(cohort=autumn["cohort"])

    body = next(m for m in mail.outbox if m.to == ["ada@example.org"]).body

    assert body.count(f"Join the session: {join_url(autumn['ada'])}") == 1
    assert body.count("meet.example.org") == 0


def test_confirm_twice_is_refused_and_sends_nothing_more(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError) as error:
        confirm(autumn, django_capture_on_commit_callbacks)

    assert error.value.messages == ["This group's time is already confirmed."]
    assert (CohortSchedule.objects.count(), Session.objects.count(), len(mail.outbox)) == (1, 6, 2)


def test_confirm_refuses_another_programmes_time(autumn, django_capture_on_commit_callbacks):
    from tests.factories import CandidateTimeFactory

    other = CandidateTimeFactory()

    with pytest.raises(ValidationError) as error:
        services.schedule_confirm(cohort=autumn["cohort"], candidate_time=other)

    assert error.value.message_dict == {"candidate_time": ["That time is not one this programme offered."]}
    assert Session.objects.count() == 0


def test_invites_reach_a_member_who_joined_late_only(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    MemberFactory(cohort=autumn["cohort"], name="Cy Twombly", email="cy@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.schedule_invites_send(cohort=autumn["cohort"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.schedule_invites_send(cohort=autumn["cohort"]) == 0

    assert [m.to for m in mail.outbox[2:]] == [["cy@example.org"]]


def test_moving_a_session_bumps_sequence_and_emails_an_update_once(
    autumn, django_capture_on_commit_callbacks
):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=3)
    mail.outbox.clear()
    new_start = datetime.datetime(2021, 11, 4, 10, 0, tzinfo=LONDON)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=session, starts_at=new_start)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=session, starts_at=new_start)  # a double submit

    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.sequence) == (
        new_start,
        datetime.datetime(2021, 11, 4, 12, 0, tzinfo=LONDON),
        1,
    )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", "Updated: Session 3, Thursday 4 November"),
        ("bo@example.org", "Updated: Session 3, Thursday 4 November"),
    ]
    calendar = ics_of(mail.outbox[0])
    [event] = events(calendar)
    assert (
        calendar["METHOD"],
        str(event["UID"]),
        event["SEQUENCE"],
        event.decoded("DTSTART").astimezone(UTC),
    ) == (
        "REQUEST",
        f"session-{session.pk}@127.0.0.1",
        1,
        datetime.datetime(2021, 11, 4, 10, 0, tzinfo=UTC),
    )
    assert OutgoingEmail.objects.filter(kind="session-update").count() == 2


def test_moving_again_sends_a_second_update_with_a_higher_sequence(
    autumn, django_capture_on_commit_callbacks
):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=session, starts_at=datetime.datetime(2021, 11, 4, 10, 0, tzinfo=LONDON))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=session, starts_at=datetime.datetime(2021, 11, 5, 10, 0, tzinfo=LONDON))

    assert [events(ics_of(m))[0]["SEQUENCE"] for m in mail.outbox if m.to == ["ada@example.org"]] == [1, 2]


def test_moving_into_the_past_or_a_cancelled_session_is_refused(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=2)

    with pytest.raises(ValidationError) as past:
        services.session_move(session=session, starts_at=datetime.datetime(2021, 9, 1, 10, 0, tzinfo=UTC))
    services.session_cancel(session=session)
    with pytest.raises(ValidationError) as cancelled:
        services.session_move(session=session, starts_at=datetime.datetime(2021, 11, 1, 10, 0, tzinfo=UTC))

    assert past.value.message_dict == {"starts_at": ["Choose a time in the future."]}
    assert cancelled.value.messages == ["A cancelled session cannot be moved."]


def test_cancelling_bumps_sequence_and_emails_a_cancel_once(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=4)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, reason="Too many people away.")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, reason="Too many people away.")

    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", "Cancelled: Session 4, Tuesday 9 November"),
        ("bo@example.org", "Cancelled: Session 4, Tuesday 9 November"),
    ]
    calendar = ics_of(mail.outbox[0])
    [event] = events(calendar)
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"], str(event["UID"])) == (
        "CANCEL",
        "CANCELLED",
        1,
        f"session-{session.pk}@127.0.0.1",
    )
    assert "Too many people away." in mail.outbox[0].body


def test_changing_calendar_details_sends_an_update_but_notes_alone_do_not(
    autumn, django_capture_on_commit_callbacks
):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, manager_notes="Ask Ada to open.")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, topic="Volunteers", join_url="https://meet.example.org/new")

    session.refresh_from_db()
    assert (session.topic, session.join_url, session.manager_notes, session.sequence) == (
        "Volunteers",
        "https://meet.example.org/new",
        "Ask Ada to open.",
        1,
    )
    assert sorted(m.subject for m in mail.outbox) == [
        "Updated: Session 2: Volunteers, Tuesday 26 October",
        "Updated: Session 2: Volunteers, Tuesday 26 October",
    ]
    ada = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    # Her join link is unchanged and now leads to the new video link; her calendar is updated in place.
    assert (
        f"Join the session: {join_url(autumn['ada'])}\n\nTopic: Volunteers\n\n"
        "Your join link stays the same: it always takes you to the session's current video call.\n"
    ) in ada.body
    event = icalendar.Calendar.from_ical(ada.attachments[0][1]).walk("VEVENT")[0]
    assert (event["SEQUENCE"], str(event["URL"]), str(event["LOCATION"])) == (
        1,
        join_url(autumn["ada"]),
        join_url(autumn["ada"]),
    )


def test_adding_a_session_after_the_review_numbers_it_next_and_invites(
    autumn, django_capture_on_commit_callbacks
):
    confirm(autumn, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_add(
            cohort=autumn["cohort"],
            starts_at=datetime.datetime(2021, 11, 30, 14, 0, tzinfo=LONDON),
            topic="Next steps",
            join_url="https://meet.example.org/group-1",
        )

    assert (session.number, session.kind, session.ends_at) == (
        7,
        SessionKind.SESSION,
        datetime.datetime(2021, 11, 30, 16, 0, tzinfo=LONDON),
    )
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", "New session: Session 7: Next steps, Tuesday 30 November"),
        ("bo@example.org", "New session: Session 7: Next steps, Tuesday 30 November"),
    ]
    assert "A session has been added." in mail.outbox[0].body


def test_guest_gets_that_sessions_invite_and_join_link_only(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        guest = services.guest_invite(
            session=session, name="Dee Expert", email="dee@example.com", topic="Loneliness research"
        )

    assert list(session.guests.values_list("name", "topic")) == [("Dee Expert", "Loneliness research")]
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["dee@example.com"],
        "Invitation: Relationships at the heart of our work, Tuesday 2 November",
    )
    assert "Join the session: https://meet.example.org/group-1" in message.body
    assert "my_schedule" not in message.body and "/schedule/" not in message.body
    calendar = ics_of(message)
    assert [str(e["UID"]) for e in events(calendar)] == [f"session-{session.pk}@127.0.0.1"]
    [event] = events(calendar)
    assert (str(event["ATTENDEE"]), str(event["ATTENDEE"].params["CN"])) == (
        "mailto:dee@example.com",
        "Dee Expert",
    )
    assert str(event["ORGANIZER"]) == "mailto:zoe@example.org"
    assert "/schedule/" not in str(event["DESCRIPTION"])

    # The guest hears when their session moves, and of no other session.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(session=session, starts_at=datetime.datetime(2021, 11, 3, 14, 0, tzinfo=LONDON))
        services.session_cancel(session=Session.objects.get(cohort=autumn["cohort"], number=4))
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("ada@example.org", "Cancelled"),
        ("ada@example.org", "Updated"),
        ("bo@example.org", "Cancelled"),
        ("bo@example.org", "Updated"),
        ("dee@example.com", "Updated"),
    ]
    assert guest.pk is not None


def test_inviting_the_same_guest_twice_is_refused(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=3)
    services.guest_invite(session=session, name="Dee", email="dee@example.com")

    with pytest.raises(ValidationError) as error:
        services.guest_invite(session=session, name="Dee", email="DEE@example.com")

    assert error.value.message_dict == {"email": ["This person is already invited to this session."]}
    assert Guest.objects.count() == 1


def test_withdrawing_a_guest_sends_them_a_cancel(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=3)
    guest = services.guest_invite(session=session, name="Dee", email="dee@example.com")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.guest_remove(guest=guest)

    [message] = mail.outbox
    assert (message.to, ics_of(message)["METHOD"], Guest.objects.count()) == (
        ["dee@example.com"],
        "CANCEL",
        0,
    )


def test_apologies_before_a_session_and_attendance_after(autumn, on, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=1)
    ada, bo = autumn["ada"], autumn["bo"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.apologies_send(session=session, member=bo, note="Trustees' meeting")
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, statuses={ada.pk: AttendanceStatus.ATTENDED})

    on(2021, 10, 19, 13, 30)
    with pytest.raises(ValidationError) as late:
        services.apologies_send(session=session, member=ada)
    staff = StaffFactory()
    services.attendance_record(
        session=session,
        statuses={ada.pk: AttendanceStatus.ATTENDED, bo.pk: AttendanceStatus.ABSENT},
        by=staff,
    )

    assert late.value.messages == ["Apologies can be sent only before a session that is going ahead."]
    assert sorted(
        Attendance.objects.values_list("member__name", "status", "note", "apologised_at", "recorded_by")
    ) == [
        ("Ada Lovelace", AttendanceStatus.ATTENDED, "", None, staff.pk),
        (
            "Bo Diddley",
            AttendanceStatus.ABSENT,
            "Trustees' meeting",
            datetime.datetime(2021, 10, 1, 9, 0, tzinfo=UTC),
            staff.pk,
        ),
    ]
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["zoe@example.org"],
        "Apologies from Bo Diddley: Session 1 (orientation)",
    )


def test_withdrawing_apologies_removes_them(autumn, django_capture_on_commit_callbacks):
    confirm(autumn, django_capture_on_commit_callbacks)
    session = Session.objects.get(cohort=autumn["cohort"], number=2)
    services.apologies_send(session=session, member=autumn["bo"])

    services.apologies_withdraw(session=session, member=autumn["bo"])

    assert Attendance.objects.count() == 0


def test_calendar_token_reset_gives_a_new_token(autumn):
    user = autumn["ada"].user
    old = user.calendar_token

    new = services.calendar_token_reset(user=user)

    user.refresh_from_db()
    assert (user.calendar_token == new, new != old, len(new) >= 40) == (True, True, True)
