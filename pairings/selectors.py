"""Reads for coffee pairs, reused by views, emails and the calendar feed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from applications.enums import AvailabilityAnswer
from applications.models import Application, Availability, CandidateTime, Cohort
from applications.selectors import latest_membership, memberships_of
from sessions_app.models import CohortSchedule

from .enums import RoundStatus
from .models import Pair, PairMember, Round, SkipRequest
from .planner import normalise_organisation, pair_key, pairs_in


def member_of(user, *, memberships: list[Application] | None = None) -> Application | None:
    """The user's confirmed membership of a cohort (the most recent, if they were in more than one); from
    `memberships` (the user's places with their groups) when the caller has already read them."""
    if memberships is not None:
        return latest_membership(memberships)
    return (
        memberships_of(user)
        .select_related("cohort__programme")
        .order_by("-cohort__first_session_week", "-pk")
        .first()
    )


def rounds_with_pairs(cohort: Cohort) -> QuerySet[Round]:
    memberships = PairMember.objects.select_related("member").order_by("member__name", "pk")
    return (
        Round.objects.filter(cohort=cohort)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "pairs", queryset=Pair.objects.prefetch_related(Prefetch("memberships", queryset=memberships))
            ),
            "skip_requests__member",
        )
    )


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    groups: list[list[PairMember]]
    repeats: int
    same_organisation: int
    met: int
    repeated_pairs: frozenset
    same_organisation_pairs: frozenset


def plan_summary(cohort: Cohort) -> list[RoundSummary]:
    """Each round's groups with the manager's checks: repeats (pairs who meet in an earlier round; should be 0),
    same-organisation pairs, and how many groups said they met."""
    rounds = list(rounds_with_pairs(cohort))
    seen: Counter = Counter()
    summaries = []
    for round_ in rounds:
        groups = [list(pair.memberships.all()) for pair in round_.pairs.all()]
        repeated, same_org = set(), set()
        for group in groups:
            organisation = {m.member_id: normalise_organisation(m.member.organisation) for m in group}
            for a, b in pairs_in([m.member_id for m in group]):
                if seen[pair_key(a, b)]:
                    repeated.add((a, b))
                if organisation[a] and organisation[a] == organisation[b]:
                    same_org.add((a, b))
        for group in groups:
            seen.update(pairs_in([m.member_id for m in group]))
        summaries.append(
            RoundSummary(
                round=round_,
                groups=groups,
                repeats=len(repeated),
                same_organisation=len(same_org),
                met=sum(1 for group in groups if any(m.met_at for m in group)),
                repeated_pairs=frozenset(repeated),
                same_organisation_pairs=frozenset(same_org),
            )
        )
    return summaries


def shared_times(members: list[Application]) -> list[CandidateTime]:
    """The candidate times every one of these members said yes to (the times that suit both, or all three),
    except their group's weekly session time, when they meet as a group anyway. Read afresh each time, so a
    change of the weekly time frees the old one and takes the new one."""
    if not members:
        return []
    session_time = CohortSchedule.objects.filter(
        cohort_id__in={m.cohort_id for m in members},
        weekday=OuterRef("weekday"),
        start_time=OuterRef("start_time"),
    )
    # One query: the times with a yes from each of them (an answer is unique per person and time), counted in a
    # subquery grouped by the time alone.
    said_yes_by_all = (
        Availability.objects.filter(application__in=members, answer=AvailabilityAnswer.YES)
        .values("candidate_time_id")
        .annotate(yes=Count("pk"))
        .filter(yes=len(members))
        .values("candidate_time_id")
    )
    return list(
        CandidateTime.objects.filter(pk__in=said_yes_by_all)
        .exclude(Exists(session_time))
        .select_related("programme")
        .order_by("weekday", "start_time")
    )


