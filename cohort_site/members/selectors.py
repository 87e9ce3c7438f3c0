import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.template.defaultfilters import pluralize

from applications.enums import WaitlistPromotion
from applications.freed_places import freed_place_offered
from applications.models import Application, Cohort, Programme
from applications.selectors import memberships_of, waitlist
from pairings.enums import RoundStatus
from pairings.models import Pair, PairMember
from sessions_app.selectors import sessions_to_come

from .enums import ExpenseStatus
from .models import Expense


def expenses_of(user) -> QuerySet[Expense]:
    return Expense.objects.filter(claimant=user).select_related("programme")


def expenses_for_review(*, status: str = "", programme: Programme | None = None) -> QuerySet[Expense]:
    expenses = Expense.objects.select_related("claimant", "programme", "decided_by")
    if programme is not None:
        expenses = expenses.filter(programme=programme)
    return expenses.filter(status=status) if status else expenses


def expenses_awaiting_decision_count(*, programme: Programme | None = None) -> int:
    expenses = Expense.objects.filter(status=ExpenseStatus.SUBMITTED)
    if programme is not None:
        expenses = expenses.filter(programme=programme)
    return expenses.count()


def programme_of_member(user) -> Programme | None:
    """The programme of the member's most recent confirmed place."""
    application = memberships_of(user).select_related("programme").order_by("-status_changed_at").first()
    return application.programme if application else None


# --- Leaving the group: what will happen, said before it does ---------------------------------------------


@dataclass(frozen=True)
class LeavePreview:
    """What `member_leave` will do, in words for the "are you sure" page: what happens, and who is emailed."""

    application: Application
    cohort: Cohort
    what_happens: list[str]
    emailed: list[str]


def leave_preview(application: Application, *, by_member: bool, now: datetime.datetime) -> LeavePreview:
    """The consequences of `application` leaving its group now, as `member_leave` will carry them out."""
    cohort = application.cohort
    assert cohort is not None  # a member's place is in a group
    name = "you" if by_member else application.name
    sessions = len(sessions_to_come(cohort=cohort, now=now))
    sessions_text = f"{sessions} session{pluralize(sessions)}"
    what = [
        f"{'Your' if by_member else application.name + '’s'} place in {cohort.name} is withdrawn and recorded "
        "with who did it and why. This cannot be undone: coming back means applying again.",
        f"No more reminders, invitations, coffee pairs or surveys go to {name}; those waiting are not sent.",
    ]
    emailed = [
        f"{'You' if by_member else application.name} ({application.email}): a confirmation"
        + (f", with a calendar file that removes the {sessions_text} still to come" if sessions else "")
    ]
    for line, people in _coffee_consequences(application, cohort=cohort, name=name, now=now):
        what.append(line)
        emailed.extend(people)
    place, told = _place_consequence(cohort, now=now)
    what.append(place)
    emailed.extend(told)
    return LeavePreview(application=application, cohort=cohort, what_happens=what, emailed=emailed)


def _coffee_consequences(application: Application, *, cohort: Cohort, name: str, now: datetime.datetime):
    for membership in (
        PairMember.objects.filter(
            member=application, round__status=RoundStatus.PUBLISHED, round__closes_at__gt=now
        )
        .select_related("round")
        .prefetch_related("pair__memberships__member")
        .order_by("round__number")
    ):
        group = list(membership.pair.memberships.all())
        others = [m.member for m in group if m.member_id != application.pk]
        if any(m.met_at for m in group) or not others:
            continue
        number = membership.round.number
        names = " and ".join(o.name for o in others)
        if membership.round.opens_at > now:
            yield (
                f"Coffee round {number} is announced but not open yet: {names} will be introduced to a new "
                "coffee pair instead when it opens.",
                [],
            )
        elif len(others) >= 2:
            yield (
                f"In coffee round {number}, {names} carry on as a coffee pair.",
                [f"{o.name} ({o.email}): told that they carry on as a coffee pair" for o in others],
            )
        else:
            yield (
                f"In coffee round {number}, {names} joins another coffee pair (a pair of three) or whoever is "
                "free.",
                [
                    f"{others[0].name} ({others[0].email}): told and introduced to their new coffee pair",
                    "The coffee pair they join: told who joins them",
                ],
            )
    if Pair.objects.filter(round__cohort=cohort, round__status=RoundStatus.PLANNED).exists():
        yield (f"Coffee rounds not announced yet are planned again without {name}.", [])


def _place_consequence(cohort: Cohort, *, now: datetime.datetime) -> tuple[str, list[str]]:
    programme = cohort.programme
    if not freed_place_offered(cohort=cohort, now=now):
        return (
            f"The place stays empty: {cohort.name} has reached session {programme.freed_places_until_session}, "
            "after which a freed place is not offered.",
            [],
        )
    if not waitlist(programme.pk).exists():
        return "Nobody is on the waitlist, so the place stays free.", []
    if programme.waitlist_promotion == WaitlistPromotion.AUTOMATIC:
        return (
            "The place is offered at once to the next person on the waitlist.",
            ["The next person on the waitlist: an offer of the place"],
        )
    return (
        "The place is free to offer from the waitlist: the programme contact chooses who.",
        [
            f"{programme.contact_name} ({programme.contact_email}), the programme contact: asked to offer the place"
        ],
    )
