"""Reads for the two dashboards. Each section comes from the selector its own app already uses for its pages,
so a dashboard never disagrees with the page it links to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.safestring import mark_safe

from applications.enums import PLACE_HOLDING_STATUSES, ApplicationStatus
from applications.links import offer_url
from applications.models import (
    Application,
    ApplicationStatusChange,
    Cohort,
    ExpressionOfInterest,
    Programme,
)
from applications.selectors import active_member_place, offer_counts, places_and_offers_of
from applications.services import current_offer
from cohort_site.core.charts import Bar, bars_svg
from cohort_site.core.dates import DAY, local_text
from cohort_site.core.models import Heartbeat
from cohort_site.core.programme_filter import with_programme
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.selectors import outbox_counts
from cohort_site.members.enums import ExpenseStatus
from cohort_site.members.models import Expense
from cohort_site.members.selectors import expenses_awaiting_decision_count, expenses_of
from learning.enums import Visibility
from learning.funnel import StepRow, conversion_rates
from learning.models import Entry, SessionFeedback
from learning.network.selectors import events_proposed_waiting
from learning.selectors import (
    attendance_with_feedback_given,
    consent_requests_and_latest,
    entries_awaiting_approval,
    entries_visible_to,
    feedback_for_member,
    reading_progress,
)
from pairings.alumni import AlumniOverview, alumni_overview
from pairings.enums import RoundStatus
from pairings.models import Round
from pairings.selectors import CoffeeOverview, coffee_overview, member_of
from sessions_app.enums import AttendanceStatus, SessionStatus
from sessions_app.models import Session
from sessions_app.selectors import MemberSchedule, ended_cohort_ids, member_schedule

LATEST_ENTRIES = 5


@dataclass(frozen=True)
class Offer:
    application: Application
    url: str


@dataclass(frozen=True)
class ToDo:
    """What the member is asked to do next, most urgent first on the page."""

    offers: list[Offer]
    feedback_due: list  # learning.selectors.MemberFeedbackItem, unanswered session feedback
    surveys_due: list  # unanswered check-in and evaluation
    reading_done: int
    reading_total: int
    claims_open: list[Expense]
    consents_due: list[Entry] = field(default_factory=list)  # entries awaiting the member's consent to share

    @property
    def is_empty(self) -> bool:
        reading_left = self.reading_total > self.reading_done
        return not (
            self.offers
            or self.feedback_due
            or self.surveys_due
            or reading_left
            or self.claims_open
            or self.consents_due
        )


@dataclass(frozen=True)
class MemberDashboard:
    schedule: MemberSchedule
    coffee: CoffeeOverview | None
    todo: ToDo
    latest_entries: list[Entry] = field(default_factory=list)
    # A member whose group has ended: the monthly alumni coffee pairs (in or not, this month's pair).
    alumni: AlumniOverview | None = None
    # The group the coffee section is about has ended: no next round to wait for.
    coffee_over: bool = False


def member_offers(applications: list[Application]) -> list[Offer]:
    """Of places offered to the user and not yet answered (`places_and_offers_of`), those with an offer in
    force, each with the link that confirms or declines it (one query per offer: rare, and few at a time). An
    offer whose email still waits in the manager's drafts is not among them: nobody has told them, and its
    clock has not started."""
    offers = []
    for application in applications:
        offer = current_offer(application)
        if offer is not None:
            offers.append(Offer(application, offer_url(application=application, offer=offer)))
    return offers


def member_todo(
    user,
    *,
    now: datetime.datetime,
    memberships: list[Application],
    offered: list[Application],
    sessions: list[Session],
    consents_due: list[Entry],
) -> ToDo:
    """The to-do list, one query per kind of thing to do (the user's places, offers and sessions are read once
    for the whole dashboard and shared, and the entries awaiting their consent come with the group's latest
    entries): surveys, reading, claims. A new kind of to-do is one more field here and one more query (an
    Exists-annotated count is one; a list with its related rows, one per prefetch)."""
    feedback = feedback_for_member(user, now=now, memberships=memberships, sessions=sessions)
    unanswered = [item for item in feedback if not item.answered]
    reading_done, reading_total = reading_progress(user, memberships=memberships)
    return ToDo(
        offers=member_offers(offered),
        feedback_due=[item for item in unanswered if item.kind == "session"],
        surveys_due=[item for item in unanswered if item.kind == "survey"],
        reading_done=reading_done,
        reading_total=reading_total,
        claims_open=list(
            expenses_of(user).filter(status__in=[ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED])
        ),
        consents_due=consents_due,
    )


def consents_and_latest_entries(user, memberships: list[Application]) -> tuple[list[Entry], list[Entry]]:
    """The entries awaiting the user's consent to share them (the to-do list) and the newest entries shared with
    the user's groups (not drafts), with their authors (all the dashboard shows of them besides the title, kind
    and date): two queries for both."""
    cohort_ids = {m.cohort_id for m in memberships if m.cohort_id is not None}
    latest = (
        entries_visible_to(user, memberships=memberships)
        .filter(cohort_id__in=cohort_ids)
        .exclude(visibility=Visibility.DRAFT)
        .order_by("-created_at", "-pk")
        if cohort_ids
        else Entry.objects.none().order_by("-created_at", "-pk")
    )
    # An entry read is one of `latest` when it is of the user's groups and not a draft: every entry read is one
    # the user may read (the newest are of `latest`; those awaiting their consent, they are an author of).
    return consent_requests_and_latest(
        user,
        latest=latest,
        count=LATEST_ENTRIES,
        in_latest=lambda entry: entry.cohort_id in cohort_ids and entry.visibility != Visibility.DRAFT,
    )


def member_dashboard(user, *, now: datetime.datetime) -> MemberDashboard:
    """Everything the member's dashboard shows, in twelve queries with the session and user lookups, whatever the
    size of the group or its history: the user's places and offers are read once and shared by every section,
    their sessions (with whether feedback was given) serve both the schedule and the to-do list, and the entries
    awaiting their consent are read with the group's latest entries."""
    memberships, offered = places_and_offers_of(user)
    schedule = member_schedule(
        user, now=now, memberships=memberships, attendance=attendance_with_feedback_given()
    )
    sessions = [
        *reversed(schedule.past_sessions),
        *([schedule.next_session] if schedule.next_session else []),
    ]
    sessions += schedule.later_sessions
    member = member_of(user, memberships=memberships)
    consents_due, latest_entries = consents_and_latest_entries(user, memberships)
    # Whether a group of theirs has ended, from the sessions in hand; only then two more queries (alumni coffee).
    ended = ended_cohort_ids(sessions, now=now)
    return MemberDashboard(
        schedule=schedule,
        # The dashboard does not offer to skip a round (the coffee pairs page does), so no next round is read.
        coffee=coffee_overview(member, now=now, with_next_round=False) if member is not None else None,
        todo=member_todo(
            user,
            now=now,
            memberships=memberships,
            offered=offered,
            sessions=sessions,
            consents_due=consents_due,
        ),
        latest_entries=latest_entries,
        alumni=alumni_overview(user, now=now) if ended else None,
        coffee_over=member is not None and member.cohort_id in ended,
    )


