"""Permission predicates for the schedule. Plain functions, tested directly; a refusal is a 404 in views."""

from __future__ import annotations

import datetime

from applications.selectors import is_member_of_cohort
from cohort_site.core.rules import is_active_staff

from .enums import SessionStatus
from .selectors import is_alumnus


def is_session_member(user, session) -> bool:
    """A confirmed member of the session's cohort."""
    return is_member_of_cohort(user, session.cohort_id)


def can_send_apologies(user, session, now: datetime.datetime) -> bool:
    return (
        session.status == SessionStatus.SCHEDULED
        and session.starts_at > now
        and is_session_member(user, session)
    )


def can_change_session(user, session) -> bool:
    """Move, cancel, edit or invite guests: staff, while the session is not cancelled."""
    return is_active_staff(user) and session.status == SessionStatus.SCHEDULED


def can_record_attendance(user, session, now: datetime.datetime) -> bool:
    """Attendance is recorded after the session has started, for a session that took place."""
    return is_active_staff(user) and session.status == SessionStatus.SCHEDULED and session.starts_at <= now


def can_see_topics(user, cohort_id: int) -> bool:
    """A group's topics: its confirmed members and staff."""
    return is_active_staff(user) or is_member_of_cohort(user, cohort_id)


def can_read_session_notes(user, session, now: datetime.datetime) -> bool:
    """The manager's session notes: staff at any time; the group's members once the session is over."""
    if is_active_staff(user):
        return True
    return (
        session.status == SessionStatus.SCHEDULED
        and session.ends_at <= now
        and is_session_member(user, session)
    )


def is_alumnus_member(user, now: datetime.datetime) -> bool:
    """The alumni pages (monthly alumni coffee pairs, offering to contribute): a member whose group has ended."""
    return is_alumnus(user, now=now)
