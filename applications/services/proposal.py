"""Turning the group composer's proposal into offers: the groups made (or empty ones reused) at their weekly
times, the placed people offered places as drafts, everyone else waitlisted in the proposed order.

Every status change goes through `application_set_status` (through `applications_offer` for the cap), so the
state machine, the 20-place cap and the decision emails are the usual ones; the emails wait as drafts on the
decision emails page until the manager sends them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q

from cohort_site.core.models import User
from cohort_site.core.words import counted, plural

from ..enums import PLACE_HOLDING_STATUSES, AvailabilityAnswer, Notify
from ..group_times import cohort_confirmed_time
from ..models import Application, Availability, CandidateTime, Cohort, Programme
from .selection import applications_offer
from .status import S, TransitionRefused, application_set_status

# The statuses of the applications a proposal was made from (the composer's input: `CONSIDERED_STATUSES`).
PROPOSAL_STATUSES = (S.SUBMITTED, S.WAITLISTED)

OFFER_NOTE = "Placed in this group by the group composer."
WAITLIST_NOTE = "Waitlisted in the order the group composer proposed."


@dataclass(frozen=True)
class ProposedOffers:
    """What the manager asks for: each group's weekly time and the applications placed in it, and the waitlist."""

    groups: Sequence[tuple[CandidateTime, Sequence[int]]]
    waitlist: Sequence[int]

    @property
    def application_ids(self) -> list[int]:
        return [pk for _, members in self.groups for pk in members] + list(self.waitlist)


@dataclass
class ProposalOutcome:
    cohorts: list[Cohort] = field(default_factory=list)
    offered: list[Application] = field(default_factory=list)
    waitlisted: list[Application] = field(default_factory=list)


def proposal_cohorts_planned(*, programme: Programme, count: int) -> list[Cohort | None]:
    """The groups a proposal of `count` groups will fill, in order: each empty group of the programme (no place
    offered or confirmed, no weekly time yet) first, then None for each group to be made."""
    empty = (
        Cohort.objects.filter(programme=programme, offered_time__isnull=True)
        .annotate(taken=Count("applications", filter=Q(applications__status__in=PLACE_HOLDING_STATUSES)))
        .filter(taken=0)
        .order_by("number")
    )
    reusable: list[Cohort | None] = []
    for cohort in empty:
        if len(reusable) == count:
            break
        if cohort_confirmed_time(cohort) is None:  # no schedule confirmed either
            reusable.append(cohort)
    return [*reusable, *([None] * (count - len(reusable)))]


def proposal_stale_refusal(*, programme: Programme, proposed: ProposedOffers) -> str | None:
    """Why a proposal can no longer be turned into offers (None: it can): someone in it has been offered a
    place, withdrawn or declined since it was made, or the same button was pressed twice."""
    ids = proposed.application_ids
    if not proposed.groups:
        return "The proposal has no groups: there is nobody to offer a place to."
    if len(set(ids)) != len(ids):
        return "Someone appears twice in the proposal."
    current = dict(Application.objects.filter(pk__in=ids, programme=programme).values_list("pk", "status"))
    moved = [pk for pk in ids if current.get(pk) not in PROPOSAL_STATUSES]
    if moved:
        return (
            f"Nothing was changed: {counted(len(moved), 'person', 'people')} in this proposal "
            f"{plural(len(moved), 'has', 'have')} been offered a place, withdrawn or declined since it was made. "
            "Propose the groups again."
        )
    able = set(
        Availability.objects.filter(
            application__in=[pk for _, members in proposed.groups for pk in members],
            candidate_time__in=[candidate for candidate, _ in proposed.groups],
            answer__in=[AvailabilityAnswer.YES, AvailabilityAnswer.IF_NEED_BE],
        ).values_list("application_id", "candidate_time_id")
    )
    for candidate, members in proposed.groups:
        if candidate.programme_id != programme.pk:
            return "A proposed time is not one this programme offered."
        if len(members) > programme.group_size:
            return f"A group holds {programme.group_size} people; the proposal puts {len(members)} in one."
        if any((pk, candidate.pk) not in able for pk in members):
            return (
                f"Someone in the group at {candidate.label} cannot make that time. Propose the groups again."
            )
    return None


def proposal_already_made(*, programme: Programme, proposed: ProposedOffers) -> bool:
    """Whether this proposal has been turned into offers already (a second press of the button): everyone it
    places holds an offer in a group composed at the time it proposed for them."""
    placed = {pk: candidate.pk for candidate, members in proposed.groups for pk in members}
    rows = list(
        Application.objects.filter(pk__in=placed, programme=programme, status=S.OFFERED).values_list(
            "pk", "cohort__offered_time_id"
        )
    )
    return bool(placed) and len(rows) == len(placed) and all(placed[pk] == time for pk, time in rows)