# --- The manager's dashboard ------------------------------------------------------------------------------

RECENT_PROGRAMMES = 4
# Offers this close to expiry are flagged: there is still time to chase the applicant.
OFFER_EXPIRY_WARNING = datetime.timedelta(days=2)
# Coffee rounds opening this soon should be published, so the introductions go out in time.
ROUND_PUBLISH_WARNING = datetime.timedelta(days=3)
# The beat records a heartbeat every 5 minutes; this long without one means no worker is running tasks.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=15)
# How long a member's departure stays on the manager's list.
DEPARTURES_SHOWN_FOR = datetime.timedelta(days=14)


@dataclass
class SessionHealth:
    session: Session
    attended: int
    recorded: int  # attendance records of any status: 0 means attendance has not been taken yet
    feedback_count: int
    average_rating: float | None


@dataclass
class RoundHealth:
    round: Round
    groups: int
    met: int

    @property
    def met_percent(self) -> int:
        return round(100 * self.met / self.groups) if self.groups else 0


@dataclass
class CohortPipeline:
    cohort: Cohort
    now: datetime.datetime
    offered: int = 0
    confirmed: int = 0
    active: int = 0  # confirmed members who have attended at least one session
    sessions: list[SessionHealth] = field(default_factory=list)
    rounds: list[RoundHealth] = field(default_factory=list)
    next_session: Session | None = None

    @property
    def has_started(self) -> bool:
        return any(health.session.starts_at <= self.now for health in self.sessions)

    def attendance_chart(self) -> str:
        bars = [
            Bar(
                f"Session {health.session.number}",
                health.attended,
                f"{health.attended}/{self.confirmed}" if health.recorded else "–",
            )
            for health in self.sessions
            if health.session.starts_at <= self.now
        ]
        title = f"{self.cohort.name}: attendance per session"
        # bars_svg escapes every label and figure itself.
        return mark_safe(bars_svg(bars, title=title, scale=max(self.confirmed, 1)))  # noqa: S308

    def coffee_chart(self) -> str:
        bars = [Bar(f"Round {r.round.number}", r.met_percent, f"{r.met_percent}%") for r in self.rounds]
        return mark_safe(bars_svg(bars, title=f"{self.cohort.name}: coffee groups that met", scale=100))  # noqa: S308

    def feedback_chart(self) -> str:
        bars = [
            Bar(
                f"Session {h.session.number}",
                h.average_rating or 0,
                f"{h.average_rating:.1f}" if h.average_rating is not None else "–",
            )
            for h in self.sessions
            if h.feedback_count
        ]
        return mark_safe(  # noqa: S308
            bars_svg(bars, title=f"{self.cohort.name}: average session rating (1–5)", scale=5)
        )


