"""The rotation planner's guarantees, as properties over random cohorts (no database: the planner is pure)."""

from collections import Counter
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pairings.planner import Member, Plan, pair_key, pairs_in, plan_pairs, plan_repeats

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cohorts(draw, min_members=2, max_members=60, sit_outs=True):
    n = draw(st.integers(min_members, max_members))
    organisations = draw(st.integers(1, n))
    members = [
        Member(
            id=i + 1,
            organisation=f"Org {draw(st.integers(0, organisations - 1))}",
            availability=frozenset(draw(st.sets(st.integers(0, 5), max_size=4))),
        )
        for i in range(n)
    ]
    rounds = draw(st.integers(1, max(1, n - 1)))
    away = {}
    if sit_outs:
        for r in range(rounds):
            away[r] = draw(st.sets(st.integers(1, n), max_size=max(0, n // 3)))
    seed = draw(st.integers(0, 2**16))
    return members, rounds, away, seed


def available(members, away, r):
    return {m.id for m in members} - set(away.get(r, ()))


def met_outside(plan: Plan, r: int, past=()) -> Counter:
    met = Counter(pair_key(a, b) for a, b in past)
    for other, groups in enumerate(plan.rounds):
        if other != r:
            for group in groups:
                met.update(pairs_in(group))
    return met


def assert_covers_everyone(plan, members, away):
    for r, groups in enumerate(plan.rounds):
        here = available(members, away, r)
        seated = [p for g in groups for p in g]
        assert len(seated) == len(set(seated)), f"round {r}: someone is in two groups"
        if len(here) == 1:
            assert (groups, plan.unmatched[r]) == ([], next(iter(here)))
            continue
        assert set(seated) == here
        sizes = sorted(len(g) for g in groups)
        expected = [2] * (len(here) // 2 - 1) + [3] if len(here) % 2 else [2] * (len(here) // 2)
        assert sizes == sorted(expected)


def assert_repeats_and_colleagues_only_when_unavoidable(plan, members):
    """Per round, given the rest of the plan: the pairs are a fewest-repeats pairing of the people outside the trio
    (the number of pairs minus a maximum matching among pairs who never meet elsewhere); and when a round repeats
    nobody, it has the fewest same-organisation pairs any repeat-free pairing could have."""
    organisation = {m.id: m.organisation for m in members}
    for r, groups in enumerate(plan.rounds):
        pairs = [g for g in groups if len(g) == 2]
        people = [p for g in pairs for p in g]
        met = met_outside(plan, r)
        fresh = nx.Graph()
        fresh.add_nodes_from(people)
        fresh.add_weighted_edges_from(
            (a, b, 2 + (organisation[a] != organisation[b]))
            for a, b in combinations(people, 2)
            if not met[pair_key(a, b)]
        )
        best = nx.max_weight_matching(fresh, maxcardinality=True)
        repeats = sum(1 for a, b in pairs if met[pair_key(a, b)])
        assert repeats == len(pairs) - len(best), f"round {r}"
        if repeats == 0:
            same_org = sum(1 for a, b in pairs if organisation[a] == organisation[b])
            fewest_same_org = sum(1 for a, b in best if organisation[a] == organisation[b])
            assert same_org == fewest_same_org, f"round {r}"


def assert_trios_rotate(plan, members, away):
    """Nobody is in a trio twice while someone available has not been: no trio member has been in more earlier
    trios than anyone available outside the trio."""
    trios_so_far = Counter()
    for r, groups in enumerate(plan.rounds):
        trio = [g for g in groups if len(g) == 3]
        if not trio:
            continue
        (trio,) = trio
        outside = available(members, away, r) - set(trio)
        if outside:
            assert max(trios_so_far[p] for p in trio) <= min(trios_so_far[p] for p in outside), f"round {r}"
        trios_so_far.update(trio)


@pytest.mark.slow  # 60 cohorts of up to 60 people and 59 rounds: 15-30 s
@PROPERTY_SETTINGS
@given(cohorts())
def test_plan_guarantees_hold_for_random_cohorts_with_people_away(cohort):
    """2-60 members, 1..n-1 rounds, random sit-outs, organisations and availability: everyone available is in
    exactly one pair or trio per round, at most one trio; repeated and same-organisation pairs only when
    unavoidable; trios rotate."""
    members, rounds, away, seed = cohort
    plan = plan_pairs(members, rounds=rounds, sit_outs=away, seed=seed)
    assert len(plan.rounds) == rounds
    assert_covers_everyone(plan, members, away)
    assert_repeats_and_colleagues_only_when_unavoidable(plan, members)
    assert_trios_rotate(plan, members, away)


@pytest.mark.slow  # 60 cohorts of up to 60 people: 8-16 s
@PROPERTY_SETTINGS
@given(cohorts(sit_outs=False))
def test_plan_never_repeats_a_pair_when_everyone_comes_and_the_count_is_even(cohort):
    """The circle method's promise: n even, nobody away, up to n - 1 rounds, everyone meets someone new every time."""
    members, rounds, _, seed = cohort
    members = members[: len(members) // 2 * 2]
    plan = plan_pairs(members, rounds=min(rounds, len(members) - 1), seed=seed)
    assert plan_repeats(plan) == 0


@PROPERTY_SETTINGS
@given(cohorts(min_members=9, max_members=41, sit_outs=False))
def test_plan_never_repeats_a_pair_in_two_rounds_with_a_trio(cohort):
    """n odd (at least 9: with 7, round 2's trio must come from round 1's four paired people, so two of them
    met already), nobody away, two rounds: no repeats."""
    members, _, _, seed = cohort
    members = members[: (len(members) - 1) // 2 * 2 + 1]  # odd
    plan = plan_pairs(members, rounds=2, seed=seed)
    assert plan_repeats(plan) == 0


@settings(max_examples=20, deadline=None)
@given(cohorts(max_members=30))
def test_plan_is_the_same_for_the_same_seed(cohort):
    members, rounds, away, seed = cohort
    first = plan_pairs(members, rounds=rounds, sit_outs=away, seed=seed)
    again = plan_pairs(list(reversed(members)), rounds=rounds, sit_outs=away, seed=seed)
    assert first == again


def test_plan_for_twenty_members_and_five_rounds_meets_five_new_people_each():
    members = [Member(id=i, organisation=f"Org {i % 7}") for i in range(1, 21)]
    plan = plan_pairs(members, rounds=5, seed=3)
    partners = {m.id: set() for m in members}
    for groups in plan.rounds:
        for a, b in groups:
            partners[a].add(b)
            partners[b].add(a)
    assert {len(p) for p in partners.values()} == {5}
    assert plan_repeats(plan) == 0


def test_plan_prefers_overlapping_availability_among_equal_choices():
    # Four people, one round: {1,2} and {3,4} share a time, any other pairing shares none.
    members = [
        Member(1, "A", frozenset({"tue"})),
        Member(2, "B", frozenset({"tue"})),
        Member(3, "C", frozenset({"thu"})),
        Member(4, "D", frozenset({"thu"})),
    ]
    for seed in range(10):
        assert plan_pairs(members, rounds=1, seed=seed).rounds == [[(1, 2), (3, 4)]]


def test_plan_keeps_colleagues_apart_when_it_can():
    members = [Member(1, "Age UK"), Member(2, " age  uk "), Member(3, "Mind"), Member(4, "Mind")]
    assert plan_pairs(members, rounds=1, seed=0).rounds == [[(1, 3), (2, 4)]] or plan_pairs(
        members, rounds=1, seed=0
    ).rounds == [[(1, 4), (2, 3)]]


def test_plan_with_one_person_available_leaves_them_unmatched():
    members = [Member(1), Member(2), Member(3)]
    plan = plan_pairs(members, rounds=2, sit_outs={1: {2, 3}}, seed=0)
    assert (plan.rounds[1], plan.unmatched) == ([], {1: 1})
    assert plan.rounds[0] == [(1, 2, 3)]


def test_replanning_after_a_withdrawal_keeps_announced_rounds_identical():
    members = [Member(id=i, organisation=f"Org {i % 5}") for i in range(1, 20)]
    original = plan_pairs(members, rounds=5, seed=11)
    announced = {0: original.rounds[0], 1: original.rounds[1]}
    remaining = [m for m in members if m.id != 7]
    replanned = plan_pairs(remaining, rounds=5, fixed=announced, seed=11)
    assert replanned.rounds[:2] == original.rounds[:2]
    assert all(7 not in g for groups in replanned.rounds[2:] for g in groups)
    assert_covers_everyone(Plan(rounds=replanned.rounds[2:]), remaining, {})
    assert plan_repeats(replanned) == 0


def test_replanning_with_a_late_joiner_and_a_skip_meets_new_people():
    members = [Member(id=i) for i in range(1, 11)]
    original = plan_pairs(members, rounds=4, seed=2)
    joined = [*members, Member(id=11)]
    replanned = plan_pairs(joined, rounds=4, fixed={0: original.rounds[0]}, sit_outs={2: {4}}, seed=2)
    assert replanned.rounds[0] == original.rounds[0]
    assert_covers_everyone(Plan(rounds=replanned.rounds[1:]), joined, {1: {4}})
    assert plan_repeats(replanned) == 0


def test_past_pairs_are_not_repeated():
    members = [Member(id=i) for i in range(1, 5)]
    plan = plan_pairs(members, rounds=1, past_pairs=[(1, 2), (3, 4), (1, 3), (2, 4)], seed=0)
    assert plan.rounds == [[(1, 4), (2, 3)]]
