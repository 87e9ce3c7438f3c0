import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.selectors import email_about_exists, emails_about

from . import composer, slot_finder
from .enums import (
    CHOICE_KINDS,
    COUNTABLE_KINDS,
    DECISION_EMAILS,
    PLACE_HOLDING_STATUSES,
    ApplicationStatus,
    AvailabilityAnswer,
    BuiltinQuestion,
    ComposerMark,
    ProgrammePhase,
    QuestionKind,
    RoleType,
)
from .group_times import ConfirmedTime, cohort_confirmed_time
from .models import (
    Application,
    Availability,
    CandidateTime,
    Cohort,
    DropIn,
    ExpressionOfInterest,
    MemberOrganisation,
    Programme,
    Question,
    QuestionAnswer,
)
from .questions.defaults import BY_KEY, DEFAULTS, POSITION, SECTION_ORDER
from .questions.kinds import YES_NO, answer_display


def programmes_published() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def programmes_open(now=None) -> list[Programme]:
    """The published programmes taking applications now, the soonest deadline first (the home page shows each)."""
    now = now or timezone.now()
    return list(
        programmes_published()
        .filter(applications_open_at__lte=now, applications_close_at__gt=now)
        .order_by("applications_close_at", "pk")
    )


@dataclass(frozen=True)
class ProgrammeListing:
    """The programmes page: open, upcoming and past programmes, and (for staff) those not yet published."""

    open: list[Programme]
    upcoming: list[Programme]
    past: list[Programme]
    unpublished: list[Programme]

    def sections(self) -> list[tuple[str, str, list[Programme]]]:
        """(id, heading, programmes) of each part that has any, in the page's order."""
        parts = [
            ("open", "Open for applications", self.open),
            ("upcoming", "Opening soon", self.upcoming),
            ("past", "Past programmes", self.past),
            ("unpublished", "Not published yet", self.unpublished),
        ]
        return [part for part in parts if part[2]]


def programmes_listed(*, include_unpublished: bool, now=None) -> ProgrammeListing:
    """Every programme a visitor may see, by phase, in one query; staff also see the unpublished ones."""
    now = now or timezone.now()
    programmes = Programme.objects.all() if include_unpublished else programmes_published()
    listing = ProgrammeListing(open=[], upcoming=[], past=[], unpublished=[])
    by_phase = {
        ProgrammePhase.OPEN: listing.open,
        ProgrammePhase.NOT_YET_OPEN: listing.upcoming,
        ProgrammePhase.CLOSED: listing.past,
    }
    for programme in programmes.order_by("applications_close_at", "pk"):
        if not programme.is_published:
            listing.unpublished.append(programme)
        else:
            by_phase[programme.phase(now)].append(programme)
    listing.past.reverse()  # the most recent first
    return listing


def programme_current() -> Programme | None:
    """The programme the home page shows: the published one whose deadline is soonest ahead, else the latest."""
    published = programmes_published()
    upcoming = published.filter(applications_close_at__gt=timezone.now()).order_by("applications_close_at")
    return upcoming.first() or published.order_by("-applications_close_at").first()


# --- Membership: who is a member is decided here, and every app asks these -------------------------------------

# A member's place: a confirmed application in a group.
MEMBER_PLACE = Q(status=ApplicationStatus.CONFIRMED, cohort__isnull=False)


def active_member_place(via: str = "") -> Q:
    """A member's place whose account is active, as a condition on Application (or, `via="member__"`, on a model
    that points at one)."""
    return Q(
        **{
            f"{via}status": ApplicationStatus.CONFIRMED,
            f"{via}cohort__isnull": False,
            f"{via}user__is_active": True,
        }
    )


def memberships_of(user) -> QuerySet[Application]:
    """The user's places as a member; none for someone signed out or deactivated (an erased account is one)."""
    if not (user and user.is_authenticated and user.is_active):
        return Application.objects.none()
    return Application.objects.filter(MEMBER_PLACE, user=user)


def is_member_place(application: Application) -> bool:
    """MEMBER_PLACE for an application already in hand (one the user owns, so their account's state is known)."""
    return application.status == ApplicationStatus.CONFIRMED and application.cohort_id is not None


