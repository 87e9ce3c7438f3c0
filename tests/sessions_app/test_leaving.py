"""What the schedule gives a member who leaves: the calendar file cancelling what is still to come; and when a
group's n-th session starts, for recruitment's cut-off."""

import datetime

import pytest
from icalendar import Calendar

from applications.freed_places import freed_place_cutoff, freed_place_offered
from sessions_app.calendar import session_uid
from sessions_app.freed_places import nth_session_start
from sessions_app.services import member_sessions_cancellation, schedule_invites_send, session_cancel
from tests.factories import CohortFactory, MemberFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions():
    cohort = CohortFactory()
    return [SessionFactory(cohort=cohort, number=n) for n in range(1, 5)]


def test_the_cancellation_holds_the_sessions_not_yet_started_and_still_on(sessions):
    cohort = sessions[0].cohort
    member = MemberFactory(cohort=cohort, email="ada@example.org")
    schedule_invites_send(cohort=cohort)
    session_cancel(session=sessions[3])

    to_come, attachment = member_sessions_cancellation(
        member=member, cohort=cohort, now=sessions[1].starts_at
    )

    assert to_come == [sessions[2]]
    assert (attachment.filename, attachment.mimetype) == ("cancel.ics", "text/calendar; method=CANCEL")
    calendar = Calendar.from_ical(attachment.content)
    assert [(str(e["UID"]), str(e["ATTENDEE"])) for e in calendar.walk("VEVENT")] == [
        (session_uid(sessions[2]), "mailto:ada@example.org")
    ]


def test_no_calendar_file_for_a_member_never_invited(sessions):
    cohort = sessions[0].cohort
    member = MemberFactory(cohort=cohort)

    to_come, attachment = member_sessions_cancellation(
        member=member, cohort=cohort, now=sessions[0].starts_at
    )

    assert (len(to_come), attachment) == (3, None)


def test_nth_session_start_counts_the_sessions_still_on_in_time_order(sessions):
    cohort = sessions[0].cohort
    assert nth_session_start(cohort, 2) == sessions[1].starts_at
    session_cancel(session=sessions[1])
    assert nth_session_start(cohort, 2) == sessions[2].starts_at
    assert nth_session_start(cohort, 4) is None


def test_a_freed_place_is_offered_until_the_cut_off_session_starts(sessions):
    cohort = sessions[0].cohort
    second = sessions[1].starts_at

    assert freed_place_cutoff(cohort) == second
    assert [
        freed_place_offered(cohort=cohort, now=second + d)
        for d in (-datetime.timedelta(seconds=1), datetime.timedelta(0))
    ] == [True, False]
    cohort.programme.freed_places_until_session = 4
    assert freed_place_cutoff(cohort) == sessions[3].starts_at


def test_a_group_without_sessions_yet_offers_freed_places():
    cohort = CohortFactory()
    assert (
        freed_place_cutoff(cohort),
        freed_place_offered(cohort=cohort, now=datetime.datetime.now(datetime.UTC)),
    ) == (
        None,
        True,
    )
