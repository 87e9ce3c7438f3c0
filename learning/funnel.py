"""Who is missing at every step: a programme's (or a group's) funnel from registering interest to answering the
follow-up, who has not taken each step yet, and the manager's nudge to them.

A step counts as done when it, or any later step, is done (someone who applied without registering interest has
still come through the first step). The nudge is an email row with a numbered key (at most `MAX_NUDGES` per step
per person); it is worked out again from the database when it is queued and when it goes, so nobody who has
done the step hears about it (`learning/send_checks.py`)."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.links import offer_token
from applications.models import Application, ApplicationStatusChange, Cohort, ExpressionOfInterest, Programme
from applications.services import current_offer
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.selectors import email_keys_existing
from cohort_site.mail.services import NewEmail, emails_queue_many
from sessions_app.enums import AttendanceStatus

from .enums import SurveyKind
from .models import Survey, SurveyResponse
from .outcomes import percent

MAX_NUDGES = 3


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # what the person has done
    missing: str  # who has not, as a heading
    action: str = ""  # the link's words in a nudge; empty: not something the person can do (an offer)


STEPS = (
    Step("interest", "Registered interest or applied", "Not registered interest"),
    Step("applied", "Applied", "Registered interest, not applied", "Apply"),
    Step("offered", "Offered a place", "Applied, not offered a place"),
    Step("confirmed", "Confirmed their place", "Offered, not confirmed", "Answer your offer"),
    Step("attended_1", "Came to a session", "Confirmed, not come to a session", "Your sessions"),
    Step(
        "attended_4",
        "Came to four sessions or more",
        "Came, but to fewer than four sessions",
        "Your sessions",
    ),
    Step(
        "evaluation", "Answered the end-of-programme evaluation", "Not answered the evaluation", "Answer it"
    ),
    Step("follow_up", "Answered the follow-up", "Not answered the follow-up", "Answer it"),
)
STEP_KEYS = [step.key for step in STEPS]
STEPS_BY_KEY = {step.key: step for step in STEPS}


@dataclass
class Person:
    """Someone in the funnel: an application (and the interest with the same address), or an interest alone."""

    key: str  # "a<application id>" or "i<interest id>"
    name: str
    email: str
    organisation: str
    application: Application | None
    done: set[str] = field(default_factory=set)
    nudges: dict[str, int] = field(default_factory=dict)  # step -> nudges queued so far

    def reached(self, step: str) -> bool:
        """Done this step or any later one."""
        index = STEP_KEYS.index(step)
        return any(key in self.done for key in STEP_KEYS[index:])


@dataclass
class StepRow:
    step: Step
    done: list[Person]
    missing: list[Person]  # did the step before, not this one
    nudgeable: list[Person]  # of the missing, those who can still do it and have had fewer than MAX_NUDGES
    previous_count: int | None  # how many did the step before (None for the first)

    @property
    def missing_nudged(self) -> list[tuple[Person, int]]:
        """The missing, each with how many nudges for this step they have had."""
        return [(person, person.nudges[self.step.key]) for person in self.missing]

    @property
    def conversion(self) -> str:
        """The share of those who did the step before who did this one."""
        return percent(len(self.done), self.previous_count) if self.previous_count is not None else "–"


@dataclass
class Funnel:
    programme: Programme
    cohort: Cohort | None
    rows: list[StepRow]
    surveys: dict[str, Survey]


def nudge_key(step: str, person_key: str, number: int) -> str:
    return f"learning-nudge:{step}:{person_key}:{number}"


def _people_of(programmes: list[Programme], cohort: Cohort | None = None) -> dict[int, list[Person]]:
    """Everyone in the funnels of these programmes (of one group of theirs, when `cohort` is given), by programme:
    two queries whatever the number of programmes or people."""

    def answered(kind: str) -> Exists:
        return Exists(SurveyResponse.objects.filter(survey__kind=kind, member=OuterRef("pk")))

    def changed_to(status: str) -> Exists:
        return Exists(ApplicationStatusChange.objects.filter(application=OuterRef("pk"), to_status=status))

    applications = Application.objects.filter(programme__in=programmes)
    if cohort is not None:
        applications = applications.filter(cohort=cohort)
    applications = applications.select_related("user", "cohort").annotate(
        was_offered=changed_to(ApplicationStatus.OFFERED),
        was_confirmed=changed_to(ApplicationStatus.CONFIRMED),
        sessions_attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)),
        answered_evaluation=answered(SurveyKind.EVALUATION),
        answered_follow_up=answered(SurveyKind.FOLLOW_UP),
    )
    interests: dict[tuple[int, str], ExpressionOfInterest] = {}
    if cohort is None:
        interests = {
            (i.programme_id, i.email.lower()): i
            for i in ExpressionOfInterest.objects.filter(programme__in=programmes)
        }
    people: dict[int, list[Person]] = {programme.pk: [] for programme in programmes}
    for application in applications:
        done = {"applied"}
        if interests.pop((application.programme_id, application.email.lower()), None) is not None:
            done.add("interest")
        if application.was_offered or application.status in (
            ApplicationStatus.OFFERED,
            ApplicationStatus.CONFIRMED,
        ):
            done.add("offered")
        if application.was_confirmed or application.status == ApplicationStatus.CONFIRMED:
            done.add("confirmed")
        if application.sessions_attended >= 1:
            done.add("attended_1")
        if application.sessions_attended >= 4:
            done.add("attended_4")
        if application.answered_evaluation:
            done.add("evaluation")
        if application.answered_follow_up:
            done.add("follow_up")
        people[application.programme_id].append(
            Person(
                f"a{application.pk}",
                application.name,
                application.email,
                application.organisation,
                application,
                done,
            )
        )
    for interest in interests.values():
        people[interest.programme_id].append(
            Person(
                f"i{interest.pk}", interest.name, interest.email, interest.organisation, None, {"interest"}
            )
        )
    for group in people.values():
        group.sort(key=lambda person: (person.name.lower(), person.key))
    return people


def _rows(people: list[Person], nudgeable=lambda step, person: False) -> list[StepRow]:
    rows = []
    previous: list[Person] | None = None
    for step in STEPS:
        done = [p for p in people if p.reached(step.key)]
        missing: list[Person] = []
        if previous is not None:
            done_keys = {p.key for p in done}
            missing = [p for p in previous if p.key not in done_keys]
        may_nudge = [p for p in missing if nudgeable(step, p)]
        rows.append(StepRow(step, done, missing, may_nudge, len(previous) if previous is not None else None))
        previous = done
    return rows


def can_still(step: str, person: Person, programme: Programme, now: datetime.datetime) -> bool:
    """Whether the person can still take the step now (so a nudge makes sense)."""
    application = person.application
    if step == "applied":
        return application is None and programme.applications_open_at <= now < programme.applications_close_at
    if application is None:
        return False
    if step == "confirmed":
        return application.status == ApplicationStatus.OFFERED
    member = (
        application.status == ApplicationStatus.CONFIRMED
        and application.cohort_id is not None
        and application.user is not None
        and application.user.is_active
    )
    return member and step in ("attended_1", "attended_4", "evaluation", "follow_up")


def programme_funnel(
    programme: Programme, *, cohort: Cohort | None = None, now: datetime.datetime | None = None
) -> Funnel:
    """Each step: who did it, who did the step before but not this one, and which of them may be nudged."""
    now = now or timezone.now()
    surveys = {
        s.kind: s for s in programme.surveys.filter(kind__in=[SurveyKind.EVALUATION, SurveyKind.FOLLOW_UP])
    }
    people = _people_of([programme], cohort)[programme.pk]
    keys = [nudge_key(step, p.key, n) for p in people for step in STEP_KEYS for n in range(1, MAX_NUDGES + 1)]
    existing = email_keys_existing(keys) if people else set()
    for person in people:
        for step in STEP_KEYS:
            person.nudges[step] = sum(
                1 for n in range(1, MAX_NUDGES + 1) if nudge_key(step, person.key, n) in existing
            )

    def nudgeable(step: Step, person: Person) -> bool:
        return (
            bool(step.action)
            and person.nudges[step.key] < MAX_NUDGES
            and can_still(step.key, person, programme, now)
            and (step.key not in ("evaluation", "follow_up") or step.key in surveys)
        )

    return Funnel(programme, cohort, _rows(people, nudgeable), surveys)


def conversion_rates(programmes: list[Programme]) -> dict[int, list[StepRow]]:
    """Each programme's funnel steps (without who may be nudged), by programme id, for the manager's dashboard:
    two queries for them all."""
    return {pk: _rows(people) for pk, people in _people_of(programmes).items()}


# --- Writes ----------------------------------------------------------------------------------------------


def _nudge_url(step: str, person: Person, programme: Programme, surveys: dict[str, Survey]) -> str:
    if step == "applied":
        return reverse("applications:apply", kwargs={"slug": programme.slug})
    assert person.application is not None
    if step == "confirmed":
        offer = current_offer(person.application)
        if offer is None:
            return reverse("applications:programme", kwargs={"slug": programme.slug})
        return reverse(
            "applications:offer_respond",
            kwargs={"token": offer_token(application=person.application, offer=offer)},
        )
    if step in ("evaluation", "follow_up"):
        return surveys[step].get_absolute_url()
    return reverse("sessions:my_schedule")


@transaction.atomic
def funnel_nudge(
    *, programme: Programme, step: str, seen: dict[str, int], note: str = "", cohort: Cohort | None = None
) -> int:
    """Email a nudge to each chosen person still missing `step` who may be nudged. `seen`: for each person
    chosen (by key), how many nudges for the step the manager's page showed; a person whose count has moved on
    since (a double click, a second tab) is not nudged again. Worked out again here, so someone who has done the
    step meanwhile, or a fourth nudge, sends nothing. Returns how many were queued."""
    if step not in STEPS_BY_KEY:
        return 0
    funnel = programme_funnel(programme, cohort=cohort)
    row = next(row for row in funnel.rows if row.step.key == step)
    emails = []
    for person in row.nudgeable:
        if seen.get(person.key) != person.nudges[step]:
            continue
        number = person.nudges[step] + 1
        emails.append(
            NewEmail(
                key=nudge_key(step, person.key, number),
                kind=EmailKind.LEARNING_NUDGE,
                to=person.email,
                user=person.application.user if person.application else None,
                about=person.application,
                subject=f"{programme.title}: {NUDGE_SUBJECTS[step]}",
                reply_to=programme.contact_email,
                context={
                    "name": person.name,
                    "programme": programme,
                    "ask": NUDGE_ASKS[step],
                    "action": row.step.action,
                    "url": _nudge_url(step, person, programme, funnel.surveys),
                    "note": note.strip(),
                },
            )
        )
    return emails_queue_many(emails)


NUDGE_SUBJECTS = {
    "applied": "there is still time to apply",
    "confirmed": "your place is waiting for your answer",
    "attended_1": "we would love to see you at a session",
    "attended_4": "we would love to see you at the next session",
    "evaluation": "a few minutes to tell us how it went",
    "follow_up": "a few minutes to tell us what has stayed with you",
}
NUDGE_ASKS = {
    "applied": "You registered interest in the programme. Applications are still open, and it only takes a few "
    "minutes to apply.",
    "confirmed": "We offered you a place in a group, and we have not heard back from you yet. Please tell us "
    "whether you can take it up, so that we can offer it to someone else if not.",
    "attended_1": "You have a place in a group, and we have not seen you at a session yet. Your sessions, with "
    "the link to join each, are on your schedule.",
    "attended_4": "The group is better with you in it. Your next sessions, with the link to join each, are on "
    "your schedule.",
    "evaluation": "You have not answered the end-of-programme evaluation yet. Your answers help us improve the "
    "programme and show what it achieves.",
    "follow_up": "You have not answered the follow-up yet. What has changed since the sessions matters as much as "
    "what happened during them.",
}


def nudge_still_wanted(key: str) -> bool:
    """For a queued nudge of `key` about to go: whether the person has still not taken the step."""
    try:
        _, step, person_key, _number = key.split(":")
    except ValueError:
        return True
    if step not in STEPS_BY_KEY or not person_key[1:].isdigit():
        return True
    if person_key.startswith("a"):
        application = Application.objects.select_related("programme").filter(pk=int(person_key[1:])).first()
        if application is None:
            return False
        programme = application.programme
    else:
        interest = (
            ExpressionOfInterest.objects.select_related("programme").filter(pk=int(person_key[1:])).first()
        )
        if interest is None:
            return False
        programme = interest.programme
    row = next(row for row in programme_funnel(programme).rows if row.step.key == step)
    return any(person.key == person_key for person in row.missing)