def places_and_offers_of(user) -> tuple[list[Application], list[Application]]:
    """The user's places as a member (as `memberships_of` lists them) and the places offered to them and not yet
    answered, each with its group and programme, in one query: for a page that shows both (the dashboard). An
    offer still in the manager's drafts is left out, as `offers_sent` leaves it out."""
    if not (user and user.is_authenticated and user.is_active):
        return [], []
    applications = list(
        Application.objects.filter(
            MEMBER_PLACE | (Q(status=ApplicationStatus.OFFERED) & ~_offer_drafted()), user=user
        ).select_related("cohort__programme")
    )
    places = [application for application in applications if is_member_place(application)]
    offers = [application for application in applications if application.status == ApplicationStatus.OFFERED]
    return places, offers


def latest_membership(memberships: Sequence[Application]) -> Application | None:
    """Of a user's places (with their groups), the most recent: the group whose sessions start last."""
    assert all(m.cohort is not None for m in memberships)  # a member's place is in a group
    return max(memberships, key=lambda m: (m.cohort.first_session_week, m.pk), default=None)  # type: ignore[union-attr]


def is_member(user) -> bool:
    return memberships_of(user).exists()


def is_member_of_cohort(user, cohort_id: int) -> bool:
    return memberships_of(user).filter(cohort_id=cohort_id).exists()


def cohort_members(cohort: Cohort) -> QuerySet[Application]:
    """The members of a cohort whose accounts are active, as their applications (which carry organisation and
    availability)."""
    return (
        Application.objects.filter(active_member_place(), cohort=cohort)
        .select_related("user")
        .order_by("name", "pk")
    )


def cohort_best_times(
    cohort: Cohort, people: Sequence[Application]
) -> tuple[list[slot_finder.RankedTime], dict[int, CandidateTime]]:
    """The best weekly time: the programme's candidate times ranked for `people` (applications of the cohort) by
    the best-time finder, best first, with the bank holidays in the cohort's weeks. The one ranking the selection
    page and the schedule page both show. Candidate keys are CandidateTime pks; members are the Applications, in
    the order given. Returns the ranking and the candidate times by pk."""
    programme = cohort.programme
    times = list(CandidateTime.objects.filter(programme=programme).select_related("programme"))
    answers: dict[Application, dict[int, str]] = {person: {} for person in people}
    by_pk = {person.pk: person for person in people}
    rows = Availability.objects.filter(
        application__in=list(people), candidate_time__programme=programme
    ).values_list("application_id", "candidate_time_id", "answer")
    for application_id, candidate_id, answer in rows:
        answers[by_pk[application_id]][candidate_id] = answer
    return best_times(programme, times, answers, first_week=cohort.first_session_week), {
        t.pk: t for t in times
    }


def best_times(
    programme: Programme,
    times: Sequence[CandidateTime],
    answers: Mapping[Any, Mapping[int, str]],  # Any: Mapping is invariant in its key
    *,
    first_week: datetime.date,
) -> list[slot_finder.RankedTime]:
    """The candidate `times` ranked by the best-time finder for people's `answers` ({person: {candidate time pk:
    answer}}), best first, with the bank holidays in the weeks from `first_week`. No queries: the answers are in
    hand (a group's members' through `cohort_best_times`, a proposed group's on the "Propose groups" page)."""
    candidates = [slot_finder.Candidate(key=t.pk, weekday=t.weekday, start=t.start_time) for t in times]
    return slot_finder.rank_times(
        candidates,
        answers,
        first_week=first_week,
        weeks=programme.session_count,
        holiday_subdivision=programme.holiday_nation,
    )


# --- Proposing groups (the composer's input) -------------------------------------------------------------------

# The applications a proposal of groups considers: neither holding a place nor turned down, withdrawn or expired.
CONSIDERED_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)


@dataclass(frozen=True)
class ComposerInput:
    """What the group composer needs about a programme, and the rows its answer refers to by pk."""

    applicants: list[composer.Applicant]
    times: list[composer.Time]
    applications: dict[int, Application]
    candidate_times: dict[int, CandidateTime]


