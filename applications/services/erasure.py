"""An applicant's erasure, and recruitment records deleted when their retention ends."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cohort_site.core.data_subjects import DataSubject, personal_data_erase
from cohort_site.mail.services import emails_about_erase

from ..departures import member_leaves
from ..enums import (
    ApplicationStatus,
)
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


@transaction.atomic
def applicant_erase(*, application: Application) -> None:
    """The applicant erases everything held about them through their private link (their account too)."""
    if application.status == ApplicationStatus.SUBMITTED:
        # Not considered any further: an anonymous application must not be offered a place.
        application_withdraw(application=application)
    personal_data_erase(applicant_subject(application))


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