@dataclass
class ProgrammePipeline:
    programme: Programme
    interest: int = 0
    applications: int = 0  # every application received, whatever became of it
    awaiting_decision: int = 0
    waitlisted: int = 0
    cohorts: list[CohortPipeline] = field(default_factory=list)
    funnel: list[StepRow] = field(
        default_factory=list
    )  # learning.funnel's steps, with their conversion rates

    def total(self, attribute: str) -> int:
        return sum(getattr(cohort, attribute) for cohort in self.cohorts)

    @property
    def offered(self) -> int:
        return self.total("offered")

    @property
    def confirmed(self) -> int:
        return self.total("confirmed")

    @property
    def active(self) -> int:
        return self.total("active")

    @property
    def next_session(self) -> Session | None:
        upcoming = [c.next_session for c in self.cohorts if c.next_session is not None]
        return min(upcoming, key=lambda session: session.starts_at, default=None)


@dataclass(frozen=True)
class Action:
    """Something waiting for the manager: how many, what it is, and where to deal with it."""

    count: int
    label: str
    url: str


def programme_pipelines(
    *,
    now: datetime.datetime,
    programme: Programme | None = None,
    programmes: list[Programme] | None = None,
) -> list[ProgrammePipeline]:
    """The most recent programmes (or the one `programme` chosen), from interest to active members per cohort,
    with each cohort's health. `programmes`, every programme newest first when the caller has them in hand (the
    programme select's list), saves reading them again.

    A fixed number of queries whatever the number of people, sessions or rounds: one grouped count per kind."""
    if programme is not None:
        programmes = [programme]
    elif programmes is not None:
        programmes = programmes[:RECENT_PROGRAMMES]
    else:
        programmes = list(Programme.objects.order_by("-applications_open_at", "-pk")[:RECENT_PROGRAMMES])
    pipelines = {programme.pk: ProgrammePipeline(programme) for programme in programmes}
    cohorts = {
        cohort.pk: CohortPipeline(cohort, now)
        for cohort in Cohort.objects.filter(programme__in=programmes).order_by("programme", "number")
    }
    for cohort_pipeline in cohorts.values():
        pipelines[cohort_pipeline.cohort.programme_id].cohorts.append(cohort_pipeline)

    _count_recruitment(pipelines, cohorts, programmes)
    _count_active_members(cohorts)
    _add_session_health(cohorts, now)
    _add_coffee_health(cohorts, now)
    for programme_id, rows in conversion_rates(programmes).items():
        pipelines[programme_id].funnel = rows
    return list(pipelines.values())


def _count_recruitment(pipelines: dict, cohorts: dict, programmes: list) -> None:
    """Interest, applications by status, and each cohort's offers and confirmed places: two grouped counts."""
    interest = ExpressionOfInterest.objects.filter(programme__in=programmes).values("programme")
    for row in interest.annotate(n=Count("pk")).order_by():
        pipelines[row["programme"]].interest = row["n"]
    statuses = Application.objects.filter(programme__in=programmes).values("programme", "cohort", "status")
    for row in statuses.annotate(n=Count("pk")).order_by():
        pipeline, cohort, count = pipelines[row["programme"]], cohorts.get(row["cohort"]), row["n"]
        pipeline.applications += count
        if row["status"] == ApplicationStatus.SUBMITTED:
            pipeline.awaiting_decision += count
        elif row["status"] == ApplicationStatus.WAITLISTED:
            pipeline.waitlisted += count
        elif row["status"] == ApplicationStatus.OFFERED and cohort is not None:
            cohort.offered += count
        elif row["status"] == ApplicationStatus.CONFIRMED and cohort is not None:
            cohort.confirmed += count


