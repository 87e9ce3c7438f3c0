"""Reused reads for the schedule."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from applications import slot_finder
from applications.enums import ApplicationStatus
from applications.models import Application, CandidateTime, Cohort, Programme
from applications.selectors import memberships_of

from .enums import AttendanceStatus, SessionKind, SessionStatus
from .join_links import JOIN_OPENS_BEFORE, join_path
from .models import Attendance, GuestOffer, Session, SessionJoin


def sessions_for_member(user, memberships: list[Application] | None = None) -> QuerySet[Session]:
    """Every session (cancelled ones too, marked) of the cohorts the user is a confirmed member of (`memberships`,
    their places, when already read)."""
    if memberships is None:
        cohorts: set[int] | QuerySet = memberships_of(user).values("cohort_id")
    else:
        cohorts = {m.cohort_id for m in memberships if m.cohort_id is not None}
    return (
        Session.objects.filter(cohort_id__in=cohorts)
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
    """A group's sessions in date order, cancelled ones in their place."""
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("cohort__programme")
        .prefetch_related("guests")
        .order_by("starts_at", "number")
    )


def session_apologies(session: Session) -> set[int]:
    """Application ids of members who sent apologies for the session (kept after attendance is recorded)."""
    return set(
        Attendance.objects.filter(session=session, apologised_at__isnull=False).values_list(
            "member_id", flat=True
        )
    )


