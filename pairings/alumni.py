"""Alumni coffee pairs: members whose group has ended opt in to monthly coffee pairs across groups and programmes.

Each month the reminder dispatcher forms one round (`alumni_round_form`, from `pairings/reminders.py`) from
everyone opted in who is still an alumnus, with the same planner as a group's rounds (`planner.plan_pairs`: pairs,
and one trio when the count is odd). Nobody is paired with anyone they have met before (`alumni_met_pairs`):
someone who was in one of their groups (a place confirmed, even if one of them left later), a coffee partner in
any group's round, or an alumni partner in an earlier month. The planner avoids those pairs when it can; the few
it cannot avoid are broken up afterwards (`without_repeats`), so a repeat never happens: someone who has met
everyone available sits the month out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import emails_skip_keys
from sessions_app.selectors import alumni_places, is_alumnus

from .models import AlumniOptIn, AlumniPair, AlumniPairMember, AlumniRound, PairMember
from .planner import Group, Member, pairs_in, plan_pairs

# Statuses of a place in a group whose holders have met the group: confirmed, or confirmed and left since.
MET_IN_GROUP_STATUSES = (ApplicationStatus.CONFIRMED, ApplicationStatus.WITHDRAWN)


def month_of(now: datetime.datetime) -> datetime.date:
    """The month `now` falls in (the site's time, UK time), as its first day."""
    return timezone.localtime(now).date().replace(day=1)


# --- Reads ---------------------------------------------------------------------------------------------------


def alumni_opted_in(*, now: datetime.datetime) -> list[User]:
    """Everyone opted in who is still an alumnus (a confirmed place in a group that has ended, an active
    account), by id."""
    return list(
        User.objects.filter(
            alumni_coffee__isnull=False, pk__in=alumni_places(now=now).values("user_id")
        ).order_by("pk")
    )


def alumni_met_pairs(user_ids: list[int]) -> set[tuple[int, int]]:
    """Every pair of these users (by user id, smaller first) who have met: in the same group, as a coffee pair
    in any group's round, or as alumni coffee partners in any month."""
    ids = set(user_ids)
    together: dict[tuple[str, int], set[int]] = {}
    for cohort_id, user_id in Application.objects.filter(
        user_id__in=ids, cohort__isnull=False, status__in=MET_IN_GROUP_STATUSES
    ).values_list("cohort_id", "user_id"):
        together.setdefault(("group", cohort_id), set()).add(user_id)
    for pair_id, user_id in PairMember.objects.filter(member__user_id__in=ids).values_list(
        "pair_id", "member__user_id"
    ):
        together.setdefault(("coffee", pair_id), set()).add(user_id)
    for pair_id, user_id in AlumniPairMember.objects.filter(user_id__in=ids).values_list(
        "pair_id", "user_id"
    ):
        together.setdefault(("alumni", pair_id), set()).add(user_id)
    return {pair for people in together.values() for pair in pairs_in(sorted(people))}


@dataclass(frozen=True)
class AlumniOverview:
    opted_in: bool
    this_month: AlumniRound | None
    partners: list[User]
    past: list[tuple[AlumniRound, list[User]]]


def alumni_overview(user: User, *, now: datetime.datetime) -> AlumniOverview:
    """What the alumni coffee page shows: whether the user is in, this month's partners, and earlier months'.
    Two queries."""
    opted_in = AlumniOptIn.objects.filter(user=user).exists()
    rows = list(
        AlumniPairMember.objects.filter(pair__memberships__user=user)
        .select_related("round", "user")
        .order_by("-round__month", "user__name", "pk")
    )
    month = month_of(now)
    by_round: dict[int, tuple[AlumniRound, list[User]]] = {}
    for row in rows:
        entry = by_round.setdefault(row.round_id, (row.round, []))
        if row.user_id != user.pk:
            entry[1].append(row.user)
    current = next((entry for entry in by_round.values() if entry[0].month == month), None)
    return AlumniOverview(
        opted_in=opted_in,
        this_month=current[0] if current else None,
        partners=current[1] if current else [],
        past=[entry for entry in by_round.values() if entry[0].month < month],
    )


# --- The month's round -------------------------------------------------------------------------------------


def without_repeats(groups: list[Group], met: set[tuple[int, int]]) -> list[Group]:
    """The planner's groups with every pair who have met broken up: a trio keeps a pair who have not met, and
    whoever is left over is paired with another left over, or joins a pair as its third, with nobody they have
    met; else they sit the month out. Deterministic (by id)."""

    def fresh(people) -> bool:
        return not any(pair in met for pair in pairs_in(sorted(people)))

    kept: list[list[int]] = []
    spare: list[int] = []
    for group in groups:
        if fresh(group):
            kept.append(list(group))
            continue
        pair = next((list(p) for p in combinations(sorted(group), 2) if fresh(p)), None)
        if pair is not None and len(group) == 3:
            kept.append(pair)
            spare.extend(p for p in group if p not in pair)
        else:
            spare.extend(group)
    spare.sort()
    while spare:
        person = spare.pop(0)
        partner = next((p for p in spare if fresh((person, p))), None)
        if partner is not None:
            spare.remove(partner)
            kept.append([person, partner])
            continue
        trio = next((g for g in kept if len(g) == 2 and fresh((*g, person))), None)
        if trio is not None:
            trio.append(person)
    return sorted(tuple(sorted(g)) for g in kept)


def alumni_round_form(*, now: datetime.datetime | None = None) -> AlumniRound | None:
    """This month's alumni round, formed the first time it is asked for in the month and returned as it is
    after that (a second run forms nothing). None while fewer than two alumni who have not met are opted in
    (the round is formed on a later run, once there are)."""
    now = now or timezone.now()
    month = month_of(now)
    existing = AlumniRound.objects.filter(month=month).first()
    if existing is not None:
        return existing
    people = alumni_opted_in(now=now)
    if len(people) < 2:
        return None
    met = alumni_met_pairs([p.pk for p in people])
    plan = plan_pairs(
        [Member(id=p.pk, organisation=p.organisation) for p in people],
        rounds=1,
        past_pairs=sorted(met),
        seed=month.year * 12 + month.month,
    )
    groups = without_repeats(plan.rounds[0], met)
    if not groups:
        return None
    try:
        with transaction.atomic():
            round_ = AlumniRound.objects.create(month=month, formed_at=now)
            for group in groups:
                pair = AlumniPair.objects.create(round=round_)
                AlumniPairMember.objects.bulk_create(
                    AlumniPairMember(pair=pair, round=round_, user_id=user_id) for user_id in group
                )
    except IntegrityError:  # another run formed it meanwhile (the unique month)
        return AlumniRound.objects.get(month=month)
    return round_


# --- Opting in and out, leaving, erasure -------------------------------------------------------------------


def alumni_opt_in(*, user: User, now: datetime.datetime | None = None) -> AlumniOptIn:
    """Join the monthly alumni coffee pairs: only a member whose group has ended. Opting in twice changes
    nothing."""
    now = now or timezone.now()
    if not is_alumnus(user, now=now):
        raise ValidationError("Alumni coffee pairs are for members whose group has ended.")
    opt_in, _ = AlumniOptIn.objects.get_or_create(user=user, defaults={"opted_in_at": now})
    return opt_in


def alumni_opt_out(*, user: User) -> None:
    """Leave the monthly pairs: no pair from the next month on (this month's pair, already introduced, stands)."""
    AlumniOptIn.objects.filter(user=user).delete()


def alumni_coffee_leave(*, user: User, now: datetime.datetime | None = None) -> None:
    """The person leaves the alumni coffee pairs altogether (they left a group, or asked to be erased): out of
    the monthly pairs, and out of this month's pair; an introduction not yet sent to their partner is not sent
    if nobody would be left to meet."""
    now = now or timezone.now()
    with transaction.atomic():
        AlumniOptIn.objects.filter(user=user).delete()
        mine = AlumniPairMember.objects.filter(user=user, round__month=month_of(now)).select_related("pair")
        for membership in mine:
            pair = membership.pair
            membership.delete()
            rest = list(pair.memberships.values_list("user_id", flat=True))
            # Their own introduction, and their partner's when nobody would be left to meet, are not sent.
            unsent = [user.pk, *rest] if len(rest) < 2 else [user.pk]
            emails_skip_keys(
                keys=[f"{EmailKind.ALUMNI_COFFEE_INTRODUCTION}:{pair.pk}:{user_id}" for user_id in unsent],
                now=now,
            )
            if len(rest) < 2:
                pair.delete()
