"""Writes for coffee pairs: rounds derived from sessions, planning, swaps, publishing, "we met" and skips."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from applications.enums import AvailabilityAnswer
from applications.models import Application, Availability, Cohort
from applications.selectors import cohort_members
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.selectors import email_keys_existing
from cohort_site.mail.services import email_queue, emails_skip_keys
from sessions_app.enums import SessionStatus
from sessions_app.models import Session

from .enums import RoundStatus
from .models import Pair, PairMember, Round, SkipRequest
from .planner import Member, normalise_organisation, plan_pairs
from .selectors import shared_times


def rounds_sync(*, cohort: Cohort) -> list[Round]:
    """One round per gap between consecutive scheduled sessions; times follow the sessions.

    Published rounds keep their members but their times follow a moved session. A planned round whose gap
    disappeared (a session was cancelled) is deleted with its pairs.
    """
    sessions = list(
        Session.objects.filter(cohort=cohort, status=SessionStatus.SCHEDULED).order_by("number", "starts_at")
    )
    gaps = {
        before.number: (before.ends_at, after.starts_at)
        for before, after in pairwise(sessions)
        if after.starts_at > before.ends_at
    }
    with transaction.atomic():
        existing = {r.number: r for r in Round.objects.select_for_update().filter(cohort=cohort)}
        for number, round_ in existing.items():
            if number not in gaps and round_.status == RoundStatus.PLANNED:
                round_.delete()
        for number, (opens_at, closes_at) in gaps.items():
            known = existing.get(number)
            if known is None:
                Round.objects.create(cohort=cohort, number=number, opens_at=opens_at, closes_at=closes_at)
            elif (known.opens_at, known.closes_at) != (opens_at, closes_at):
                known.opens_at, known.closes_at = opens_at, closes_at
                known.save(update_fields=["opens_at", "closes_at"])
    return list(Round.objects.filter(cohort=cohort).order_by("number"))


def _planner_members(members: list[Application]) -> list[Member]:
    yes: dict[int, set[int]] = {}
    for application_id, time_id in Availability.objects.filter(
        application__in=members, answer=AvailabilityAnswer.YES
    ).values_list("application_id", "candidate_time_id"):
        yes.setdefault(application_id, set()).add(time_id)
    return [
        Member(id=m.pk, organisation=m.organisation, availability=frozenset(yes.get(m.pk, ())))
        for m in members
    ]


def pairs_plan(*, cohort: Cohort, seed: int | None = None, now: datetime | None = None) -> list[Round]:
    """Plan (or re-plan) every round of the cohort that is not published; published rounds stay exactly as they are.

    Who is in: the cohort's confirmed members now (a withdrawal leaves, a late joiner from the waitlist comes in).
    Who sits out: skip requests. The seed defaults to the cohort's id so that re-planning the same facts gives
    the same plan.
    """
    now = now or timezone.now()
    rounds = rounds_sync(cohort=cohort)
    if not rounds:
        return rounds
    with transaction.atomic():
        rounds = list(Round.objects.select_for_update().filter(cohort=cohort).order_by("number"))
        index = {r.pk: i for i, r in enumerate(rounds)}
        members = list(cohort_members(cohort))
        fixed: dict[int, list[tuple[int, ...]]] = {}
        groups_by_pair: dict[tuple[int, int], list[int]] = {}
        for pair_id, round_id, member_id in PairMember.objects.filter(
            round__in=[r for r in rounds if r.is_published]
        ).values_list("pair_id", "round_id", "member_id"):
            groups_by_pair.setdefault((round_id, pair_id), []).append(member_id)
        for i, r in enumerate(rounds):
            if r.is_published:
                fixed[i] = []
        for (round_id, _), ids in sorted(groups_by_pair.items()):
            fixed[index[round_id]].append(tuple(sorted(ids)))
        sit_outs: dict[int, set[int]] = {}
        for round_id, member_id in SkipRequest.objects.filter(round__in=rounds).values_list(
            "round_id", "member_id"
        ):
            sit_outs.setdefault(index[round_id], set()).add(member_id)
        plan = plan_pairs(
            _planner_members(members),
            rounds=len(rounds),
            sit_outs=sit_outs,
            fixed=fixed,
            seed=cohort.pk if seed is None else seed,
        )
        planned = [r for r in rounds if not r.is_published]
        Pair.objects.filter(round__in=planned).delete()
        for r in planned:
            for group in plan.rounds[index[r.pk]]:
                pair = Pair.objects.create(round=r, created_at=now)
                PairMember.objects.bulk_create(PairMember(pair=pair, round=r, member_id=m) for m in group)
            r.planned_at = now
            r.save(update_fields=["planned_at"])
    return rounds


def pairs_swap(*, round_: Round, first: Application, second: Application) -> None:
    """Swap two people between their groups in a round not yet published."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.is_published:
            raise ValidationError("This round is published; its pairs can no longer change.")
        if first.pk == second.pk:
            raise ValidationError("Choose two different people.")
        memberships = {
            m.member_id: m for m in PairMember.objects.filter(round=round_, member__in=[first, second])
        }
        if len(memberships) != 2:
            raise ValidationError("Both people must be in this round's pairs.")
        a, b = memberships[first.pk], memberships[second.pk]
        if a.pair_id == b.pair_id:
            raise ValidationError("They are already in the same group.")
        a.pair_id, b.pair_id = b.pair_id, a.pair_id
        PairMember.objects.bulk_update([a, b], ["pair"])


