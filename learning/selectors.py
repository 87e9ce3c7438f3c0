"""Reused reads. `entries_visible_to` is the only place that decides who may read an entry."""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from applications.models import Application, Cohort, Programme
from applications.selectors import active_member_place, cohort_members, hopes_of, memberships_of
from sessions_app.enums import AttendanceStatus, SessionStatus
from sessions_app.models import Attendance, Session

from .enums import QuestionKind, Visibility, audience_rank
from .models import (
    Authorship,
    Entry,
    ReadingItem,
    ReadingTick,
    SessionFeedback,
    SharingEvent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

User = get_user_model()


def entries_visible_to(user, *, memberships: list[Application] | None = None) -> QuerySet[Entry]:
    """Every entry `user` may read, as one query (no per-row checks):

    - public: anyone, signed in or not;
    - network: members of any cohort of the entry's programme, and staff;
    - group: members of the entry's cohort, and staff (the manager);
    - draft: its authors only (staff included: a draft is private to whoever writes it).
    An author always sees their own entries.

    `memberships`: the user's places (`memberships_of`), when the page has read them already.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Entry.objects.filter(visibility=Visibility.PUBLIC)
    rule = Q(visibility=Visibility.PUBLIC) | Q(pk__in=Authorship.objects.filter(user=user).values("entry_id"))
    if user.is_staff:
        rule |= Q(visibility__in=[Visibility.GROUP, Visibility.NETWORK])
    else:
        places = memberships_of(user)
        cohorts = places.values("cohort_id") if memberships is None else {m.cohort_id for m in memberships}
        programmes = (
            places.values("programme_id") if memberships is None else {m.programme_id for m in memberships}
        )
        rule |= Q(visibility=Visibility.GROUP, cohort_id__in=cohorts)
        rule |= Q(visibility=Visibility.NETWORK, programme_id__in=programmes)
    return Entry.objects.filter(rule)


def entries_with_related(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """What list pages and the feed show with each entry, in a fixed number of queries."""
    return entries.select_related("cohort", "programme", "session").prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.select_related("user")), "topics"
    )


def entries_filter(
    entries: QuerySet[Entry],
    *,
    cohort: Cohort | None = None,
    topic=None,
    kind: str = "",
    session: Session | None = None,
    search: str = "",
) -> QuerySet[Entry]:
    if cohort is not None:
        entries = entries.filter(cohort=cohort)
    if topic is not None:
        entries = entries.filter(topics=topic)
    if kind:
        entries = entries.filter(kind=kind)
    if session is not None:
        entries = entries.filter(session=session)
    for word in search.split()[:10]:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return entries


def author_candidates(cohort: Cohort) -> QuerySet:
    """Who can be named an author of an entry of `cohort`: its members and staff."""
    members = cohort_members(cohort).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(is_staff=True), is_active=True).order_by("name", "email")


def cohorts_for_writing(user) -> QuerySet[Cohort]:
    """The cohorts `user` may write entries for: their own; every cohort for staff."""
    cohorts = Cohort.objects.select_related("programme")
    if user.is_staff:
        return cohorts.order_by("programme__title", "number")
    return cohorts.filter(pk__in=memberships_of(user).values("cohort_id")).order_by(
        "programme__title", "number"
    )


def entries_awaiting_approval(*, programme: Programme | None = None) -> QuerySet[Entry]:
    """Entries whose authors propose a wider audience than the manager has approved (of one programme's groups,
    when given)."""
    wants_more = Q(audience_requested=Visibility.NETWORK, approved_audience="") | Q(
        audience_requested=Visibility.PUBLIC, approved_audience__in=["", Visibility.NETWORK]
    )
    entries = Entry.objects.exclude(visibility=Visibility.DRAFT).filter(wants_more)
    if programme is not None:
        entries = entries.filter(programme=programme)
    return entries_with_related(entries.order_by("updated_at", "pk"))


# --- Sharing consent --------------------------------------------------------------------------------------

CONSENT_ROUND_STARTS = (
    "requested",
    "reset",
)  # SharingEvent actions after which every author is asked (again)


def consent_awaited(entry: Entry) -> list[Authorship]:
    """The entry's authors who have not consented to the audience proposed (uses prefetched authorships)."""
    if not entry.audience_requested or sharing_declined(entry):
        return []
    wanted = audience_rank(entry.audience_requested)
    return [a for a in entry.authorships.all() if audience_rank(a.consent_audience) < wanted]


def sharing_declined(entry: Entry) -> bool:
    """The manager declined (or withdrew approval): nobody is asked to consent any more."""
    return entry.approved_at is not None and not entry.approved_audience


def _awaiting_consent() -> QuerySet[Authorship]:
    """Authorships whose consent is awaited: sharing proposed beyond the group, not declined, and the author's
    consent narrower than the proposal."""
    narrower = Q(entry__audience_requested=Visibility.NETWORK, consent_audience="") | Q(
        entry__audience_requested=Visibility.PUBLIC, consent_audience__in=["", Visibility.NETWORK]
    )
    declined = Q(entry__approved_at__isnull=False, entry__approved_audience="")
    return (
        Authorship.objects.filter(narrower)
        .exclude(declined)
        .exclude(entry__visibility=Visibility.DRAFT)
        .filter(user__is_active=True)
    )


def _consent_requested_of(user) -> Q:
    return Q(pk__in=_awaiting_consent().filter(user=user).values("entry_id"))


def consent_requests_for(user) -> list[Entry]:
    """Entries the user is asked to consent to sharing beyond the group, oldest proposal first."""
    if not user.is_authenticated:
        return []
    return list(
        Entry.objects.filter(_consent_requested_of(user))
        .select_related("cohort")
        .order_by("updated_at", "pk")
    )


def consent_requests_and_latest(
    user, *, latest: QuerySet[Entry], count: int, in_latest: Callable[[Entry], bool]
) -> tuple[list[Entry], list[Entry]]:
    """`consent_requests_for(user)` and the first `count` entries of `latest` (a queryset of entries the user may
    read, in the order to show them), read together in one query, each entry with its group and its authors (one
    more query when there is any): a page that shows both (the member's dashboard) pays for one.

    `in_latest` says whether an entry read is one `latest` lists (the caller knows its rule): the query then
    names each subquery once, in its WHERE, instead of again as a column (half the SQL to compile). Which entries
    await the user's consent is read off their prefetched authorships (`consent_awaited`, the same rule as
    `_awaiting_consent`)."""
    if not user.is_authenticated:
        return [], []
    entries: list[Entry] = list(
        Entry.objects.filter(_consent_requested_of(user) | Q(pk__in=latest.values("pk")[:count]))
        .select_related("cohort")
        .prefetch_related(Prefetch("authorships", queryset=Authorship.objects.select_related("user")))
        .order_by(*latest.query.order_by)
    )
    requests = sorted(
        (entry for entry in entries if _consent_asked_of(entry, user)),
        key=lambda entry: (entry.updated_at, entry.pk),
    )
    # Every entry of `latest` among the first `count` was read, and in `latest`'s order: its first `count`
    # entries here are they.
    return requests, [entry for entry in entries if in_latest(entry)][:count]


def _consent_asked_of(entry: Entry, user) -> bool:
    """In Python, what `_consent_requested_of(user)` asks of an entry read with its authorships."""
    return (
        entry.visibility != Visibility.DRAFT
        and user.is_active
        and any(authorship.user_id == user.pk for authorship in consent_awaited(entry))
    )


def consents_awaited_since(
    *, started_after: datetime.datetime
) -> list[tuple[Authorship, int, datetime.datetime]]:
    """Every awaited consent with the round of asking it belongs to: (authorship, the id of the sharing event that
    started the round, when), for rounds started after `started_after`. The author who started the round (by
    editing the entry) is left out: they are on its page already."""
    round_start = SharingEvent.objects.filter(
        entry_id=OuterRef("entry_id"), action__in=CONSENT_ROUND_STARTS
    ).order_by("-at", "-pk")
    awaited = (
        _awaiting_consent()
        .annotate(
            round_id=Subquery(round_start.values("pk")[:1]),
            round_at=Subquery(round_start.values("at")[:1]),
            round_by=Subquery(round_start.values("user_id")[:1]),
        )
        .filter(round_at__gt=started_after)
        .select_related("entry__cohort__programme", "user")
        .order_by("entry_id", "pk")
    )
    return [
        (a, a.round_id, a.round_at)  # annotations
        for a in awaited
        if a.user_id != a.round_by
    ]


# --- Reading list ----------------------------------------------------------------------------------------


def reading_items_for(user) -> QuerySet[ReadingItem]:
    """Reading lists of the programmes the user belongs to (every programme for staff), each item marked
    `.done` for this user and carrying `.tick_count` (how many people ticked it)."""
    return (
        _reading_items_of(user)
        .select_related("programme")
        .annotate(done=_ticked_by(user), tick_count=Count("ticks"))
        .order_by("programme__title", "order", "pk")
    )


def reading_progress(user, *, memberships: list[Application] | None = None) -> tuple[int, int]:
    """Of the items `reading_items_for` lists, how many the user has ticked and how many there are, as one
    aggregate for a page that shows only the count; `memberships`, the user's places, when already read."""
    counts = (
        _reading_items_of(user, memberships)
        .annotate(ticked=_ticked_by(user))
        .aggregate(done=Count("pk", filter=Q(ticked=True)), total=Count("pk"))
    )
    return counts["done"], counts["total"]


def _reading_items_of(user, memberships: list[Application] | None = None) -> QuerySet[ReadingItem]:
    if user.is_staff:
        return ReadingItem.objects.all()
    if memberships is None:
        return ReadingItem.objects.filter(programme_id__in=memberships_of(user).values("programme_id"))
    return ReadingItem.objects.filter(programme_id__in={m.programme_id for m in memberships})


def _ticked_by(user) -> Exists:
    return Exists(ReadingTick.objects.filter(item=OuterRef("pk"), user=user))


# --- Feedback --------------------------------------------------------------------------------------------


def member_for_session(user, session: Session) -> Application | None:
    """The user's membership of the session's cohort, if they have one."""
    return memberships_of(user).filter(cohort_id=session.cohort_id).first()


def attended(member: Application, session: Session) -> bool:
    return Attendance.objects.filter(
        session=session, member=member, status=AttendanceStatus.ATTENDED
    ).exists()


def feedback_due(*, now: datetime.datetime, ended_after: datetime.datetime) -> QuerySet[Attendance]:
    """Attendances of sessions that ended between `ended_after` and `now` whose member has not given feedback."""
    answered = SessionFeedback.objects.filter(session=OuterRef("session_id"), member=OuterRef("member_id"))
    return (
        Attendance.objects.filter(
            active_member_place(via="member__"),
            status=AttendanceStatus.ATTENDED,
            session__status=SessionStatus.SCHEDULED,
            session__ends_at__lte=now,
            session__ends_at__gt=ended_after,
        )
        .exclude(Exists(answered))
        .select_related("session__cohort__programme", "member__user")
        .order_by("session__ends_at", "pk")
    )


def advice_contact_choices(member: Application) -> QuerySet[Application]:
    """Whom a member may tick as someone they would contact for advice: the other members of their group."""
    cohort = member.cohort
    if cohort is None:
        return Application.objects.none()
    return cohort_members(cohort).exclude(pk=member.pk)


def survey_opening_sessions(survey: Survey) -> QuerySet[Session]:
    """Per cohort of the survey's programme, the session that opens the survey (`Survey.opens_at` says when)."""
    return Session.objects.filter(
        cohort__programme_id=survey.programme_id,
        number=survey.opens_after_session,
        status=SessionStatus.SCHEDULED,
    ).select_related("cohort")


def survey_openings(survey: Survey) -> dict[int, datetime.datetime]:
    """When the survey opens for each cohort of its programme (by cohort id), whether in the past or not."""
    tz = survey.programme.tz
    return {s.cohort_id: survey.opens_at(s.starts_at, s.ends_at, tz) for s in survey_opening_sessions(survey)}


def survey_opened_at(survey: Survey, member: Application) -> datetime.datetime | None:
    assert member.cohort_id is not None  # a member's place is in a group
    session = survey_opening_sessions(survey).filter(cohort_id=member.cohort_id).first()
    return survey.opens_at(session.starts_at, session.ends_at, survey.programme.tz) if session else None


def survey_due(survey: Survey, *, now: datetime.datetime, opened_after: datetime.datetime) -> list[tuple]:
    """(member, opened_at) for members of cohorts where the survey opened between `opened_after` and `now`
    who have not answered it."""
    opened = {
        cohort_id: opened_at
        for cohort_id, opened_at in survey_openings(survey).items()
        if opened_after < opened_at <= now
    }
    if not opened:
        return []
    members = (
        Application.objects.filter(active_member_place(), cohort_id__in=opened)
        .exclude(Exists(SurveyResponse.objects.filter(survey=survey, member=OuterRef("pk"))))
        .select_related("user", "cohort")
        .order_by("pk")
    )
    return [(member, opened[member.cohort_id]) for member in members if member.cohort_id is not None]


@dataclass
class MemberFeedbackItem:
    kind: str  # "session" or "survey"
    title: str
    url: str
    answered: bool
    when: datetime.datetime


def attendance_with_feedback_given() -> QuerySet[Attendance]:
    """Attendance records, each marked `answered` when its member has given feedback on its session."""
    given = SessionFeedback.objects.filter(session=OuterRef("session_id"), member=OuterRef("member_id"))
    return Attendance.objects.annotate(answered=Exists(given))


def feedback_asked(attendance: Attendance, now: datetime.datetime) -> bool:
    """Whether a member is asked for feedback on a session: they attended it, it went ahead and it has ended."""
    session = attendance.session
    return (
        attendance.status == AttendanceStatus.ATTENDED
        and session.status == SessionStatus.SCHEDULED
        and session.ends_at <= now
    )


def feedback_for_member(
    user,
    *,
    now: datetime.datetime,
    memberships: list[Application] | None = None,
    sessions: list[Session] | None = None,
) -> list[MemberFeedbackItem]:
    """What the user is asked to give feedback on: sessions they attended that have ended, and open surveys.

    A page that has read them already passes the user's places (`memberships`) and their sessions (`sessions`,
    as sessions_app's `member_schedule` gives them, built with `attendance=attendance_with_feedback_given()`)."""
    from django.urls import reverse

    if memberships is None:
        memberships = list(memberships_of(user))
    if not memberships:
        return []
    if sessions is None:
        attendances = list(
            attendance_with_feedback_given()
            .filter(member__in=memberships, status=AttendanceStatus.ATTENDED)
            .select_related("session")
        )
    else:
        attendances = [record for session in sessions for record in session.my_attendance]  # type: ignore[attr-defined]  # a Prefetch's to_attr
    items: list[MemberFeedbackItem] = []
    for attendance in attendances:
        if not feedback_asked(attendance, now):
            continue
        session = attendance.session
        label = f"Session {session.number}" + (f": {session.topic}" if session.topic else "")
        items.append(
            MemberFeedbackItem(
                "session",
                label,
                reverse("learning:session_feedback", kwargs={"session_id": session.pk}),
                attendance.answered,  # type: ignore[attr-defined]  # attendance_with_feedback_given's
                session.ends_at,
            )
        )
    answered = Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), member__in=memberships))
    surveys = Survey.objects.filter(programme_id__in={m.programme_id for m in memberships}).select_related(
        "programme"
    )
    if sessions is None:
        # One query for every survey, however many: a person has at most one place per programme, so each
        # survey's opening is the end of that session of *their* cohort (as survey_opened_at finds it, one survey
        # at a time).
        their_cohort = (
            memberships_of(user).filter(programme_id=OuterRef(OuterRef("programme_id"))).values("cohort_id")
        )
        opening = Session.objects.filter(
            cohort_id=Subquery(their_cohort[:1]),
            number=OuterRef("opens_after_session"),
            status=SessionStatus.SCHEDULED,
        )
        opened: list[tuple[Survey, bool, datetime.datetime | None]] = [
            (
                survey,
                survey.answered,
                survey.opens_at(survey.starts, survey.ends, survey.programme.tz) if survey.ends else None,
            )
            for survey in surveys.annotate(
                starts=Subquery(opening.values("starts_at")[:1]),
                ends=Subquery(opening.values("ends_at")[:1]),
                answered=answered,
            )
        ]
    else:
        # The same opening, found among the sessions already read.
        their_cohorts: dict[int, int | None] = {}
        for membership in memberships:
            their_cohorts.setdefault(membership.programme_id, membership.cohort_id)
        scheduled: dict[tuple[int | None, int], Session] = {}
        for session in sessions:
            if session.status == SessionStatus.SCHEDULED:
                scheduled.setdefault((session.cohort_id, session.number), session)
        opened = []
        for annotated in surveys.annotate(answered=answered):
            opening_session = scheduled.get(
                (their_cohorts.get(annotated.programme_id), annotated.opens_after_session)
            )
            opened.append(
                (
                    annotated,
                    annotated.answered,
                    annotated.opens_at(
                        opening_session.starts_at, opening_session.ends_at, annotated.programme.tz
                    )
                    if opening_session
                    else None,
                )
            )
    for survey, survey_answered, opened_at in opened:
        if opened_at is None or opened_at > now:
            continue
        items.append(
            MemberFeedbackItem("survey", survey.title, survey.get_absolute_url(), survey_answered, opened_at)
        )
    return sorted(items, key=lambda item: item.when, reverse=True)


