"""The manager's decisions: bulk offers and decisions, the waitlist's order, further groups."""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from cohort_site.core.models import User
from cohort_site.core.words import counted, plural

from ..enums import (
    Notify,
)
from ..models import (
    Application,
    Cohort,
    Programme,
)
from .status import S, TransitionRefused, application_set_status, places_taken, transition_refusal

# --- Bulk decisions (admin actions and the selection page) ----------------------------------------------------


@dataclass
class BulkOutcome:
    changed: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


@transaction.atomic
def applications_offer(
    *,
    applications: list[Application],
    cohort: Cohort,
    by: User | None = None,
    notify: str = Notify.SEND,
    offer_expires_at: datetime.datetime | None = None,
    note: str = "",
) -> BulkOutcome:
    """Offer places in `cohort` to several applicants at once, all or none as far as the cap goes:
    more selected than places free is refused with "3 places left in Group 1; you selected 5.".
    Applicants who cannot be offered (already offered, withdrawn, …) are reported, the others offered."""
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)
    ids = sorted({a.pk for a in applications})
    current = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    outcome = BulkOutcome()
    offerable = []
    for application in current:
        refusal = transition_refusal(current=application.status, target=S.OFFERED)
        if refusal is None and application.programme_id != cohort.programme_id:
            refusal = f"{cohort.name} is a group of another programme."
        if refusal:
            outcome.refused.append((application, refusal))
        else:
            offerable.append(application)
    free = cohort.size - places_taken(cohort)
    if len(offerable) > free:
        raise TransitionRefused(
            f"{counted(max(free, 0), 'place')} left in {cohort.name}; you selected {len(offerable)}."
        )
    for application in offerable:
        outcome.changed.append(
            application_set_status(
                application=application,
                status=S.OFFERED,
                cohort=cohort,
                by=by,
                notify=notify,
                offer_expires_at=offer_expires_at,
                note=note,
            )
        )
    return outcome


def applications_set_status(
    *,
    applications: list[Application],
    status: str,
    by: User | None = None,
    notify: str = Notify.SEND,
    note: str = "",
) -> BulkOutcome:
    """Waitlist or decline several applicants; each move stands alone, and refusals are reported."""
    outcome = BulkOutcome()
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            outcome.changed.append(
                application_set_status(
                    application=application, status=status, by=by, notify=notify, note=note
                )
            )
        except TransitionRefused as refusal:
            outcome.refused.append((application, refusal.reason))
    return outcome


# --- Waitlist order and further groups ------------------------------------------------------------------------


@transaction.atomic
def waitlist_move(*, application: Application, up: bool) -> Application:
    """Swap a waitlisted application with its neighbour above (or below)."""
    Programme.objects.select_for_update().get(pk=application.programme_id)
    me = Application.objects.select_for_update().get(pk=application.pk)
    if me.status != S.WAITLISTED:
        raise TransitionRefused("Only waitlisted applications have a place in the waitlist.")
    neighbours = Application.objects.select_for_update().filter(
        programme_id=me.programme_id, status=S.WAITLISTED
    )
    if up:
        other = (
            neighbours.filter(waitlist_position__lt=me.waitlist_position)
            .order_by("-waitlist_position")
            .first()
        )
    else:
        other = (
            neighbours.filter(waitlist_position__gt=me.waitlist_position)
            .order_by("waitlist_position")
            .first()
        )
    if other is None:
        return me
    mine, theirs = me.waitlist_position, other.waitlist_position
    Application.objects.filter(pk=me.pk).update(waitlist_position=0)
    Application.objects.filter(pk=other.pk).update(waitlist_position=mine)
    Application.objects.filter(pk=me.pk).update(waitlist_position=theirs)
    me.waitlist_position = theirs
    return me


def cohort_size_refusal(cohort: Cohort, size: int) -> str | None:
    """A group cannot be made smaller than the places already offered or confirmed in it."""
    taken = places_taken(cohort) if cohort.pk else 0
    if size < taken:
        return (
            f"{counted(taken, 'place')} {plural(taken, 'is', 'are')} already offered or confirmed; "
            f"the size must be at least {taken}."
        )
    return None


@transaction.atomic
def cohort_create_next(*, programme: Programme) -> Cohort:
    """The next group of a programme, running after the last one (the brief: "multiple groups consecutively")."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    last = Cohort.objects.filter(programme=programme).order_by("-number").first()
    number = (last.number + 1) if last else 1
    if last is None:
        first_week = programme.first_session_week
    else:
        first_week = last.first_session_week + timedelta(weeks=programme.session_count)
    return Cohort.objects.create(
        programme=programme,
        number=number,
        name=f"Group {number}",
        size=programme.group_size,
        first_session_week=first_week,
    )


def waitlist_offer_into(
    *, cohort: Cohort, count: int, by: User | None = None, notify: str = Notify.SEND, offer_expires_at=None
) -> BulkOutcome:
    """Offer places in `cohort` to the first `count` people on the waitlist, in order."""
    waiting = list(
        Application.objects.filter(programme_id=cohort.programme_id, status=S.WAITLISTED).order_by(
            "waitlist_position"
        )[:count]
    )
    return applications_offer(
        applications=waiting,
        cohort=cohort,
        by=by,
        notify=notify,
        offer_expires_at=offer_expires_at,
        note="Moved from the waitlist into this group.",
    )