def round_publish(*, round_: Round, now: datetime | None = None) -> Round:
    """Lock a round's pairs and announce them (the introduction goes when the round opens). The only writer of
    a round's status; publishing twice is a no-op."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.is_published:
            return round_
        if not round_.pairs.exists():
            raise ValidationError("Plan the pairs before publishing the round.")
        round_.status = RoundStatus.PUBLISHED
        round_.published_at = now
        round_.save(update_fields=["status", "published_at"])
    return round_


def pair_mark_met(*, membership: PairMember, now: datetime | None = None) -> PairMember:
    """Record that a member says they met their partner(s). Idempotent: the first time counts."""
    now = now or timezone.now()
    PairMember.objects.filter(pk=membership.pk, met_at__isnull=True).update(met_at=now)
    membership.refresh_from_db(fields=["met_at"])
    return membership


def round_skip(*, member: Application, round_: Round) -> SkipRequest:
    """Sit out a round not yet published; its pairs (and later rounds') are re-planned around the absence."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.is_published:
            raise ValidationError("That round's pairs are already announced.")
        if round_.cohort_id != member.cohort_id:
            raise ValidationError("That round is not in your group.")
        skip, _ = SkipRequest.objects.get_or_create(round=round_, member=member)
    if round_.pairs.exists():
        pairs_plan(cohort=round_.cohort)
    return skip


def round_skip_cancel(*, member: Application, round_: Round) -> None:
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.is_published:
            raise ValidationError("That round's pairs are already announced.")
        deleted, _ = SkipRequest.objects.filter(round=round_, member=member).delete()
    if deleted and round_.pairs.exists():
        pairs_plan(cohort=round_.cohort)


# --- A member leaves the group ----------------------------------------------------------------------------


def pairs_member_leave(*, member: Application, cohort: Cohort, now: datetime | None = None) -> None:
    """`member` has left `cohort` (their place is already withdrawn). Every round not yet announced is re-planned
    without them; in each announced round not yet over they come out of their pair, and whoever is left alone
    joins another pair (a trio) or someone free. Once a round has opened (the introductions have gone), each
    person whose pair changed gets one email; before that, the introduction simply names the new pair. A pair
    that has already said "we met" is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        rounds = Round.objects.select_for_update().filter(
            cohort=cohort, status=RoundStatus.PUBLISHED, closes_at__gt=now
        )
        for round_ in rounds.order_by("number"):
            _leave_round(round_=round_, leaver=member, now=now)
        SkipRequest.objects.filter(member=member, round__cohort=cohort).delete()
        replan = Pair.objects.filter(round__cohort=cohort, round__status=RoundStatus.PLANNED).exists()
    if replan:
        pairs_plan(cohort=cohort, now=now)


def _leave_round(*, round_: Round, leaver: Application, now: datetime) -> None:
    mine = PairMember.objects.filter(round=round_, member=leaver).select_related("pair").first()
    if mine is None:
        return
    pair = mine.pair
    group = list(pair.memberships.select_related("member"))
    if any(m.met_at for m in group):
        return  # they have met: that stands as it happened
    rest = [m for m in group if m.pk != mine.pk]
    mine.delete()
    opened = round_.opens_at <= now
    if len(rest) >= 2:  # a trio carries on as a pair
        if opened:
            # Only those already introduced hear of the change; the others' introduction will be right.
            introduced = _introduced(pair, [m.member_id for m in rest])
            for m in rest:
                if m.member_id not in introduced:
                    continue
                _change_email(
                    key=f"coffee-change:{pair.pk}:{m.member_id}:left:{leaver.pk}",
                    case="carry_on",
                    round_=round_,
                    member=m.member,
                    pair=pair,
                    partners=[o.member for o in rest if o.pk != m.pk],
                    left=leaver,
                )
        return
    if not rest:
        pair.delete()
        return
    orphan = rest[0]
    target = _pair_to_join(round_=round_, orphan=orphan.member, leaving=pair)
    if opened:
        # What was about to tell them to meet the leaver is no longer true.
        emails_skip_keys(
            keys=[
                f"{EmailKind.COFFEE_INTRODUCTION}:{pair.pk}:{orphan.member_id}",
                f"{EmailKind.COFFEE_NUDGE}:{pair.pk}:{orphan.member_id}",
            ],
            now=now,
        )
    if target is None:
        if opened:
            _change_email(
                key=f"coffee-change:{pair.pk}:{orphan.member_id}:left:{leaver.pk}",
                case="alone",
                round_=round_,
                member=orphan.member,
                pair=pair,
                partners=[],
                left=leaver,
            )
        return
    joined = [m.member for m in target.memberships.select_related("member")]
    orphan.pair = target
    orphan.save(update_fields=["pair"])
    pair.delete()
    if not opened:
        return
    # The orphan's email stands in for their introduction to this pair (the same key), so the dispatcher
    # does not introduce them a second time.
    _change_email(
        key=f"{EmailKind.COFFEE_INTRODUCTION}:{target.pk}:{orphan.member_id}",
        case="repaired",
        round_=round_,
        member=orphan.member,
        pair=target,
        partners=joined,
        left=leaver,
    )
    introduced = _introduced(target, [p.pk for p in joined])
    for person in joined:
        if person.pk not in introduced:
            continue  # their introduction, still to come, names everyone
        _change_email(
            key=f"coffee-change:{target.pk}:{person.pk}:joined:{orphan.member_id}",
            case="joined",
            round_=round_,
            member=person,
            pair=target,
            partners=[p for p in joined if p.pk != person.pk] + [orphan.member],
            newcomer=orphan.member,
        )


def _introduced(pair: Pair, member_ids: list[int]) -> set[int]:
    """Which of these members have already been sent (or queued) their introduction to `pair`."""
    keys = {f"{EmailKind.COFFEE_INTRODUCTION}:{pair.pk}:{member_id}": member_id for member_id in member_ids}
    return {keys[key] for key in email_keys_existing(keys)}


def _pair_to_join(*, round_: Round, orphan: Application, leaving: Pair) -> Pair | None:
    """Where someone left alone goes: to a person on their own if there is one, else to a pair (making a trio)
    rather than a trio; among those, one still to meet, with nobody they have met before, from other
    organisations."""
    met_before = set(
        PairMember.objects.filter(
            pair__memberships__member=orphan,
            round__cohort_id=round_.cohort_id,
            round__status=RoundStatus.PUBLISHED,
        )
        .exclude(round=round_)
        .values_list("member_id", flat=True)
    )
    mine = normalise_organisation(orphan.organisation)
    candidates = []
    for pair in (
        Pair.objects.filter(round=round_).exclude(pk=leaving.pk).prefetch_related("memberships__member")
    ):
        people = list(pair.memberships.all())
        if not people:
            continue
        candidates.append(
            (
                len(people) != 1,
                len(people) >= 3,
                any(p.met_at for p in people),
                sum(p.member_id in met_before for p in people),
                sum(normalise_organisation(p.member.organisation) == mine for p in people),
                pair.pk,
                pair,
            )
        )
    return min(candidates, key=lambda c: c[:-1])[-1] if candidates else None


def _change_email(
    *,
    key: str,
    case: str,
    round_: Round,
    member: Application,
    pair: Pair,
    partners: list[Application],
    left: Application | None = None,
    newcomer: Application | None = None,
) -> None:
    """One email to `member` about their changed pair. `case`: "repaired" (their partner left; they join
    `partners`), "alone" (their partner left and nobody is free), "carry_on" (someone left their trio),
    "joined" (`newcomer` joins their pair)."""
    programme = round_.cohort.programme
    names = " and ".join(p.name for p in partners)
    subject = {
        "repaired": f"Your coffee pair has changed: meet {names}",
        "alone": "Your coffee pair has left the group",
        "carry_on": f"Your coffee pair: {names} and you carry on",
        "joined": f"Your coffee pair has changed: {newcomer.name if newcomer else ''} joins you",
    }[case]
    email_queue(
        key=key,
        kind=EmailKind.COFFEE_CHANGE,
        to=member.email,
        user=member.user,
        subject=subject,
        context={
            "case": case,
            "round": round_,
            "programme": programme,
            "member": member,
            "partners": partners,
            "left": left,
            "newcomer": newcomer,
            "times": shared_times([member, *partners]),
        },
        about=pair,
        reply_to=programme.contact_email,
    )