def proposal_first_week(*, programme: Programme, count: int) -> datetime.date:
    """The Monday of the first session's week for the groups of a proposal of `count` groups, as
    `proposal_offer` will make them (so the bank holidays shown beside a proposal are the ones its groups meet)."""
    planned = proposal_cohorts_planned(programme=programme, count=count)
    last = Cohort.objects.filter(programme=programme).order_by("-number").first()
    return _first_week(programme, planned, last)


def _first_week(programme: Programme, planned: Sequence[Cohort | None], last: Cohort | None) -> datetime.date:
    """An empty group reused keeps its weeks; else new groups start with the programme, or after the last group."""
    reused = [cohort for cohort in planned if cohort is not None]
    if reused:
        return reused[0].first_session_week
    if last is None:
        return programme.first_session_week
    return last.first_session_week + datetime.timedelta(weeks=programme.session_count)


def _new_cohort(*, programme: Programme, number: int, first_week: datetime.date) -> Cohort:
    return Cohort.objects.create(
        programme=programme,
        number=number,
        name=f"Group {number}",
        size=programme.group_size,
        first_session_week=first_week,
    )


@transaction.atomic
def proposal_offer(
    *, programme: Programme, proposed: ProposedOffers, by: User | None = None
) -> ProposalOutcome:
    """Turn a proposal into offers, all or nothing: a group for each proposed time (an empty group of the
    programme reused, else a new one numbered after the last; the groups of one proposal run side by side from
    the same first week, two of them at the same time when demand filled both), its weekly time recorded as the time offered,
    each placed person offered a place in it with the decision email as a draft; then everyone else in the
    proposal waitlisted (a draft email each) and the whole waitlist put in the proposed order, anyone waitlisted
    since the proposal was made after them. A second press of the button changes nothing: the people placed
    have been offered places, so the proposal is refused as out of date."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    refusal = proposal_stale_refusal(programme=programme, proposed=proposed)
    if refusal:
        raise TransitionRefused(refusal)
    applications = Application.objects.in_bulk(proposed.application_ids)
    outcome = ProposalOutcome()
    planned = proposal_cohorts_planned(programme=programme, count=len(proposed.groups))
    last = Cohort.objects.filter(programme=programme).order_by("-number").first()
    number = last.number if last else 0
    first_week = _first_week(programme, planned, last)
    for (candidate, members), existing in zip(proposed.groups, planned, strict=True):
        if existing is None:
            number += 1
            cohort = _new_cohort(programme=programme, number=number, first_week=first_week)
        else:
            cohort = existing
        cohort.offered_time = candidate
        cohort.save(update_fields=["offered_time"])
        outcome.cohorts.append(cohort)
        offered = applications_offer(
            applications=[applications[pk] for pk in members],
            cohort=cohort,
            by=by,
            notify=Notify.DRAFT,
            note=OFFER_NOTE,
        )
        if offered.refused:  # checked above; the state machine has the last word
            application, reason = offered.refused[0]
            raise TransitionRefused(f"{application.name}: {reason}")
        outcome.offered += offered.changed
    for pk in proposed.waitlist:
        application = applications[pk]
        if application.status != S.WAITLISTED:
            application = application_set_status(
                application=application,
                status=S.WAITLISTED,
                by=by,
                notify=Notify.DRAFT,
                note=WAITLIST_NOTE,
            )
        outcome.waitlisted.append(application)
    waitlist_order(programme=programme, first=list(proposed.waitlist))
    for application in outcome.waitlisted:
        application.refresh_from_db(fields=["waitlist_position"])
    return outcome


def waitlist_order(*, programme: Programme, first: Sequence[int]) -> None:
    """Put the waitlist in order: the applications `first`, in that order, then everyone else waiting as they
    were. Call inside a transaction holding the programme's lock (as joining the waitlist does)."""
    waiting = Application.objects.filter(programme=programme, status=S.WAITLISTED)
    positions = {pk: position or 0 for pk, position in waiting.values_list("pk", "waitlist_position")}
    order = [pk for pk in first if pk in positions]
    order += sorted(set(positions) - set(order), key=lambda pk: positions[pk])
    # Positions are unique within a programme: move everyone clear of 1..n first, then into place.
    clear = len(order) + max(positions.values(), default=0)
    waiting.update(waitlist_position=F("waitlist_position") + clear)
    for position, pk in enumerate(order, start=1):
        Application.objects.filter(pk=pk).update(waitlist_position=position)