def _count_active_members(cohorts: dict) -> None:
    """Members who have attended at least one session, per cohort."""
    active = (
        Application.objects.filter(
            active_member_place(), cohort__in=list(cohorts), attendance__status=AttendanceStatus.ATTENDED
        )
        .values("cohort")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in active:
        cohorts[row["cohort"]].active = row["n"]


def _add_session_health(cohorts: dict, now: datetime.datetime) -> None:
    """Each cohort's sessions with attendance and feedback, and its next session."""
    ratings = SessionFeedback.objects.filter(session=OuterRef("pk")).order_by().values("session")
    sessions = (
        Session.objects.filter(cohort__in=list(cohorts))
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(
            attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)),
            recorded=Count("attendance"),
            feedback_count=Subquery(ratings.annotate(n=Count("pk")).values("n")),
            average_rating=Subquery(ratings.annotate(a=Avg("rating")).values("a")),
        )
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        cohort = cohorts[session.cohort_id]
        session.cohort = (
            cohort.cohort
        )  # the page names a programme's next session's group: no query per programme
        cohort.sessions.append(
            SessionHealth(
                session,
                session.attended,
                session.recorded,
                session.feedback_count or 0,
                float(session.average_rating) if session.average_rating is not None else None,
            )
        )
        if cohort.next_session is None and session.ends_at > now:
            cohort.next_session = session


def _add_coffee_health(cohorts: dict, now: datetime.datetime) -> None:
    """Each cohort's published coffee rounds, with how many of their pairs have met."""
    rounds = (
        Round.objects.filter(cohort__in=list(cohorts), status=RoundStatus.PUBLISHED, opens_at__lte=now)
        .annotate(
            groups=Count("pairs", distinct=True),
            met=Count("pairs", filter=Q(pairs__memberships__met_at__isnull=False), distinct=True),
        )
        .order_by("number")
    )
    for round_ in rounds:
        cohorts[round_.cohort_id].rounds.append(RoundHealth(round_, round_.groups, round_.met))


def manager_actions(*, now: datetime.datetime, programme: Programme | None = None) -> list[Action]:
    """What is waiting for the manager, only the kinds with something waiting, most pressing first. With a
    `programme`, only what belongs to it (each link keeps it); the sharing events proposed by members belong to
    the wider network, not to a programme, so they wait under "All programmes"; a stopped worker is always said."""
    offers = offer_counts(expiring_before=now + OFFER_EXPIRY_WARNING, programme=programme)
    emails = outbox_counts(programme=programme)
    outbox = reverse("mail:outbox")
    offered = reverse("admin:applications_application_changelist") + "?status__exact=offered"
    if programme is not None:
        offered += f"&programme__id__exact={programme.pk}"
    rounds = Round.objects.filter(
        status=RoundStatus.PLANNED, opens_at__lte=now + ROUND_PUBLISH_WARNING, closes_at__gt=now
    )
    if programme is not None:
        rounds = rounds.filter(cohort__programme=programme)
    actions = [
        Action(
            emails.get(EmailStatus.FAILED, 0),
            "emails failed to send",
            with_programme(f"{outbox}?status=failed", programme),
        ),
        Action(offers["expiring"], "offers expire within two days", offered),
        Action(offers["unanswered"], "offers not answered yet", offered),
        Action(
            offers["drafted"],
            "offers not emailed yet: saved as drafts, their time to answer starts when sent",
            with_programme(f"{outbox}?status=draft&kind={EmailKind.DECISION_OFFERED.value}", programme),
        ),
        Action(
            emails.get(EmailStatus.DRAFT, 0),
            "decision emails waiting as drafts",
            with_programme(f"{outbox}?status=draft", programme),
        ),
        Action(
            expenses_awaiting_decision_count(programme=programme),
            "expenses to review",
            with_programme(reverse("members:expense_review"), programme),
        ),
        Action(
            entries_awaiting_approval(programme=programme).count(),
            "learning entries waiting for sharing approval",
            with_programme(reverse("learning:manage"), programme),
        ),
        Action(
            events_proposed_waiting(now=now).count() if programme is None else 0,
            "sharing events proposed by members, waiting for you to publish",
            reverse("learning:events_manage"),
        ),
        Action(
            rounds.count(),
            "coffee rounds to publish (opening within three days)",
            with_programme(reverse("sessions:cohorts"), programme),
        ),
    ]
    actions[1:1] = [
        *departure_actions(now=now, programme=programme),
        *waitlist_actions(now=now, programme=programme),
        *undecided_actions(now=now, programme=programme),
    ]
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        beat = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
        if beat is None or beat < now - HEARTBEAT_STALE_AFTER:
            actions.insert(
                0, Action(1, "no Celery worker has run for 15 minutes: emails are not going out", outbox)
            )
    return [action for action in actions if action.count]