def member_sessions_with_attendance(
    user,
    application_ids: list[int],
    attendance: QuerySet[Attendance] | None = None,
    memberships: list[Application] | None = None,
) -> QuerySet[Session]:
    """The user's sessions, each with `my_attendance`: their attendance record, from `attendance` when given (a
    higher layer may annotate it: learning marks whether feedback was given)."""
    records = Attendance.objects.all() if attendance is None else attendance
    return sessions_for_member(user, memberships).prefetch_related(
        Prefetch(
            "attendance",
            queryset=records.filter(member_id__in=application_ids),
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


def member_schedule(
    user,
    *,
    now: datetime.datetime,
    memberships: list[Application] | None = None,
    attendance: QuerySet[Attendance] | None = None,
) -> MemberSchedule:
    """Every session of the user's groups, each marked with the user's own attendance (`my_status`), whether
    they sent apologies (`sent_apologies`), whether they still can (`can_apologise`) and their own join link
    (`my_join_link`, the same for every session of a group).

    In date order, cancelled sessions in their place: `past_sessions` (latest first) are those before the next
    session going ahead, `later_sessions` those after it, so past reversed, next, later is the whole series.

    A page that has read the user's places already (with their groups and programmes) passes them as
    `memberships`; `attendance` is the queryset each session's record is read from (a higher layer may annotate
    it, as learning's `attendance_with_feedback_given` does)."""
    if memberships is None:
        memberships = list(memberships_of(user).select_related("cohort__programme"))
    join_links = {}
    for membership in memberships:
        membership.user = user
        join_links[membership.cohort_id] = join_path(membership)
    # Each session's group (and programme) is the one of the place in hand: attached, not joined and read again.
    cohorts = {m.cohort_id: m.cohort for m in memberships}
    sessions = list(
        member_sessions_with_attendance(
            user, [m.pk for m in memberships], attendance, memberships
        ).select_related(None)
    )
    for session in sessions:
        session.cohort = cohorts[session.cohort_id]  # type: ignore[assignment]  # a member's place is in a group
    next_session = next(
        (s for s in sessions if s.status == SessionStatus.SCHEDULED and s.ends_at > now), None
    )
    if next_session is not None:
        position = sessions.index(next_session)
        before, after = sessions[:position], sessions[position + 1 :]
    else:
        before = [s for s in sessions if s.ends_at <= now]
        after = [s for s in sessions if s.ends_at > now]
    for session in sessions:
        # Per-member marks the page reads beside each session (my_attendance is a Prefetch's to_attr).
        record = session.my_attendance[0] if session.my_attendance else None  # type: ignore[attr-defined]
        session.my_status = record.status if record else ""  # type: ignore[attr-defined]
        session.sent_apologies = bool(record and record.status == AttendanceStatus.APOLOGIES)  # type: ignore[attr-defined]
        session.can_apologise = session.status == SessionStatus.SCHEDULED and session.starts_at > now  # type: ignore[attr-defined]
        session.my_join_link = join_links.get(session.cohort_id, "")  # type: ignore[attr-defined]
    programme = memberships[0].cohort.programme if memberships and memberships[0].cohort else None
    return MemberSchedule(
        memberships=memberships,
        next_session=next_session,
        later_sessions=after,
        past_sessions=list(reversed(before)),
        tz=member_timezone(user, programme) if programme else timezone.get_current_timezone(),
    )


# --- Planning a series: what confirming (or changing) the weekly time would do ---------------------------


@dataclass(frozen=True)
class PlannedSession:
    """A session as the plan would have it; `session` is the existing one it moves (a change of time), which
    started at `previous_starts_at` when the plan was made."""

    number: int
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    session: Session | None = None
    previous_starts_at: datetime.datetime | None = None

    @property
    def moves(self) -> bool:
        return self.previous_starts_at is not None and self.previous_starts_at != self.starts_at


@dataclass(frozen=True)
class PlanWeek:
    """One week of the series: its date, the bank holiday on it, and the session held then (None: skipped)."""

    date: datetime.date
    bank_holiday: slot_finder.BankHoliday | None
    planned: PlannedSession | None


@dataclass(frozen=True)
class SchedulePlan:
    cohort: Cohort
    candidate_time: CandidateTime
    weeks: tuple[PlanWeek, ...]
    kept: tuple[Session, ...]  # sessions that stay as they are: held already, or cancelled

    @property
    def sessions(self) -> list[PlannedSession]:
        return [week.planned for week in self.weeks if week.planned is not None]

    @property
    def bank_holidays(self) -> list[PlanWeek]:
        return [week for week in self.weeks if week.bank_holiday is not None]

    @property
    def skipped(self) -> list[PlanWeek]:
        return [week for week in self.weeks if week.planned is None]


def _kind(number: int, last: int) -> str:
    if number == 1:
        return SessionKind.ORIENTATION
    if number == last and last > 1:
        return SessionKind.REVIEW
    return SessionKind.SESSION


def schedule_plan(
    cohort: Cohort,
    candidate_time: CandidateTime,
    *,
    keep: Collection[datetime.date] = (),
    now: datetime.datetime,
) -> SchedulePlan:
    """The dates confirming `candidate_time` would give the group's sessions, before anything is written.

    A group with no sessions yet gets the programme's N sessions from its first week. A group whose time is
    confirmed keeps the sessions already held (and any cancelled) as they are, and its sessions to come move
    to the new weekday and time from tomorrow, in their order. Either way a week whose day is a bank holiday
    in the programme's nation is skipped (the series moves on a week) unless its date is in `keep`."""
    programme = cohort.programme
    tz = programme.tz
    existing = list(Session.objects.filter(cohort=cohort).order_by("number"))
    if existing:
        moving = [s for s in existing if s.status == SessionStatus.SCHEDULED and s.starts_at > now]
        kept = tuple(s for s in existing if s not in moving)
        first = timezone.localtime(now, tz).date() + datetime.timedelta(days=1)
        count = len(moving)
    else:
        moving, kept = [], ()
        first, count = cohort.first_session_week, programme.session_count
    series = slot_finder.series_dates(
        first, candidate_time.weekday, count, keep=keep, subdivision=programme.holiday_nation
    )
    held = [week for week in series if not week.skipped]
    starts = slot_finder.starts_on([week.date for week in held], candidate_time.start_time, tz)
    planned: dict[datetime.date, PlannedSession] = {}
    for index, (week, starts_at) in enumerate(zip(held, starts, strict=True)):
        if moving:
            session = moving[index]
            planned[week.date] = PlannedSession(
                session.number,
                session.kind,
                starts_at,
                starts_at + (session.ends_at - session.starts_at),
                session,
                session.starts_at,
            )
        else:
            number = index + 1
            planned[week.date] = PlannedSession(
                number, _kind(number, count), starts_at, starts_at + programme.session_length
            )
    weeks = tuple(PlanWeek(week.date, week.bank_holiday, planned.get(week.date)) for week in series)
    return SchedulePlan(cohort=cohort, candidate_time=candidate_time, weeks=weeks, kept=kept)


def sessions_to_come(*, cohort: Cohort, now: datetime.datetime | None = None) -> list[Session]:
    """The group's sessions still on and not yet started, in time order."""
    now = now or timezone.now()
    return list(
        Session.objects.filter(cohort=cohort, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .select_related("cohort__programme")
        .order_by("starts_at")
    )


# --- The join link ----------------------------------------------------------------------------------------


def join_open_session(cohort_id: int, *, now: datetime.datetime) -> Session | None:
    """The group's session the join link opens now: one going ahead that starts within JOIN_OPENS_BEFORE and
    has not ended (of two that overlap, the one that started first)."""
    return (
        Session.objects.filter(
            cohort_id=cohort_id,
            status=SessionStatus.SCHEDULED,
            starts_at__lte=now + JOIN_OPENS_BEFORE,
            ends_at__gt=now,
        )
        .select_related("cohort__programme")
        .order_by("starts_at", "number")
        .first()
    )


def next_session_of(cohort_id: int, *, now: datetime.datetime) -> Session | None:
    """The group's next session going ahead that has not started yet."""
    return (
        Session.objects.filter(cohort_id=cohort_id, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .select_related("cohort__programme")
        .order_by("starts_at", "number")
        .first()
    )


def session_joins(session: Session) -> dict[int, datetime.datetime]:
    """Application id -> when that member first opened their join link for the session."""
    return dict(SessionJoin.objects.filter(session=session).values_list("member_id", "joined_at"))


def session_attendance(session: Session) -> dict[int, tuple[str, int | None]]:
    """Application id -> (status, who recorded it: None for a member's own apologies) for the session."""
    return {
        member_id: (status, recorded_by_id)
        for member_id, status, recorded_by_id in Attendance.objects.filter(session=session).values_list(
            "member_id", "status", "recorded_by_id"
        )
    }


def attendance_start(
    records: dict[int, tuple[str, int | None]],
    member_ids: Collection[int],
    *,
    joins: Collection[int],
) -> dict[int, str]:
    """Where the manager's attendance form starts for each member, from `session_attendance` and the ids of
    members who joined through their link (`session_joins`): what she saved before, always; else "attended"
    for a member who opened their join link during the session (even after sending apologies: they came after
    all); else their apologies; else, once anyone has joined through their link, "absent" for those who did
    not (the link is how people come in), and "attended" when nobody used it (a session met in a room, say).
    She confirms before anything is saved."""
    otherwise = AttendanceStatus.ABSENT if joins else AttendanceStatus.ATTENDED
    start = {}
    for member_id in member_ids:
        status, recorded_by_id = records.get(member_id, ("", None))
        saved_by_manager = bool(status) and (
            status != AttendanceStatus.APOLOGIES or recorded_by_id is not None
        )
        if saved_by_manager:
            start[member_id] = status
        elif member_id in joins:
            start[member_id] = AttendanceStatus.ATTENDED
        else:
            start[member_id] = status or otherwise
    return start


# --- Alumni: members whose group has ended ------------------------------------------------------------------


def ended_cohort_ids(sessions: Collection[Session], *, now: datetime.datetime) -> set[int]:
    """Of the groups these sessions belong to, those that have ended: every session going ahead is over (a
    group with none going ahead has not met, so has not ended). The rule `ended_groups` applies in the
    database, for a page that has the sessions in hand already (the dashboard)."""
    last: dict[int, datetime.datetime] = {}
    for session in sessions:
        if session.status == SessionStatus.SCHEDULED:
            last[session.cohort_id] = max(session.ends_at, last.get(session.cohort_id, session.ends_at))
    return {cohort_id for cohort_id, ends_at in last.items() if ends_at <= now}


def ended_groups(*, now: datetime.datetime) -> QuerySet[Cohort]:
    """The groups whose last session going ahead has ended (the one rule of "the group has ended")."""
    return Cohort.objects.annotate(
        last_ends_at=Max("sessions__ends_at", filter=Q(sessions__status=SessionStatus.SCHEDULED))
    ).filter(last_ends_at__lte=now)


def alumni_places(*, now: datetime.datetime, user=None) -> QuerySet[Application]:
    """Confirmed places (of active accounts) in groups that have ended: the user's, or everyone's without `user`.
    An alumnus is someone with at least one."""
    places = Application.objects.filter(
        status=ApplicationStatus.CONFIRMED,
        user__isnull=False,
        user__is_active=True,
        cohort__in=ended_groups(now=now).values("pk"),
    )
    if user is not None:
        places = places.filter(pk__in=memberships_of(user).values("pk"))
    return places


def is_alumnus(user, *, now: datetime.datetime) -> bool:
    return bool(user and user.is_authenticated) and alumni_places(now=now, user=user).exists()


def guest_offers() -> QuerySet[GuestOffer]:
    """Every standing offer to contribute, newest first, with the person and any invitation made from it."""
    return GuestOffer.objects.select_related("user", "guest__session__cohort__programme").order_by(
        "-offered_at", "pk"
    )


def guest_offer_sessions(offer: GuestOffer, *, now: datetime.datetime) -> QuerySet[Session]:
    """The sessions an offer can be taken up for: going ahead, not started, of a group the person never applied to
    join (so a later group, not their own). `guest_offers_with_sessions` applies the same rule to many offers."""
    return (
        Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .exclude(cohort__applications__user_id=offer.user_id)
        .select_related("cohort__programme")
        .order_by("starts_at", "pk")
    )


def guest_offers_with_sessions(
    *, now: datetime.datetime, programme: Programme | None = None
) -> list[tuple[GuestOffer, list[Session]]]:
    """Every offer with the sessions it can be taken up for (`guest_offer_sessions`; only `programme`'s, when
    given), in three queries however many offers and sessions there are."""
    offers = list(guest_offers())
    if not offers:
        return []
    scheduled = Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now)
    if programme is not None:
        scheduled = scheduled.filter(cohort__programme=programme)
    upcoming = list(scheduled.select_related("cohort__programme").order_by("starts_at", "pk"))
    own: dict[int, set[int]] = {}
    for user_id, cohort_id in Application.objects.filter(
        user_id__in=[o.user_id for o in offers], cohort__isnull=False
    ).values_list("user_id", "cohort_id"):
        own.setdefault(user_id, set()).add(cohort_id)
    return [(o, [s for s in upcoming if s.cohort_id not in own.get(o.user_id, set())]) for o in offers]