def composer_input(programme: Programme) -> ComposerInput:
    """The programme's applications under consideration (CONSIDERED_STATUSES, in the order they applied) as the
    composer's applicants, with their answers per candidate time, score, organisation, role type, region and the
    manager's "must include" or "exclude" mark. Keys are
    CandidateTime pks, ids Application pks. Three queries, however many applications."""
    times = list(CandidateTime.objects.filter(programme=programme).order_by("weekday", "start_time", "pk"))
    for candidate in times:
        candidate.programme = programme  # its label needs the session length, already in hand
    applications = list(
        Application.objects.filter(programme=programme, status__in=CONSIDERED_STATUSES).order_by(
            "submitted_at", "pk"
        )
    )
    answers: dict[int, dict[int, str]] = {application.pk: {} for application in applications}
    rows = Availability.objects.filter(
        application__programme=programme,
        application__status__in=CONSIDERED_STATUSES,
        candidate_time__programme=programme,
    ).values_list("application_id", "candidate_time_id", "answer")
    for application_id, candidate_id, answer in rows:
        answers[application_id][candidate_id] = answer
    return ComposerInput(
        applicants=[
            composer.Applicant(
                id=application.pk,
                availability=answers[application.pk],
                score=application.score,
                organisation=application.organisation,
                role=application.role_type,
                region=application.region,
                include=application.composer_mark == ComposerMark.INCLUDE,
                exclude=application.composer_mark == ComposerMark.EXCLUDE,
            )
            for application in applications
        ],
        times=[composer.Time(candidate.pk, candidate.label) for candidate in times],
        applications={application.pk: application for application in applications},
        candidate_times={candidate.pk: candidate for candidate in times},
    )


# --- Selection (the manager's view of a cohort) --------------------------------------------------------------


def waitlist(programme_id: int) -> QuerySet[Application]:
    """The programme's waitlist, first in line first."""
    return Application.objects.filter(
        programme_id=programme_id, status=ApplicationStatus.WAITLISTED
    ).order_by("waitlist_position")


@dataclass
class WaitlistFit:
    """The waitlist as a group with a confirmed weekly time sees it: who said they can come (yes or if need be),
    in waitlist order, and who cannot (said no, or gave no answer for that time)."""

    time: ConfirmedTime | None
    can_come: list[Application]
    cannot_come: list[Application]

    @property
    def passed_over(self) -> list[Application]:
        """Those ahead of the first who can come (all who cannot, when nobody can)."""
        if not self.can_come:
            return list(self.cannot_come)
        first = self.can_come[0].waitlist_position or 0
        return [a for a in self.cannot_come if (a.waitlist_position or 0) < first]


def waitlist_fit(cohort: Cohort, waiting: Sequence[Application]) -> WaitlistFit:
    """Sort `waiting` (in waitlist order) by whether they can make `cohort`'s confirmed time. A group with no
    confirmed time yet, or one at a time nobody was asked about, takes everyone in order."""
    time = cohort_confirmed_time(cohort)
    candidate = time.candidate_time(cohort) if time is not None else None
    if candidate is None:
        return WaitlistFit(time=None, can_come=list(waiting), cannot_come=[])
    able = set(
        Availability.objects.filter(
            candidate_time=candidate,
            application__in=[a.pk for a in waiting],
            answer__in=[AvailabilityAnswer.YES, AvailabilityAnswer.IF_NEED_BE],
        ).values_list("application_id", flat=True)
    )
    return WaitlistFit(
        time=time,
        can_come=[a for a in waiting if a.pk in able],
        cannot_come=[a for a in waiting if a.pk not in able],
    )


def cohort_places(cohort: Cohort) -> QuerySet[Application]:
    """Everyone holding a place in a cohort (confirmed members, then offers awaiting an answer)."""
    return (
        Application.objects.filter(cohort=cohort, status__in=PLACE_HOLDING_STATUSES)
        .select_related("user")
        .order_by("status", "name", "pk")
    )


def cohorts_with_fill(programme_id: int) -> QuerySet[Cohort]:
    """A programme's cohorts, each annotated with `taken` (offered + confirmed) and `confirmed`."""
    return (
        Cohort.objects.filter(programme_id=programme_id)
        .annotate(
            taken=Count("applications", filter=Q(applications__status__in=PLACE_HOLDING_STATUSES)),
            confirmed=Count("applications", filter=Q(applications__status=ApplicationStatus.CONFIRMED)),
        )
        .order_by("number")
    )


def decision_drafts(programme_id: int) -> QuerySet[OutgoingEmail]:
    """Decision emails of a programme's applications waiting in the manager's drafts."""
    return emails_about(
        Application,
        ids=Application.objects.filter(programme_id=programme_id).values("pk"),
        kinds=DECISION_EMAILS.values(),
        statuses=[EmailStatus.DRAFT],
    ).order_by("created_at", "pk")


def _offer_drafted():
    return email_about_exists(Application, kinds=[EmailKind.DECISION_OFFERED], statuses=[EmailStatus.DRAFT])


