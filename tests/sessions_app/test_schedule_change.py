"""Issue 15: the dates are previewed before a time is confirmed (bank holidays skipped unless kept), and a
confirmed weekly time can be changed: the sessions to come move in place and each person is emailed once."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from applications.enums import AvailabilityAnswer, HolidayNation
from cohort_site.mail.models import OutgoingEmail
from pairings.models import Round
from pairings.selectors import shared_times
from pairings.services import pairs_plan
from sessions_app import services
from sessions_app.calendar import member_calendar
from sessions_app.enums import SessionKind, SessionStatus
from sessions_app.models import CohortSchedule, Session
from sessions_app.selectors import member_schedule, schedule_plan
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    GuestFactory,
    MemberFactory,
    ProgrammeFactory,
    StaffFactory,
)

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def local(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(LONDON):%a %d %b %Y %H:%M}"


def events_of(message) -> list:
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("invite.ics", "text/calendar; method=REQUEST")
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


@pytest.fixture
def spring(db):
    """1 April 2027. A group meeting on Mondays at 10:00 from the week of 26 April: May Day (3 May) and the
    Spring bank holiday (31 May) fall in its weeks."""
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9, 0, tzinfo=UTC), tick=False):
        programme = ProgrammeFactory(
            applications_open_at=datetime.datetime(2027, 1, 4, 9, 0, tzinfo=UTC),
            applications_close_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=UTC),
            confirmation_week=datetime.date(2027, 3, 1),
            first_session_week=datetime.date(2027, 4, 26),
        )
        cohort = CohortFactory(programme=programme, number=1, name="Group 1")
        monday = CandidateTimeFactory(programme=programme, weekday=0, start_time=datetime.time(10, 0))
        member = MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
        AvailabilityFactory(application=member, candidate_time=monday, answer=AvailabilityAnswer.YES)
        yield {"programme": programme, "cohort": cohort, "monday": monday, "ada": member}


# --- Previewing and confirming ----------------------------------------------------------------------------


def test_plan_for_a_new_group_skips_bank_holiday_weeks_and_writes_nothing(spring):
    plan = schedule_plan(spring["cohort"], spring["monday"], now=datetime.datetime(2027, 4, 1, 9, tzinfo=UTC))

    assert [
        (
            f"{week.date:%d %b}",
            week.bank_holiday and week.bank_holiday.name,
            week.planned and (week.planned.number, week.planned.kind, local(week.planned.starts_at)),
        )
        for week in plan.weeks
    ] == [
        ("26 Apr", None, (1, SessionKind.ORIENTATION, "Mon 26 Apr 2027 10:00")),
        ("03 May", "May Day", None),
        ("10 May", None, (2, SessionKind.SESSION, "Mon 10 May 2027 10:00")),
        ("17 May", None, (3, SessionKind.SESSION, "Mon 17 May 2027 10:00")),
        ("24 May", None, (4, SessionKind.SESSION, "Mon 24 May 2027 10:00")),
        ("31 May", "Spring Bank Holiday", None),
        ("07 Jun", None, (5, SessionKind.SESSION, "Mon 07 Jun 2027 10:00")),
        ("14 Jun", None, (6, SessionKind.REVIEW, "Mon 14 Jun 2027 10:00")),
    ]
    assert (plan.kept, Session.objects.count(), OutgoingEmail.objects.count()) == ((), 0, 0)


def test_plan_follows_the_programmes_nation(spring):
    programme = spring["programme"]
    programme.first_session_week = spring["cohort"].first_session_week = datetime.date(2027, 7, 26)
    programme.holiday_nation = HolidayNation.SCOTLAND
    programme.save()
    spring["cohort"].save()

    plan = schedule_plan(spring["cohort"], spring["monday"], now=datetime.datetime(2027, 4, 1, 9, tzinfo=UTC))

    # Scotland's summer bank holiday is the first Monday of August; England's (30 August) is a working day there.
    assert [(f"{w.date:%d %b}", w.bank_holiday and w.bank_holiday.name) for w in plan.skipped] == [
        ("02 Aug", "Summer Bank Holiday")
    ]


def test_confirm_creates_what_was_previewed_holding_a_kept_holiday(
    spring, django_capture_on_commit_callbacks
):
    keep = {datetime.date(2027, 5, 3)}
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_confirm(
            cohort=spring["cohort"], candidate_time=spring["monday"], by=StaffFactory(), keep=keep
        )

    assert [(s.number, local(s.starts_at)) for s in Session.objects.order_by("number")] == [
        (1, "Mon 26 Apr 2027 10:00"),
        (2, "Mon 03 May 2027 10:00"),
        (3, "Mon 10 May 2027 10:00"),
        (4, "Mon 17 May 2027 10:00"),
        (5, "Mon 24 May 2027 10:00"),
        (6, "Mon 07 Jun 2027 10:00"),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ada@example.org"], f"Your sessions: {spring['programme'].title}")
    ]


# --- Changing a confirmed time ----------------------------------------------------------------------------


def confirm_tuesdays(autumn, capture):
    with capture(execute=True):
        services.schedule_confirm(
            cohort=autumn["cohort"],
            candidate_time=autumn["tuesday"],
            by=StaffFactory(),
            join_url="https://meet.example.org/group-1",
        )
    mail.outbox.clear()


AFTER_SESSION_2 = datetime.datetime(2021, 10, 27, 9, 0, tzinfo=UTC)  # Wednesday; session 2 was yesterday


def test_retime_after_session_2_moves_the_rest_in_place_and_emails_each_member_once(
    autumn, django_capture_on_commit_callbacks
):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    staff = StaffFactory()

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], by=staff, now=AFTER_SESSION_2
        )

    assert [s.number for s in moved] == [3, 4, 5, 6]
    assert [
        (s.number, s.kind, local(s.starts_at), local(s.ends_at), s.sequence)
        for s in Session.objects.order_by("number")
    ] == [
        (1, SessionKind.ORIENTATION, "Tue 19 Oct 2021 14:00", "Tue 19 Oct 2021 16:00", 0),
        (2, SessionKind.SESSION, "Tue 26 Oct 2021 14:00", "Tue 26 Oct 2021 16:00", 0),
        (3, SessionKind.SESSION, "Thu 28 Oct 2021 10:00", "Thu 28 Oct 2021 12:00", 1),
        (4, SessionKind.SESSION, "Thu 04 Nov 2021 10:00", "Thu 04 Nov 2021 12:00", 1),
        (5, SessionKind.SESSION, "Thu 11 Nov 2021 10:00", "Thu 11 Nov 2021 12:00", 1),
        (6, SessionKind.REVIEW, "Thu 18 Nov 2021 10:00", "Thu 18 Nov 2021 12:00", 1),
    ]
    schedule = CohortSchedule.objects.get(cohort=autumn["cohort"])
    assert (
        schedule.candidate_time,
        schedule.weekday,
        schedule.start_time,
        schedule.confirmed_by,
        schedule.confirmed_at,
        schedule.revision,
    ) == (autumn["thursday"], 3, datetime.time(10, 0), staff, AFTER_SESSION_2, 1)
    subject = "New times for your sessions: Relationships at the heart of our work"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.org", subject),
        ("bo@example.org", subject),
    ]
    assert sorted(OutgoingEmail.objects.exclude(kind="session-invite").values_list("kind", "key")) == [
        ("session-retime", f"session-retime:{autumn['cohort'].pk}:1:member:{autumn['ada'].pk}"),
        ("session-retime", f"session-retime:{autumn['cohort'].pk}:1:member:{autumn['bo'].pk}"),
    ]
    ada_email = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert [(str(e["UID"]), e["SEQUENCE"], local(e.decoded("DTSTART"))) for e in events_of(ada_email)] == [
        (f"session-{s.pk}@127.0.0.1", 1, local(s.starts_at)) for s in moved
    ]
    assert [line for line in ada_email.body.splitlines() if line.startswith("(was")] == [
        "(was Tuesday 2 November 2021, 14:00)",
        "(was Tuesday 9 November 2021, 14:00)",
        "(was Tuesday 16 November 2021, 14:00)",
        "(was Tuesday 23 November 2021, 14:00)",
    ]


def test_retime_sends_a_guest_of_two_moved_sessions_one_email_with_both(
    autumn, django_capture_on_commit_callbacks
):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    sessions = {s.number: s for s in Session.objects.all()}
    GuestFactory(session=sessions[2], name="Held Already", email="held@example.org")
    GuestFactory(session=sessions[4], name="Cy Twice", email="cy@example.org")
    GuestFactory(session=sessions[5], name="Cy Twice", email="CY@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bo@example.org", "cy@example.org"]
    [guest_email] = [m for m in mail.outbox if m.to == ["cy@example.org"]]
    assert [str(e["UID"]) for e in events_of(guest_email)] == [
        f"session-{sessions[4].pk}@127.0.0.1",
        f"session-{sessions[5].pk}@127.0.0.1",
    ]
    assert "Your schedule" not in guest_email.body


def test_retime_leaves_a_cancelled_session_where_it_was(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    cancelled = Session.objects.get(number=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=cancelled)

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )

    assert [
        (s.number, s.status, local(s.starts_at), s.sequence) for s in Session.objects.order_by("starts_at")
    ] == [
        (1, SessionStatus.SCHEDULED, "Tue 19 Oct 2021 14:00", 0),
        (2, SessionStatus.SCHEDULED, "Tue 26 Oct 2021 14:00", 0),
        (3, SessionStatus.SCHEDULED, "Thu 28 Oct 2021 10:00", 1),
        (5, SessionStatus.SCHEDULED, "Thu 04 Nov 2021 10:00", 1),
        (4, SessionStatus.CANCELLED, "Tue 09 Nov 2021 14:00", 1),
        (6, SessionStatus.SCHEDULED, "Thu 11 Nov 2021 10:00", 1),
    ]


def test_retime_to_the_time_already_set_is_refused_and_sends_nothing(
    autumn, django_capture_on_commit_callbacks
):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError) as error, django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["tuesday"], now=AFTER_SESSION_2
        )

    assert error.value.messages == ["The sessions to come are at that time already: nothing to change."]
    assert (mail.outbox, CohortSchedule.objects.get().revision) == ([], 0)


def test_retime_before_a_time_is_confirmed_is_refused(autumn):
    with pytest.raises(ValidationError) as error:
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )

    assert (error.value.messages, Session.objects.count()) == (["This group's time is not confirmed yet."], 0)


def test_a_second_change_is_emailed_again_with_a_higher_sequence(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["tuesday"], now=AFTER_SESSION_2
        )

    ada = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert [[e["SEQUENCE"] for e in events_of(m)] for m in ada] == [[1, 1, 1, 1], [2, 2, 2, 2]]
    assert [local(s.starts_at) for s in Session.objects.filter(number__gte=3).order_by("number")] == [
        "Tue 02 Nov 2021 14:00",
        "Tue 09 Nov 2021 14:00",
        "Tue 16 Nov 2021 14:00",
        "Tue 23 Nov 2021 14:00",
    ]


def test_private_feed_after_retime_keeps_every_uid_and_raises_sequence(
    autumn, django_capture_on_commit_callbacks
):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    user = autumn["ada"].user

    def feed():
        calendar = icalendar.Calendar.from_ical(member_calendar(user))
        return {str(e["UID"]): (e["SEQUENCE"], local(e.decoded("DTSTART"))) for e in calendar.walk("VEVENT")}

    before = feed()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )
    after = feed()

    assert sorted(after) == sorted(before)
    assert sorted(after.values()) == [
        (0, "Tue 19 Oct 2021 14:00"),
        (0, "Tue 26 Oct 2021 14:00"),
        (1, "Thu 04 Nov 2021 10:00"),
        (1, "Thu 11 Nov 2021 10:00"),
        (1, "Thu 18 Nov 2021 10:00"),
        (1, "Thu 28 Oct 2021 10:00"),
    ]


# --- Coffee pairs follow --------------------------------------------------------------------------------


def test_coffee_rounds_and_shared_times_follow_a_change_of_time(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    ada, bo = autumn["ada"], autumn["bo"]
    # Both can do both times, so the time that suits both is whichever the group does not meet at.
    ada.availability.update(answer=AvailabilityAnswer.YES)
    bo.availability.update(answer=AvailabilityAnswer.YES)
    pairs_plan(cohort=autumn["cohort"])
    before = shared_times([ada, bo])

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )

    assert (before, shared_times([ada, bo])) == ([autumn["thursday"]], [autumn["tuesday"]])
    assert [
        (r.number, local(r.opens_at), local(r.closes_at))
        for r in Round.objects.filter(cohort=autumn["cohort"]).order_by("number")
    ] == [
        (1, "Tue 19 Oct 2021 16:00", "Tue 26 Oct 2021 14:00"),
        (2, "Tue 26 Oct 2021 16:00", "Thu 28 Oct 2021 10:00"),
        (3, "Thu 28 Oct 2021 12:00", "Thu 04 Nov 2021 10:00"),
        (4, "Thu 04 Nov 2021 12:00", "Thu 11 Nov 2021 10:00"),
        (5, "Thu 11 Nov 2021 12:00", "Thu 18 Nov 2021 10:00"),
    ]


# --- Date order -------------------------------------------------------------------------------------------


def test_member_schedule_keeps_a_cancelled_session_in_its_place(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=Session.objects.get(number=3))
        services.session_cancel(session=Session.objects.get(number=5))

    schedule = member_schedule(autumn["ada"].user, now=AFTER_SESSION_2)

    assert (
        [s.number for s in schedule.past_sessions],
        schedule.next_session.number,
        [(s.number, s.is_cancelled) for s in schedule.later_sessions],
    ) == ([3, 2, 1], 4, [(5, True), (6, False)])


def test_moving_one_session_moves_the_coffee_rounds_around_it(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)
    pairs_plan(cohort=autumn["cohort"])

    with django_capture_on_commit_callbacks(execute=True):
        services.session_move(
            session=Session.objects.get(number=3),
            starts_at=datetime.datetime(2021, 11, 4, 10, 0, tzinfo=LONDON),
            now=AFTER_SESSION_2,
        )

    assert [
        (r.number, local(r.opens_at), local(r.closes_at))
        for r in Round.objects.filter(cohort=autumn["cohort"], number__in=[2, 3]).order_by("number")
    ] == [
        (2, "Tue 26 Oct 2021 16:00", "Thu 04 Nov 2021 10:00"),
        (3, "Thu 04 Nov 2021 12:00", "Tue 09 Nov 2021 14:00"),
    ]


def test_without_coffee_rounds_a_change_of_time_creates_none(autumn, django_capture_on_commit_callbacks):
    confirm_tuesdays(autumn, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_retime(
            cohort=autumn["cohort"], candidate_time=autumn["thursday"], now=AFTER_SESSION_2
        )

    assert Round.objects.count() == 0
