"""Helpers for selection tests: applications put straight into a status, as the service would leave them."""

from datetime import timedelta

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application

from .applications import ApplicationFactory, CohortFactory

S = ApplicationStatus


def application_in(
    status: str, *, cohort=None, programme=None, position: int | None = None, **fields
) -> Application:
    """An application already in `status`, with the fields that status needs (cohort, expiry, waitlist place)."""
    if status in (S.OFFERED, S.CONFIRMED):
        cohort = cohort or CohortFactory(**({"programme": programme} if programme else {}))
        programme = cohort.programme
    extra = {"programme": programme} if programme else {}
    application = ApplicationFactory(**extra, **fields)
    updates = {"status": status}
    if status in (S.OFFERED, S.CONFIRMED):
        updates["cohort"] = cohort
    if status == S.OFFERED:
        updates["offer_expires_at"] = timezone.now() + timedelta(days=7)
    if status == S.WAITLISTED:
        updates["waitlist_position"] = position or (
            (
                Application.objects.filter(programme=application.programme)
                .exclude(waitlist_position=None)
                .count()
            )
            + 1
        )
    Application.objects.filter(pk=application.pk).update(**updates)
    application.refresh_from_db()
    return application
