"""Recruitment: expressions of interest, applications and the applicant's own changes."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.dates import CLOCK, DAY_YEAR, local_text, zone_label
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import Attachment, email_queue

from ..enums import (
    ApplicationStatus,
    AvailabilityAnswer,
    ProgrammePhase,
)
from ..ics import drop_ins_calendar
from ..links import application_private_url
from ..models import (
    Application,
    Availability,
    ExpressionOfInterest,
    MemberOrganisation,
    Programme,
    Question,
)
from ..page_cache import public_pages_invalidate
from ..selectors import application_answers, drop_ins_upcoming, form_questions
from .questions import builtin_answers_check, question_answers_check, question_answers_store

# --- Recruitment: interest, applications, the applicant's own changes -----------------------------


class ApplicationsNotOpen(ValidationError):
    """Submitting or editing outside the programme's application window."""


def deadline_text(programme: Programme) -> str:
    """'9:00 UK time on Wednesday 21 July 2021': the deadline as people in the programme's zone read it."""
    close, tz, zone = programme.applications_close_at, programme.tz, zone_label(programme.timezone)
    return f"{local_text(close, tz, CLOCK)} {zone} time on {local_text(close, tz, DAY_YEAR)}"


def closed_text(programme: Programme) -> str:
    """'Applications closed at 9:00 UK time on Wednesday 21 July 2021': one wording wherever it is said."""
    return f"Applications closed at {deadline_text(programme)}"


def applications_closed_refusal(programme: Programme, now: datetime.datetime) -> str | None:
    """Why an application cannot be accepted at `now`, or None while applications are open."""
    phase = programme.phase(now)
    if phase == ProgrammePhase.NOT_YET_OPEN:
        opens, tz = programme.applications_open_at, programme.tz
        return f"Applications open at {local_text(opens, tz, CLOCK)} on {local_text(opens, tz, DAY_YEAR)}."
    if phase == ProgrammePhase.CLOSED:
        return (
            f"{closed_text(programme)}, so we could not accept this. Your answers are "
            f"still below if you want to keep a copy; please email {programme.contact_email} if something "
            "went wrong."
        )
    return None


def email_context(programme: Programme, **extra) -> dict:
    return {"programme": programme, "deadline": deadline_text(programme), **extra}