def offers_sent() -> QuerySet[Application]:
    """Offered applications whose offer email has gone: their clock runs (reminders, expiry)."""
    return Application.objects.filter(status=ApplicationStatus.OFFERED).exclude(_offer_drafted())


def offers_drafted() -> QuerySet[Application]:
    """Offered applications whose offer email still waits in the manager's drafts: nobody has told them, and
    their clock starts when it is sent."""
    return Application.objects.filter(status=ApplicationStatus.OFFERED).filter(_offer_drafted())


def offer_counts(*, expiring_before, programme: Programme | None = None) -> dict[str, int]:
    """Offers awaiting an answer (of one programme, when given), in one query: `unanswered` (emailed),
    `expiring` (emailed, lapsing before `expiring_before`) and `drafted` (their email still in the drafts, so
    nobody has been told)."""
    drafted = _offer_drafted()
    offers = Application.objects.filter(status=ApplicationStatus.OFFERED)
    if programme is not None:
        offers = offers.filter(programme=programme)
    return offers.aggregate(
        unanswered=Count("pk", filter=~drafted),
        expiring=Count("pk", filter=~drafted & Q(offer_expires_at__lte=expiring_before)),
        drafted=Count("pk", filter=drafted),
    )


@dataclass
class CohortOverview:
    cohort: Cohort
    taken: int
    places: list[Application]
    waitlist: list[Application]
    organisations: list[tuple[str, int]]
    role_types: list[tuple[str, int]]
    best_times: list[tuple[slot_finder.RankedTime, CandidateTime]]
    draft_count: int
    drafted_offer_ids: frozenset[int] = frozenset()
    waitlist_fit: WaitlistFit | None = None

    @property
    def free(self) -> int:
        return max(self.cohort.size - self.taken, 0)

    @property
    def confirmed(self) -> list[Application]:
        return [a for a in self.places if a.status == ApplicationStatus.CONFIRMED]

    @property
    def offered(self) -> list[Application]:
        return [a for a in self.places if a.status == ApplicationStatus.OFFERED]


def cohort_overview(cohort: Cohort) -> CohortOverview:
    """Everything the selection page shows, in a fixed number of queries whatever the group's size."""
    places = list(cohort_places(cohort))
    drafts = list(decision_drafts(cohort.programme_id).values_list("kind", "about_id"))
    waiting = list(waitlist(cohort.programme_id))
    ranking, times = cohort_best_times(cohort, places)
    organisations = Counter(a.organisation.strip() for a in places)
    roles = Counter(a.role_type for a in places)
    return CohortOverview(
        cohort=cohort,
        taken=len(places),
        places=places,
        waitlist=waiting,
        waitlist_fit=waitlist_fit(cohort, waiting),
        organisations=sorted(organisations.items(), key=lambda item: (-item[1], item[0].lower())),
        role_types=[(RoleType(value).label, roles.get(value, 0)) for value in RoleType.values],
        best_times=[(ranked, times[ranked.candidate.key]) for ranked in ranking],
        draft_count=len(drafts),
        drafted_offer_ids=frozenset(
            about_id
            for kind, about_id in drafts
            if kind == EmailKind.DECISION_OFFERED and about_id is not None
        ),
    )


# --- Recruitment ----------------------------------------------------------------------------------


def drop_ins_upcoming(programme: Programme, *, now=None) -> QuerySet[DropIn]:
    """The programme's drop-ins that have not finished yet, soonest first."""
    return programme.drop_ins.filter(ends_at__gt=now or timezone.now()).order_by("starts_at")


def _application_with_same_email():
    return Application.objects.filter(programme=OuterRef("programme"), email__iexact=OuterRef("email"))


def interests_with_applied(queryset: QuerySet[ExpressionOfInterest] | None = None):
    """Expressions of interest, each with `applied`: whether the same address has applied to the programme."""
    queryset = queryset if queryset is not None else ExpressionOfInterest.objects.all()
    return queryset.annotate(applied=Exists(_application_with_same_email()))


def interests_not_applied(programme: Programme) -> QuerySet[ExpressionOfInterest]:
    return programme.interests.exclude(Exists(_application_with_same_email()))


def member_organisation_names() -> list[str]:
    return list(MemberOrganisation.objects.order_by("name").values_list("name", flat=True))


