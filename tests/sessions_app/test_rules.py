import datetime

from django.contrib.auth.models import AnonymousUser

from sessions_app import rules
from sessions_app.enums import SessionStatus
from tests.factories import ApplicationFactory, MemberFactory, SessionFactory, StaffFactory, UserFactory

UTC = datetime.UTC


def test_session_member_is_a_confirmed_member_of_that_cohort(db):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    other_cohort = MemberFactory().user
    applicant = ApplicationFactory(
        programme=session.cohort.programme, cohort=session.cohort, user=UserFactory()
    ).user

    assert [
        rules.is_session_member(user, session) for user in (member, other_cohort, applicant, AnonymousUser())
    ] == [True, False, False, False]


def test_apologies_before_the_start_of_a_session_going_ahead(db):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    before = session.starts_at - datetime.timedelta(minutes=1)

    assert [
        rules.can_send_apologies(member, session, before),
        rules.can_send_apologies(member, session, session.starts_at),
        rules.can_send_apologies(StaffFactory(), session, before),
    ] == [True, False, False]
    session.status = SessionStatus.CANCELLED
    assert rules.can_send_apologies(member, session, before) is False


def test_attendance_is_recorded_by_staff_once_the_session_started(db):
    session = SessionFactory()
    staff = StaffFactory()
    member = MemberFactory(cohort=session.cohort).user

    assert [
        rules.can_record_attendance(staff, session, session.starts_at - datetime.timedelta(seconds=1)),
        rules.can_record_attendance(staff, session, session.starts_at),
        rules.can_record_attendance(member, session, session.starts_at),
    ] == [False, True, False]


def test_only_staff_change_a_session_and_not_once_cancelled(db):
    session = SessionFactory()
    staff = StaffFactory()

    assert (rules.can_change_session(staff, session), rules.can_change_session(UserFactory(), session)) == (
        True,
        False,
    )
    session.status = SessionStatus.CANCELLED
    assert rules.can_change_session(staff, session) is False


def test_topics_are_seen_by_the_groups_members_and_staff(db):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    other_cohort = MemberFactory().user
    applicant = ApplicationFactory(programme=session.cohort.programme, user=UserFactory()).user

    assert [
        rules.can_see_topics(user, session.cohort_id)
        for user in (member, StaffFactory(), other_cohort, applicant, AnonymousUser())
    ] == [True, True, False, False, False]


def test_session_notes_are_read_by_the_group_once_the_session_is_over(db):
    session = SessionFactory()
    member = MemberFactory(cohort=session.cohort).user
    other_cohort = MemberFactory().user
    staff = StaffFactory()
    before_end = session.ends_at - datetime.timedelta(minutes=1)

    assert [
        rules.can_read_session_notes(user, session, when)
        for user, when in (
            (member, before_end),
            (member, session.ends_at),
            (other_cohort, session.ends_at),
            (staff, before_end),
            (AnonymousUser(), session.ends_at),
        )
    ] == [False, True, False, True, False]
    session.status = SessionStatus.CANCELLED
    assert rules.can_read_session_notes(member, session, session.ends_at) is False