def departure_actions(*, now: datetime.datetime, programme: Programme | None = None) -> list[Action]:
    """Members who left their group lately (one line each, with why); the places they freed are among the
    waitlist's proposals (`waitlist_actions`)."""
    confirmed_in = ApplicationStatusChange.objects.filter(
        application=OuterRef("application"), to_status=ApplicationStatus.CONFIRMED
    ).order_by("-changed_at", "-pk")
    changes = ApplicationStatusChange.objects.filter(
        from_status=ApplicationStatus.CONFIRMED,
        to_status=ApplicationStatus.WITHDRAWN,
        changed_at__gte=now - DEPARTURES_SHOWN_FOR,
    )
    if programme is not None:
        changes = changes.filter(application__programme=programme)
    departures = list(
        changes.annotate(left_cohort=Subquery(confirmed_in.values("cohort")[:1]))
        .select_related("application")
        .order_by("-changed_at", "-pk")
    )
    if not departures:
        return []
    cohorts = {
        cohort.pk: cohort
        for cohort in Cohort.objects.filter(pk__in={d.left_cohort for d in departures}).select_related(
            "programme"
        )
    }
    actions = []
    for departure in departures:
        cohort = cohorts.get(departure.left_cohort)
        if cohort is None:
            continue
        staff, _, reason = departure.note.partition(": ")
        verb = "was withdrawn from" if staff.startswith("Withdrawn by staff") else "left"
        when = local_text(departure.changed_at, cohort.programme.tz, DAY)
        label = f"{departure.application.name} {verb} {cohort.name} on {when}"
        actions.append(
            Action(
                1,
                f"{label}: “{reason.rstrip('.')}”" if reason else label,
                reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
            )
        )
    return actions


def waitlist_actions(*, now: datetime.datetime, programme: Programme | None = None) -> list[Action]:
    """The waitlist's proposals: places free in a group while people wait on its programme's waitlist and the
    group still takes newcomers (before its cut-off session), for the manager to offer. One query."""
    waiting = Application.objects.filter(status=ApplicationStatus.WAITLISTED, programme=OuterRef("programme"))
    groups = Cohort.objects.filter(Exists(waiting))
    if programme is not None:
        groups = groups.filter(programme=programme)
    cohorts = (
        groups.select_related("programme")
        .annotate(
            taken=Count(
                "applications", filter=Q(applications__status__in=PLACE_HOLDING_STATUSES), distinct=True
            ),
            # freed_place_offered's rule, counted here for every group at once: the cut-off (the n-th session
            # still on, in time order) has started once n sessions still on have started.
            started=Count(
                "sessions",
                filter=Q(sessions__status=SessionStatus.SCHEDULED, sessions__starts_at__lte=now),
                distinct=True,
            ),
        )
        .order_by("programme__applications_close_at", "number")
    )
    actions = []
    for cohort in cohorts:
        free = cohort.size - cohort.taken
        if free <= 0 or cohort.started >= cohort.programme.freed_places_until_session:
            continue
        actions.append(
            Action(
                free,
                f"{'place' if free == 1 else 'places'} free in {cohort.name} to offer from the waitlist",
                reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
            )
        )
    return actions


def undecided_actions(*, now: datetime.datetime, programme: Programme | None = None) -> list[Action]:
    """Applications still waiting for a decision after their programme's deadline, one line a programme."""
    undecided = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED, programme__applications_close_at__lte=now
    )
    if programme is not None:
        undecided = undecided.filter(programme=programme)
    rows = (
        undecided.values("programme__slug", "programme__title", "programme__applications_close_at")
        .annotate(n=Count("pk"))
        .order_by("programme__applications_close_at", "programme__slug")
    )
    return [
        Action(
            row["n"],
            f"applications to {row['programme__title']} not decided yet, though applications have closed",
            reverse("applications:selection_programme", kwargs={"slug": row["programme__slug"]}),
        )
        for row in rows
    ]