def builtin_question_default(programme: Programme, key: str) -> Question:
    """A built-in question as the brief words it, for a programme with no row for it (unsaved)."""
    default = BY_KEY[key]
    return Question(
        programme=programme,
        builtin=key,
        kind=default.kind,
        label=default.label,
        hint=default.hint,
        required=default.required,
        section=default.section,
        order=0,
    )


def builtin_labels(programme_id: int) -> dict[str, str]:
    """Each built-in question's label as the programme words it now, by its key (the application's column of its
    answers): the manager's wording where the programme has a row for it (hidden ones too: their answers are
    kept), else the brief's. What staff pages name the answers by. One query."""
    labels = {default.key: default.label for default in DEFAULTS}
    labels.update(
        Question.objects.filter(programme_id=programme_id, builtin__in=list(BY_KEY))
        .order_by()
        .values_list("builtin", "label")
    )
    return labels


def _form_order(question: Question) -> tuple[int, int, int, int]:
    """A question's place on the form: its section, its number, the form's own questions before the programme's
    at the same number (in their usual order), then the programme's in the order they were added."""
    if question.builtin:
        return (SECTION_ORDER.index(question.section), question.order, 0, POSITION[question.builtin])
    return (SECTION_ORDER.index(question.section), question.order, 1, question.pk or 0)


def form_questions(programme: Programme) -> list[Question]:
    """Every question the programme's application form asks now, in its order: the form's built-in questions as
    the manager worded them (as the brief does for any the programme has no row for) and the programme's own;
    hidden ones left out. One query. The form, the service that checks the answers, and the applicant's copy of
    their answers all read it."""
    return _asked(programme, list(programme.questions.all()))


def _asked(programme: Programme, rows: Sequence[Question]) -> list[Question]:
    """`form_questions` from the programme's question rows as read."""
    builtins = {question.builtin: question for question in rows if question.builtin in BY_KEY}
    questions = [question for question in rows if not question.builtin]
    for default in DEFAULTS:
        question = builtins.get(default.key) or builtin_question_default(programme, default.key)
        if default.fixed:  # always asked, needing an answer, in its section (whatever a row says)
            question.hidden, question.required, question.section = False, True, default.section
        questions.append(question)
    return sorted((question for question in questions if not question.hidden), key=_form_order)


def application_answers(
    application: Application, questions: list[Question] | None = None
) -> list[tuple[str, str]]:
    """Every answer as (question, answer) in the form's order: the summary in emails and on the private page.
    The form's built-in questions are named as the summary always named them, or with the manager's wording
    where she reworded them; one hidden is left out. `questions`: `form_questions` of its programme, if read."""

    def yes_no(value: bool) -> str:
        return "Yes" if value else "No"

    shown = {
        "role_type": application.get_role_type_display(),
        "region": application.get_region_display() or "Prefer not to say",
        "challenge": application.challenge or "(none yet)",
        "accessibility_needs": application.accessibility_needs or "(none given)",
    }
    own: list[tuple[Question, str]]
    if questions is None:
        # One query for the questions and the answers to the programme's own (as `answers_of` reads them).
        given = QuestionAnswer.objects.filter(application=application, question=OuterRef("pk")).values("text")
        read: list[Question] = list(application.programme.questions.annotate(answer=Subquery(given[:1])))
        questions = _asked(application.programme, read)
        own = [
            (question, question.answer)  # type: ignore[attr-defined]
            for question in sorted(read, key=lambda question: (question.order, question.pk))
            if not question.builtin and question.answer is not None  # type: ignore[attr-defined]
        ]
    else:
        own = [(answer.question, answer.text) for answer in answers_of(application)]
    rows = []
    for question in questions:
        default = question.default
        if default is None:
            continue
        named = default.summary if question.label == default.label else question.label
        if default.kind == QuestionKind.AVAILABILITY:
            rows += [
                (f"{named} {answer.candidate_time.label}", answer.get_answer_display())
                for answer in application.availability.select_related("candidate_time__programme").order_by(
                    "candidate_time__weekday", "candidate_time__start_time"
                )
            ]
            continue
        value = getattr(application, default.key)
        if default.key in shown:
            value = shown[default.key]
        elif default.kind == QuestionKind.YES_NO:
            value = yes_no(value)
        rows.append((named, value))
        if default.key == "name":
            rows.append(("Email", application.email))
    rows += [(question.label, answer_display(question, text)) for question, text in own]
    return rows