def pair_memberships_of(member: Application) -> QuerySet[PairMember]:
    """The member's groups in published rounds, with everyone in them, oldest round first."""
    partners = PairMember.objects.select_related("member").order_by("member__name", "pk")
    return (
        PairMember.objects.filter(member=member, round__status=RoundStatus.PUBLISHED)
        .select_related("round", "pair")
        .prefetch_related(Prefetch("pair__memberships", queryset=partners, to_attr="everyone"))
        .order_by("round__number")
    )


def next_unpublished_round(member: Application, now: datetime | None = None) -> Round | None:
    """The next round a member could still ask to skip: not announced yet and not closed."""
    assert member.cohort_id is not None  # a member's place is in a group
    now = now or timezone.now()
    return (
        Round.objects.filter(cohort_id=member.cohort_id, status=RoundStatus.PLANNED, closes_at__gt=now)
        .order_by("number")
        .first()
    )


@dataclass(frozen=True)
class CatchUpWindow:
    round: Round
    opens_at: datetime
    closes_at: datetime
    partner_names: list[str]


def catch_up_windows_for(user) -> list[CatchUpWindow]:
    """The coffee windows of a user's published rounds, for the calendar feed: when, and with whom."""
    member = member_of(user)
    if member is None:
        return []
    return [
        CatchUpWindow(
            round=membership.round,
            opens_at=membership.round.opens_at,
            closes_at=membership.round.closes_at,
            partner_names=[m.member.name for m in membership.pair.everyone if m.member_id != member.pk],  # type: ignore[attr-defined]  # a Prefetch's to_attr
        )
        for membership in pair_memberships_of(member)
    ]


@dataclass(frozen=True)
class CoffeeOverview:
    """What a member's coffee page shows: the current (or next announced) group, whom they meet in it and when
    suits them all, the people met before, and the next round they could still ask to sit out."""

    member: Application
    current: PairMember | None
    current_is_open: bool
    partners: list[Application]
    times: list[CandidateTime]
    past: list[tuple[PairMember, list[Application]]]
    next_round: Round | None
    skipping: bool


def coffee_overview(member: Application, *, now: datetime, with_next_round: bool = True) -> CoffeeOverview:
    """Three queries whatever the cohort's size or history: everyone in the member's published groups, the times
    that suit the current group (or, before one is announced, the member), and the next round with the member's
    wish to skip it (left out, one query fewer, `with_next_round=False`, for a page that does not offer the skip)."""
    my_groups = PairMember.objects.filter(member=member, round__status=RoundStatus.PUBLISHED).values(
        "pair_id"
    )
    rows = list(
        PairMember.objects.filter(pair_id__in=my_groups)
        .select_related("member", "round")
        .order_by("round__number", "member__name", "pk")
    )
    mine = [row for row in rows if row.member_id == member.pk]
    others: dict[int, list[Application]] = {row.pair_id: [] for row in mine}
    for row in rows:
        if row.member_id != member.pk:
            others[row.pair_id].append(row.member)
    current = next((m for m in mine if m.round.opens_at <= now < m.round.closes_at), None) or next(
        (m for m in mine if m.round.opens_at > now), None
    )
    partners = others[current.pair_id] if current else []
    assert member.cohort_id is not None  # a member's place is in a group
    next_round = (
        None
        if not with_next_round
        else (
            Round.objects.filter(cohort_id=member.cohort_id, status=RoundStatus.PLANNED, closes_at__gt=now)
            .annotate(skipping=Exists(SkipRequest.objects.filter(round=OuterRef("pk"), member=member)))
            .order_by("number")
            .first()
        )
    )
    return CoffeeOverview(
        member=member,
        current=current,
        current_is_open=current is not None and current.round.opens_at <= now,
        partners=partners,
        times=shared_times([member, *partners]),
        past=[(m, others[m.pair_id]) for m in reversed(mine) if m.round.closes_at <= now],
        next_round=next_round,
        skipping=bool(next_round and next_round.skipping),
    )
