"""Writes for recruitment and selection. `application_set_status` is the only code that assigns a status."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .enums import PLACE_HOLDING_STATUSES, ApplicationStatus
from .models import Application, ApplicationStatusChange, Cohort

S = ApplicationStatus

# The allowed moves. Anything not listed is refused with a reason.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.OFFERED, S.WAITLISTED, S.DECLINED, S.WITHDRAWN},
    S.WAITLISTED: {S.OFFERED, S.DECLINED, S.WITHDRAWN},
    S.OFFERED: {S.CONFIRMED, S.DECLINED, S.WITHDRAWN, S.OFFER_EXPIRED},
    S.CONFIRMED: {S.WITHDRAWN},
    S.OFFER_EXPIRED: {S.OFFERED, S.WAITLISTED, S.DECLINED},
    S.DECLINED: {S.WAITLISTED, S.OFFERED},
    S.WITHDRAWN: set(),
}


class TransitionRefused(ValidationError):
    pass


def transition_refusal(*, current: str, target: str) -> str | None:
    """Why moving from `current` to `target` is not allowed, or None when it is."""
    if target == current:
        return f"The application is already {S(current).label.lower()}."
    if target not in ALLOWED_TRANSITIONS[current]:
        return f"An application that is {S(current).label.lower()} cannot become {S(target).label.lower()}."
    return None


@transaction.atomic
def application_set_status(
    *,
    application: Application,
    status: str,
    by=None,
    cohort: Cohort | None = None,
    note: str = "",
) -> Application:
    """Move an application to `status`, recording who did it. The row is locked, so racing moves serialise.

    Offering needs a cohort; a place-holding status keeps the cohort, the others release it.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    refusal = transition_refusal(current=locked.status, target=status)
    if refusal:
        raise TransitionRefused(refusal)
    previous = locked.status
    if status == S.OFFERED:
        if cohort is None:
            raise TransitionRefused("Choose the group to offer a place in.")
        locked.cohort = cohort
    elif status not in PLACE_HOLDING_STATUSES and status != S.WAITLISTED:
        locked.cohort = None
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", "cohort", "updated_at"])
    ApplicationStatusChange.objects.create(
        application=locked,
        from_status=previous,
        to_status=status,
        cohort=locked.cohort,
        changed_by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    application.cohort = locked.cohort
    return locked