def interest_register(
    *, programme: Programme, name: str, email: str, organisation: str, role: str, now=None
) -> tuple[ExpressionOfInterest, bool]:
    """Record someone's interest and send them the drop-in details and how to apply.

    Registering again with the same address changes nothing; that address (only) is told so, once.
    Returns the record and whether it is new.
    """
    now = now or timezone.now()
    existing = ExpressionOfInterest.objects.filter(programme=programme, email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                interest = ExpressionOfInterest.objects.create(
                    programme=programme,
                    name=name,
                    email=email,
                    organisation=organisation,
                    role=role,
                    consented_at=now,
                    created_at=now,
                )
                # In the same transaction: interest is never stored without its confirmation.
                interest_confirmation_queue(interest=interest, now=now)
        except IntegrityError:
            existing = ExpressionOfInterest.objects.get(programme=programme, email__iexact=email)
        else:
            return interest, True
    email_queue(
        key=f"interest-again:{existing.pk}",
        kind=EmailKind.INTEREST_AGAIN,
        to=existing.email,
        subject=f"You're already registered: {programme.title}",
        context=email_context(programme, interest=existing, **interest_links(programme)),
        about=existing,
        reply_to=programme.contact_email,
    )
    return existing, False


def interest_links(programme: Programme) -> dict:
    return {
        "programme_url": settings.SITE_URL + programme.get_absolute_url(),
        "apply_url": settings.SITE_URL + reverse("applications:apply", kwargs={"slug": programme.slug}),
    }


def interest_confirmation_queue(*, interest: ExpressionOfInterest, now=None) -> None:

    programme = interest.programme
    drop_ins = list(drop_ins_upcoming(programme, now=now).select_related("programme"))
    attachments = []
    if drop_ins:
        attachments.append(Attachment("drop-in.ics", "text/calendar", drop_ins_calendar(drop_ins, now=now)))
    email_queue(
        key=f"interest-confirmation:{interest.pk}",
        kind=EmailKind.INTEREST_CONFIRMATION,
        to=interest.email,
        subject=f"Thank you for your interest: {programme.title}",
        context=email_context(
            programme,
            interest=interest,
            drop_ins=drop_ins,
            phase=programme.phase(now),
            **interest_links(programme),
        ),
        about=interest,
        reply_to=programme.contact_email,
        attachments=attachments,
    )


@dataclass(frozen=True)
class SubmitResult:
    application: Application
    created: bool


def availability_refusal(programme: Programme, availability: dict[int, str], *, times: int) -> str | None:
    """Why these answers (candidate time id -> answer) cannot be accepted, or None. `times` is how many candidate
    times the programme offers. The form shows this next to the grid; the service refuses with it."""
    if len(availability) != times:
        return "Answer yes, if need be or no for every time."
    minimum = min(programme.min_available_times, times)
    yes = sum(1 for answer in availability.values() if answer == AvailabilityAnswer.YES)
    if yes < minimum:
        return (
            f"Please answer “yes” to at least {minimum} of the times, so we can find a time that suits the group. "
            f"You answered “yes” to {yes}."
        )
    return None


def _check_availability(programme: Programme, availability: dict[int, str]) -> None:
    wanted = set(programme.candidate_times.values_list("pk", flat=True))
    refusal = (
        availability_refusal(programme, availability, times=len(wanted))
        if set(availability) <= wanted
        else "Answer yes, if need be or no for every time."
    )
    if refusal:
        raise ValidationError(refusal)


def application_edit_refusal(application: Application, now: datetime.datetime) -> str | None:
    """Why the applicant can no longer change their answers, or None: answers change until the deadline, while
    nobody has decided on them yet. The private link's pages and `application_update` both ask this."""
    if application.status != ApplicationStatus.SUBMITTED:
        return "Your application has been considered, so its answers can no longer be changed."
    if application.programme.phase(now) != ProgrammePhase.OPEN:
        return f"{closed_text(application.programme)}: your answers are as you last saved them."
    return None


APPLICANT_FIELDS = (
    "name",
    "organisation",
    "role",
    "role_type",
    "region",
    "pandemic_work",
    "motivation",
    "hopes",
    "learning_gained",
    "challenge",
    "share_challenge_with_partners",
    "organisation_support",
    "team_open_to_ideas",
    "commits_to_openness",
    "commits_to_sharing",
    "accessibility_needs",
)


def application_submit(
    *,
    programme: Programme,
    email: str,
    answers: dict,
    availability: dict[int, str],
    submission_token: uuid.UUID,
    question_answers: dict[int, str] | None = None,
    now=None,
) -> SubmitResult:
    """Store an application and its availability, and send the applicant a summary and their private link.

    Refused outside the application window (checked here, at submission, in the programme's zone). The same
    post twice (double click, retry) finds its own token and stores nothing more; a second application from
    the same address is not stored, and that address is sent its private link instead. `question_answers` are
    the answers to the programme's own questions (question id -> stored text), checked against them here; a
    built-in question the programme hides is not asked, so not required, and its column keeps its default.
    """
    now = now or timezone.now()
    refusal = applications_closed_refusal(programme, now)
    if refusal:
        raise ApplicationsNotOpen(refusal)
    _check_availability(programme, availability)
    asked = form_questions(programme)
    questions = [question for question in asked if not question.builtin]
    question_answers = question_answers or {}
    question_answers_check(questions, question_answers)
    builtin_answers_check(asked, answers)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme,
                email=email,
                submission_token=submission_token,
                consented_at=now,
                submitted_at=now,
                status_changed_at=now,
                **{field: answers[field] for field in _columns_asked(asked)},
            )
            Availability.objects.bulk_create(
                Availability(application=application, candidate_time_id=time_id, answer=answer)
                for time_id, answer in availability.items()
            )
            if questions:
                question_answers_store(
                    application=application, questions=questions, answers=question_answers, now=now
                )
            # In the same transaction: an application is never stored without its confirmation.
            _application_email(
                application, kind=EmailKind.APPLICATION_RECEIVED, key_suffix="", questions=asked
            )
    except IntegrityError:
        existing = Application.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            # The same post again (a retry after an error page, a double click): its confirmation is queued
            # again, which the email's key makes a no-op when the first one was stored.
            _application_email(existing, kind=EmailKind.APPLICATION_RECEIVED, key_suffix="", questions=asked)
            return SubmitResult(existing, created=False)
        existing = Application.objects.get(programme=programme, email__iexact=email)
        _application_email(existing, kind=EmailKind.APPLICATION_AGAIN, key_suffix="", questions=asked)
        return SubmitResult(existing, created=False)
    return SubmitResult(application, created=True)