def choice_questions() -> list[Question]:
    """Every programme's own choice questions (hidden ones too: their answers are kept), for the applications
    list's filters."""
    return list(
        Question.objects.filter(kind__in=CHOICE_KINDS, builtin="")
        .select_related("programme")
        .order_by("programme__title", "order", "pk")
    )


def questions_asked(programme: Programme) -> list[Question]:
    """The programme's own questions its application form asks now (not hidden), in the form's order."""
    return [question for question in form_questions(programme) if not question.builtin]


def answers_of(application: Application) -> QuerySet[QuestionAnswer]:
    """An application's answers to its programme's own questions (hidden ones too), in the questions' order."""
    return application.question_answers.select_related("question").order_by("question__order", "question__pk")


def applications_choosing(queryset: QuerySet[Application], question: Question, choice: str) -> QuerySet:
    """The applications in `queryset` whose answer to a choice question includes `choice` (several choices are
    stored one a line)."""
    lines = Q(text=choice)
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        lines |= (
            Q(text__startswith=f"{choice}\n")
            | Q(text__endswith=f"\n{choice}")
            | Q(text__contains=f"\n{choice}\n")
        )
    chosen = QuestionAnswer.objects.filter(lines, application=OuterRef("pk"), question=question)
    return queryset.filter(Exists(chosen))


@dataclass
class Hopes:
    """What the survey results show beside each member's answers: the programme's own question marked "show in
    the evaluation beside what they hoped" (its label as heading, each member's answer), or, when none is
    marked, the form's built-in "what you hope to achieve" (heading "" as the brief words it; the manager's
    label where she reworded it for the programme)."""

    heading: str
    answers: dict[int, str] | None  # by application; None: the built-in question's (the application's column)

    def of(self, application: Application) -> str:
        return application.hopes if self.answers is None else self.answers.get(application.pk, "")


def hopes_of(programme_id: int, applications: Sequence[Application]) -> Hopes:
    """What each of `applications` hoped, as the results show it. One query, two when a question is marked."""
    rows = Question.objects.filter(
        Q(shown_beside_hopes=True, builtin="") | Q(builtin=BuiltinQuestion.HOPES), programme_id=programme_id
    )
    read = {question.builtin: question for question in rows}
    question = read.get("")
    if question is None:
        # The built-in question: headed with the manager's wording where she reworded it ("" as the brief has it).
        label = read[BuiltinQuestion.HOPES].label if BuiltinQuestion.HOPES in read else ""
        return Hopes(heading="" if label == BY_KEY[BuiltinQuestion.HOPES].label else label, answers=None)
    given = QuestionAnswer.objects.filter(question=question, application__in=[a.pk for a in applications])
    return Hopes(
        heading=question.label,
        answers={
            application_id: answer_display(question, text)
            for application_id, text in given.values_list("application_id", "text")
        },
    )


@dataclass
class ChoiceCount:
    """One question counted in the programme report: each choice with how many chose it, then those who did not
    answer (several choices: a person is counted under each choice they ticked)."""

    question: Question
    counts: list[tuple[str, int]]


def choice_counts(programme_id: int, applications: Sequence[Application]) -> list[ChoiceCount]:
    """Per question of the programme marked "count in the report" (in order): how many of `applications` chose
    each choice, and "Not answered". Two queries however many questions are marked (one when none is)."""
    questions = list(
        Question.objects.filter(
            programme_id=programme_id, counted_in_report=True, kind__in=COUNTABLE_KINDS, builtin=""
        ).order_by("order", "pk")
    )
    if not questions:
        return []
    chosen: dict[int, Counter[str]] = {question.pk: Counter() for question in questions}
    answered: dict[int, set[int]] = {question.pk: set() for question in questions}
    for question_id, application_id, text in QuestionAnswer.objects.filter(
        question__in=questions, application__in=[a.pk for a in applications]
    ).values_list("question_id", "application_id", "text"):
        chosen[question_id].update(set(text.splitlines()))
        answered[question_id].add(application_id)
    tables = []
    for question in questions:
        if question.kind == QuestionKind.YES_NO:
            choices = list(YES_NO)
        else:
            choices = [(choice, choice) for choice in question.choice_list]
        counts = [(label, chosen[question.pk][value]) for value, label in choices]
        counts.append(("Not answered", len(applications) - len(answered[question.pk])))
        tables.append(ChoiceCount(question=question, counts=counts))
    return tables