# --- Results (the manager's) -----------------------------------------------------------------------------


@dataclass
class RatingSummary:
    count: int = 0
    average: float | None = None
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @classmethod
    def of(cls, ratings: list[int]) -> "RatingSummary":
        counts = Counter(ratings)
        return cls(
            count=len(ratings),
            average=round(sum(ratings) / len(ratings), 2) if ratings else None,
            distribution={value: counts.get(value, 0) for value in range(1, 6)},
        )


def programme_session_results(programme: Programme) -> list[dict]:
    """Per session of every cohort, in date order (a cancelled one in its place, for the page to mark): attended,
    answered, average rating and distribution. Three queries."""
    sessions = list(
        Session.objects.filter(cohort__programme=programme)
        .select_related("cohort")
        .annotate(
            attended_count=Count(
                "attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED), distinct=True
            ),
            feedback_count=Count("feedback", distinct=True),
            average_rating=Avg("feedback__rating"),
        )
        .order_by("cohort__number", "starts_at", "number")
    )
    ratings: dict[int, list[int]] = {}
    for session_id, rating in SessionFeedback.objects.filter(session__in=sessions).values_list(
        "session_id", "rating"
    ):
        ratings.setdefault(session_id, []).append(rating)
    return [{"session": s, "summary": RatingSummary.of(ratings.get(s.pk, []))} for s in sessions]


