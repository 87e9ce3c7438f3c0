"""An applicant's erasure, and recruitment records deleted when their retention ends."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cohort_site.core.data_subjects import DataSubject, personal_data_erase
from cohort_site.core.models import User
from cohort_site.mail.services import emails_about_erase

from ..departures import member_leaves
from ..enums import ApplicationStatus, Notify
from ..freed_places import last_session_started
from ..models import (
    Application,
    ExpressionOfInterest,
)
from .status import application_set_status


def application_withdraw(*, application: Application, erase: bool = False) -> Application | None:
    """The applicant withdraws through their private link (a member leaves their group, through the registered
    `member_leave`). With `erase`, their answers are deleted at once.

    Withdrawing twice is harmless. Returns the application, or None once erased.
    """
    if application.status == ApplicationStatus.CONFIRMED:
        # A member leaves their group: their sessions and coffee pairs are seen to as well.
        application = member_leaves(application=application, by=application.user)
    elif application.status != ApplicationStatus.WITHDRAWN:
        application_set_status(
            application=application,
            status=ApplicationStatus.WITHDRAWN,
            note="Withdrawn by the applicant through their private link.",
        )
    if erase:
        with transaction.atomic():
            emails_about_erase(model=Application, ids=[application.pk])
            application.delete()
        return None
    return application


def applicant_subject(application: Application):
    """The applicant, by the application's address, and their account if they have one (the same person)."""
    return DataSubject(email=application.email, user=application.user)


ERASURE_REASON = "Asked for their data to be erased"
STILL_IN_PLAY = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.OFFERED)


def places_give_up(*, subject: DataSubject, by: User | None, now: datetime.datetime | None = None) -> None:
    """Before a person is erased: they hold no place and can be offered none. An application still in play is
    withdrawn (an anonymous application must never be offered a place), and a member of a group still running
    leaves it (their place is freed, their coffee partner re-paired, never introduced to someone erased),
    without an email to them. A member of a group whose last session has started stays a member, anonymously,
    so the group's attendance and feedback counts stay true."""
    now = now or timezone.now()
    whose = Q(email__iexact=subject.email)
    if subject.user is not None:
        whose |= Q(user=subject.user)
    for application in Application.objects.filter(whose).select_related("cohort__programme", "user"):
        if application.status in STILL_IN_PLAY:
            application_set_status(
                application=application,
                status=ApplicationStatus.WITHDRAWN,
                by=by,
                note=f"Withdrawn: {ERASURE_REASON.lower()}.",
                notify=Notify.NONE,
                now=now,
            )
        elif (
            application.status == ApplicationStatus.CONFIRMED
            and application.cohort is not None
            and not last_session_started(cohort=application.cohort, now=now)
        ):
            member_leaves(application=application, by=by, reason=ERASURE_REASON, now=now, tell_member=False)


@transaction.atomic
def person_erase(*, subject: DataSubject, by: User | None) -> None:
    """Erase everything held about a person (at their request, or by staff): first their places, then the
    data itself, in one transaction."""
    places_give_up(subject=subject, by=by)
    personal_data_erase(subject)


def applicant_erase(*, application: Application) -> None:
    """The applicant erases everything held about them through their private link (their account too)."""
    person_erase(subject=applicant_subject(application), by=application.user)


KEPT_STATUSES = (ApplicationStatus.OFFERED, ApplicationStatus.CONFIRMED)


@dataclass(frozen=True)
class PurgeResult:
    applications: int
    interests: int


def recruitment_purge(*, now=None, dry_run: bool = False) -> PurgeResult:
    """Delete unsuccessful applications and all expressions of interest for programmes whose application
    deadline passed more than RECRUITMENT_RETENTION ago."""
    cutoff = (now or timezone.now()) - settings.RECRUITMENT_RETENTION
    applications = Application.objects.filter(programme__applications_close_at__lt=cutoff).exclude(
        status__in=KEPT_STATUSES
    )
    interests = ExpressionOfInterest.objects.filter(programme__applications_close_at__lt=cutoff)
    result = PurgeResult(applications=applications.count(), interests=interests.count())
    if not dry_run:
        with transaction.atomic():
            # Copies of answers live on in the stored emails about them; those go with the record.
            emails_about_erase(model=Application, ids=applications.values_list("pk", flat=True))
            emails_about_erase(model=ExpressionOfInterest, ids=interests.values_list("pk", flat=True))
            applications.delete()
            interests.delete()
    return result