def _columns_asked(asked: list[Question]) -> list[str]:
    """The application's columns the form asks for (a built-in question hidden is not asked)."""
    names = {question.builtin for question in asked}
    return [field for field in APPLICANT_FIELDS if field in names]


def _application_email(
    application: Application, *, kind: EmailKind, key_suffix: str, questions: list[Question] | None = None
) -> None:

    programme = application.programme
    subjects = {
        EmailKind.APPLICATION_RECEIVED: f"We have your application: {programme.title}",
        EmailKind.APPLICATION_UPDATED: f"Your application is updated: {programme.title}",
        EmailKind.APPLICATION_AGAIN: f"You have already applied: {programme.title}",
    }
    email_queue(
        key=f"{kind}:{application.pk}{key_suffix}",
        kind=kind,
        to=application.email,
        subject=subjects[kind],
        context=email_context(
            programme,
            application=application,
            answers=application_answers(application, questions),
            private_url=application_private_url(application),
        ),
        about=application,
        reply_to=programme.contact_email,
    )


def application_update(
    *,
    application: Application,
    answers: dict,
    availability: dict[int, str],
    question_answers: dict[int, str] | None = None,
    now=None,
) -> Application:
    """The applicant changes their answers through their private link, until the deadline (the programme's own
    questions' answers too; those to questions hidden since are kept, as are the columns of built-in questions
    hidden since)."""
    now = now or timezone.now()
    programme = application.programme
    refusal = application_edit_refusal(application, now)
    if refusal:
        raise ApplicationsNotOpen(refusal)
    _check_availability(programme, availability)
    asked = form_questions(programme)
    questions = [question for question in asked if not question.builtin]
    question_answers = question_answers or {}
    question_answers_check(questions, question_answers)
    builtin_answers_check(asked, answers)
    columns = _columns_asked(asked)
    with transaction.atomic():
        for field in columns:
            setattr(application, field, answers[field])
        application.save(update_fields=[*columns, "updated_at"])
        for time_id, answer in availability.items():
            Availability.objects.update_or_create(
                application=application, candidate_time_id=time_id, defaults={"answer": answer}
            )
        if questions:
            question_answers_store(
                application=application, questions=questions, answers=question_answers, now=now
            )
        _application_email(
            application,
            kind=EmailKind.APPLICATION_UPDATED,
            key_suffix=f":{application.updated_at:%Y%m%dT%H%M%S%f}",
            questions=asked,
        )
    return application


def member_organisations_import(*, names: Iterable[str]) -> tuple[int, int]:
    """Add member organisations by name, ignoring blanks and any already known (case-insensitively).

    Returns (added, already known).
    """
    wanted: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())[:200]
        if cleaned:
            wanted.setdefault(cleaned.lower(), cleaned)
    known = {
        name.lower()
        for name in MemberOrganisation.objects.annotate(lower=Lower("name"))
        .filter(lower__in=list(wanted))
        .values_list("name", flat=True)
    }
    new = [MemberOrganisation(name=name) for key, name in wanted.items() if key not in known]
    MemberOrganisation.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        public_pages_invalidate()  # bulk_create sends no signal; the form's list of names changed
    return len(new), len(known)


# Applications in these statuses hold or held a place; everything else is unsuccessful once selection is over.
