"""Reused reads for the schedule."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from applications.models import Application, Cohort, Programme
from applications.selectors import memberships_of

from .enums import AttendanceStatus, SessionStatus
from .models import Attendance, Session


def sessions_for_member(user) -> QuerySet[Session]:
    """Every session (cancelled ones too, marked) of the cohorts the user is a confirmed member of."""
    return (
        Session.objects.filter(cohort_id__in=memberships_of(user).values("cohort_id"))
        .select_related("cohort__programme")
        .order_by("starts_at", "pk")
    )


def membership_for_session(user, session: Session) -> Application | None:
    return memberships_of(user).filter(cohort_id=session.cohort_id).first()


def member_timezone(user, programme: Programme) -> zoneinfo.ZoneInfo:
    """The member's own zone (profile setting), else the programme's."""
    name = getattr(user, "timezone", "") or programme.timezone
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return programme.tz


def cohort_sessions(cohort: Cohort) -> QuerySet[Session]:
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("cohort__programme")
        .prefetch_related("guests")
        .order_by("number")
    )


def session_apologies(session: Session) -> set[int]:
    """Application ids of members who sent apologies for the session (kept after attendance is recorded)."""
    return set(
        Attendance.objects.filter(session=session, apologised_at__isnull=False).values_list(
            "member_id", flat=True
        )
    )


def member_sessions_with_attendance(user, application_ids: list[int]) -> QuerySet[Session]:
    return sessions_for_member(user).prefetch_related(
        Prefetch(
            "attendance",
            queryset=Attendance.objects.filter(member_id__in=application_ids),
            to_attr="my_attendance",
        )
    )


def upcoming_sessions(queryset: QuerySet[Session], now) -> QuerySet[Session]:
    return queryset.filter(status=SessionStatus.SCHEDULED, ends_at__gt=now)


@dataclass(frozen=True)
class MemberSchedule:
    """A member's sessions as their schedule shows them: the next one first, in their own time zone."""

    memberships: list[Application]
    next_session: Session | None
    later_sessions: list[Session]
    past_sessions: list[Session]
    tz: datetime.tzinfo


def member_schedule(user, *, now: datetime.datetime) -> MemberSchedule:
    """Every session of the user's groups, each marked with the user's own attendance (`my_status`), whether
    they sent apologies (`sent_apologies`) and whether they still can (`can_apologise`)."""
    memberships = list(memberships_of(user).select_related("cohort__programme"))
    sessions = list(member_sessions_with_attendance(user, [m.pk for m in memberships]))
    upcoming = [s for s in sessions if s.status == SessionStatus.SCHEDULED and s.ends_at > now]
    past = [s for s in sessions if s not in upcoming]
    for session in sessions:
        # Per-member marks the page reads beside each session (my_attendance is a Prefetch's to_attr).
        record = session.my_attendance[0] if session.my_attendance else None  # type: ignore[attr-defined]
        session.my_status = record.status if record else ""  # type: ignore[attr-defined]
        session.sent_apologies = bool(record and record.status == AttendanceStatus.APOLOGIES)  # type: ignore[attr-defined]
        session.can_apologise = session.status == SessionStatus.SCHEDULED and session.starts_at > now  # type: ignore[attr-defined]
    programme = memberships[0].cohort.programme if memberships and memberships[0].cohort else None
    return MemberSchedule(
        memberships=memberships,
        next_session=upcoming[0] if upcoming else None,
        later_sessions=upcoming[1:],
        past_sessions=list(reversed(past)),
        tz=member_timezone(user, programme) if programme else timezone.get_current_timezone(),
    )


def sessions_to_come(*, cohort: Cohort, now: datetime.datetime | None = None) -> list[Session]:
    """The group's sessions still on and not yet started, in time order."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(cohort=cohort, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .select_related("cohort__programme")
        .order_by("starts_at")
    )