def session_feedback_answers(session: Session) -> QuerySet[SessionFeedback]:
    return session.feedback.select_related("member").order_by("submitted_at", "pk")


def programme_feedback_rows(programme: Programme) -> QuerySet[SessionFeedback]:
    return (
        SessionFeedback.objects.filter(session__cohort__programme=programme)
        .select_related("session__cohort", "member")
        .order_by("session__cohort__number", "session__number", "submitted_at", "pk")
    )


def survey_results(survey: Survey) -> list[dict]:
    """Per question (retired ones too, if answered): a rating summary or the open answers with who gave them."""
    questions = list(survey.questions.all())
    answers = list(
        SurveyAnswer.objects.filter(response__survey=survey)
        .select_related("response__member")
        .order_by("response__submitted_at", "pk")
    )
    by_question: dict[int, list[SurveyAnswer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in questions:
        given = by_question.get(question.pk, [])
        if not question.is_active and not given:
            continue
        if question.kind == QuestionKind.RATING:
            summary = RatingSummary.of([a.rating for a in given if a.rating is not None])
            results.append({"question": question, "summary": summary, "answers": []})
        else:
            results.append({"question": question, "summary": None, "answers": [a for a in given if a.text]})
    return results


def survey_responses(survey: Survey) -> QuerySet[SurveyResponse]:
    return (
        survey.responses.select_related("member__cohort")
        .prefetch_related(Prefetch("answers", queryset=SurveyAnswer.objects.all()))
        .order_by("member__cohort__number", "member__name", "pk")
    )


def survey_questions_answered(survey: Survey) -> QuerySet[SurveyQuestion]:
    return (
        survey.questions.filter(Q(is_active=True) | Q(answers__isnull=False))
        .distinct()
        .order_by("order", "pk")
    )


@dataclass
class MemberAnswers:
    """One member's response to a survey, beside what they hoped to achieve when they applied (as the member's own
    survey page shows it): each answered question with the answer as text ("" when skipped)."""

    response: SurveyResponse
    hopes: str
    answers: list[tuple[SurveyQuestion, str]]


def survey_answers_by_member(
    survey: Survey,
) -> tuple[list[SurveyQuestion], list[MemberAnswers], str]:
    """The questions answered (in order), every response with its member's hopes and answers, and the heading of
    the hopes ("" for the form's built-in "what you hope to achieve" as the brief words it; the manager's label
    where she reworded it; else the label of the programme's own question shown in its place, `hopes_of`). Four
    queries, five when a question is shown in its place."""
    questions = list(survey_questions_answered(survey))
    responses = list(survey_responses(survey))
    hopes = hopes_of(survey.programme_id, [response.member for response in responses])
    members = []
    for response in responses:
        given = {a.question_id: a for a in response.answers.all()}
        answers = []
        for question in questions:
            answer = given.get(question.pk)
            if answer is None:
                text = ""
            elif question.kind == QuestionKind.RATING:
                text = str(answer.rating) if answer.rating is not None else ""
            else:
                text = answer.text
            answers.append((question, text))
        members.append(MemberAnswers(response=response, hopes=hopes.of(response.member), answers=answers))
    return questions, members, hopes.heading
