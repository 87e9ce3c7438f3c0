"""The coffee-pair rotation planner: every round of a programme planned at once. Pure Python and networkx.

Input: members (id, organisation, the candidate times they said yes to), the number of rounds, who sits out
which round, pairs who met before, and rounds already announced (returned exactly as given). Output: for every
round, disjoint groups covering everyone available in it: pairs, plus one trio when the count is odd. A round
with a single person available leaves them in `Plan.unmatched` (nobody is there to meet).

How, and what is guaranteed:

1. Trios first, in time order. In a round with an odd count the trio is drawn from the available people
   with the fewest trios so far, so **nobody is in a trio twice while someone available has not been in one**
   (formally: no trio member has been in more earlier trios than anyone available outside the trio). Among the
   eligible, the trio is chosen so that its three pairs are new, then from different organisations, then
   share a candidate time.
2. The rest of each round (an even count) is paired. Costs are lexicographic, encoded as integer tiers so
   that no amount of a lower tier outweighs one unit of a higher one: a repeated pair (two people grouped
   together anywhere else in the plan, in an announced round, or before it), then how often they meet
   elsewhere (unavoidable repeats are spread), then a same-organisation pair, then a pair with no candidate
   time in common ("prefer overlapping availability among equal choices").
3. Planned as a whole, not greedily round by round (greedy can leave round k with no repeat-free pairing
   although one exists: six people after three greedy rounds can be left with two triangles). The start is the
   circle method (a round-robin 1-factorisation: n even and nobody away gives n - 1 rounds with no repeat),
   repaired around people who are away; then rounds are re-solved one at a time given all the others
   (coordinate descent), by minimum-cost perfect matching (networkx's blossom algorithm) and a swap search.

Why the descent ends, and what holds when it does. A round's cost given every other round is exactly the
change that round makes to one global potential:
    R * sum over pairs of max(0, meetings - 1) + R2 * sum over pairs of C(meetings, 2)
    + O * same-organisation pairs + V * pairs without a common candidate time.
A round is only replaced by a strictly cheaper one, so the potential falls at every change and the descent
stops. When it stops (cohorts up to EXACT_LIMIT members), the pairs of every round are a minimum-cost perfect
matching given the rest of the plan: **no pairing of that round's people has fewer repeated pairs**, and when
it has none, none has fewer same-organisation pairs. Above EXACT_LIMIT only the people displaced from the
circle are re-matched (the benchmark size); that keeps the circle's repeat-freedom without the cubic cost.

Deterministic for a seed: no iteration over string-keyed sets, and networkx is fed nodes and edges in a fixed
order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

# Above this many members a round is repaired around the people displaced from the circle rather than
# re-solved whole (a dense blossom matching is cubic in the number of people).
EXACT_LIMIT = 150
MAX_PASSES = 12
# How many of the eligible people are tried as the first member of a trio.
TRIO_FIRST_CANDIDATES = 8

Group = tuple[int, ...]
Pair = tuple[int, int]


@dataclass(frozen=True)
class Member:
    id: int
    organisation: str = ""
    availability: frozenset = frozenset()


@dataclass
class Plan:
    rounds: list[list[Group]]
    # round index -> the one person available in a round where nobody else is.
    unmatched: dict[int, int] = field(default_factory=dict)

    def group_of(self, round_index: int, member_id: int) -> Group | None:
        return next((g for g in self.rounds[round_index] if member_id in g), None)


def pair_key(a: int, b: int) -> Pair:
    return (a, b) if a < b else (b, a)


def pairs_in(group: Sequence[int]) -> list[Pair]:
    return [pair_key(a, b) for a, b in combinations(group, 2)]


def normalise_organisation(value: str) -> str:
    return " ".join(value.split()).casefold()


class _State:
    """Meeting counts over the whole plan (and before it), and the tiered costs computed from them."""

    def __init__(self, members: Sequence[Member], rounds: int) -> None:
        self.org = {m.id: normalise_organisation(m.organisation) for m in members}
        self.avail = {m.id: frozenset(m.availability) for m in members}
        base = (len(members) + 4) * (rounds + 4)
        self.V = 1
        self.O = base
        self.R2 = base**2
        self.R = base**3 * (rounds + 4)
        self.met: Counter[Pair] = Counter()

    def add(self, groups: Iterable[Group], sign: int = 1) -> None:
        for group in groups:
            for pair in pairs_in(group):
                self.met[pair] += sign

    def pair_cost(self, a: int, b: int) -> int:
        cost = 0
        met = self.met.get(pair_key(a, b), 0)
        if met:
            cost += self.R + self.R2 * met
        org_a = self.org.get(a, "")
        if org_a and org_a == self.org.get(b, ""):
            cost += self.O
        if not (self.avail.get(a, frozenset()) & self.avail.get(b, frozenset())):
            cost += self.V
        return cost

    def group_cost(self, group: Sequence[int]) -> int:
        return sum(self.pair_cost(a, b) for a, b in combinations(group, 2))

    def round_cost(self, groups: Iterable[Group]) -> int:
        return sum(self.group_cost(g) for g in groups)

    def worth_exact_solve(self, pairs: Iterable[Group]) -> bool:
        """Does the round hold a repeat or a same-organisation pair (which an exact re-solve might remove)?"""
        return any(self.pair_cost(*pair) >= self.O for pair in pairs)


def _circle_pairs(order: Sequence[int], turn: int) -> list[tuple[int | None, int | None]]:
    """Round `turn` of the circle method: seat 0 stays, the others rotate one place per round."""
    seats: list[int | None] = list(order)
    if len(seats) % 2:
        seats.append(None)
    size = len(seats)
    if size < 2:
        return []
    rest = seats[1:]
    shift = turn % (size - 1)
    rotated = [seats[0], *rest[shift:], *rest[:shift]]
    return [(rotated[i], rotated[size - 1 - i]) for i in range(size // 2)]


def _match(state: _State, people: Sequence[int]) -> list[Group]:
    """A minimum-cost perfect matching of an even number of people (maximum-weight matching on ceiling - cost)."""
    if len(people) < 2:
        return []
    if len(people) == 2:
        return [tuple(people)]
    costs = [(a, b, state.pair_cost(a, b)) for a, b in combinations(people, 2)]
    ceiling = max(c for _, _, c in costs) + 1
    graph = nx.Graph()
    graph.add_nodes_from(people)
    graph.add_weighted_edges_from((a, b, ceiling - c) for a, b, c in costs)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted(tuple(sorted(edge)) for edge in matching)


def _swap_search(state: _State, pairs: list[Group], focus: set[int] | None = None) -> list[Group]:
    """Exchange partners between two pairs ((a,b),(c,d) -> (a,c),(b,d) or (a,d),(b,c)) while that lowers the cost.

    With `focus` (pair indexes) only moves touching a focused pair are tried, for large rounds.
    """
    pairs = [pair_key(*p) for p in pairs]
    costs = [state.pair_cost(*p) for p in pairs]
    improved = True
    while improved:
        improved = False
        firsts = sorted(focus) if focus is not None else range(len(pairs))
        for i in firsts:
            for j in range(len(pairs)):
                if i == j or (focus is None and j < i):
                    continue
                (a, b), (c, d) = pairs[i], pairs[j]
                before = costs[i] + costs[j]
                for first, second in ((pair_key(a, c), pair_key(b, d)), (pair_key(a, d), pair_key(b, c))):
                    cf, cs = state.pair_cost(*first), state.pair_cost(*second)
                    if cf + cs < before:
                        pairs[i], pairs[j], costs[i], costs[j] = first, second, cf, cs
                        improved = True
                        break
    return pairs


def _choose_trio(state: _State, available: Sequence[int], trios: Counter[int]) -> Group:
    """Three available people: all with fewer trios than anyone left out would need, and the best trio among those.

    `available` is in seeded order, which breaks ties (and so rotates trios among equals).
    """
    by_count = sorted(available, key=lambda p: trios[p])  # stable: seeded order within a count
    threshold = trios[by_count[2]]
    forced = [p for p in by_count if trios[p] < threshold]
    pool = [p for p in by_count if trios[p] == threshold]
    need = 3 - len(forced)
    if need == 1:
        best = min(pool, key=lambda p: state.group_cost((*forced, p)))
        return (*forced, best)
    if need == 2:
        (x,) = forced
        options = [(a, b) for a, b in combinations(pool, 2)] if len(pool) <= 60 else None
        if options is None:
            a = min(pool, key=lambda p: state.pair_cost(x, p))
            b = min((p for p in pool if p != a), key=lambda p: state.group_cost((x, a, p)))
            return (x, a, b)
        a, b = min(options, key=lambda ab: state.group_cost((x, *ab)))
        return (x, a, b)
    best: Group | None = None
    best_cost = None
    for x in pool[:TRIO_FIRST_CANDIDATES]:
        a = min((p for p in pool if p != x), key=lambda p: state.pair_cost(x, p))
        b = min((p for p in pool if p not in (x, a)), key=lambda p: state.group_cost((x, a, p)))
        cost = state.group_cost((x, a, b))
        if best_cost is None or cost < best_cost:
            best, best_cost = (x, a, b), cost
    assert best is not None
    return best


def plan_pairs(
    members: Sequence[Member],
    *,
    rounds: int,
    sit_outs: Mapping[int, Iterable[int]] | None = None,
    past_pairs: Iterable[Sequence[int]] = (),
    fixed: Mapping[int, Sequence[Sequence[int]]] | None = None,
    seed: int = 0,
) -> Plan:
    """Plan rounds 0..rounds-1. `fixed` rounds (already announced) come back unchanged and count as history,
    like `past_pairs`; members in them who are not in `members` any more are simply left there."""
    sit_outs = {r: set(ids) for r, ids in (sit_outs or {}).items()}
    fixed = {r: [tuple(g) for g in groups] for r, groups in (fixed or {}).items()}
    members = sorted(members, key=lambda m: m.id)
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        raise ValueError("member ids must be unique")
    state = _State(members, rounds)
    for a, b in past_pairs:
        state.met[pair_key(a, b)] += 1
    for groups in fixed.values():
        state.add(groups)

    order = list(ids)
    random.Random(seed).shuffle(order)
    free = [r for r in range(rounds) if r not in fixed]
    available = {r: [p for p in order if p not in sit_outs.get(r, ())] for r in free}

    trio_of, unmatched = _place_trios(state, rounds, fixed, available)
    pairs = _seat_pairs(state, free, order, available, trio_of)
    _improve_rounds(state, free, pairs, exact=len(ids) <= EXACT_LIMIT)

    result: list[list[Group]] = []
    for r in range(rounds):
        if r in fixed:
            result.append(list(fixed[r]))
            continue
        groups = [pair_key(*p) for p in pairs[r]]
        if r in trio_of:
            groups.append(tuple(sorted(trio_of[r])))
        result.append(sorted(groups))
    return Plan(rounds=result, unmatched=unmatched)


def _place_trios(
    state: _State, rounds: int, fixed: dict[int, list[Group]], available: dict[int, list[int]]
) -> tuple[dict[int, Group], dict[int, int]]:
    """Step 1: a round with an odd number of people has one trio, chosen in time order from those with the fewest
    trios so far; a round with one person leaves them unmatched."""
    trio_of: dict[int, Group] = {}
    unmatched: dict[int, int] = {}
    trios: Counter[int] = Counter()
    for r in range(rounds):
        if r in fixed:
            for group in fixed[r]:
                if len(group) == 3:
                    trios.update(group)
            continue
        here = available[r]
        if len(here) == 1:
            unmatched[r] = here[0]
        elif len(here) % 2 and len(here) >= 3:
            trio = _choose_trio(state, here, trios)
            trio_of[r] = trio
            trios.update(trio)
            state.add([trio])
    return trio_of, unmatched


def _seat_pairs(
    state: _State,
    free: list[int],
    order: list[int],
    available: dict[int, list[int]],
    trio_of: dict[int, Group],
) -> dict[int, list[Group]]:
    """Step 2: the circle baseline, with the people it cannot seat matched among themselves."""
    pairs: dict[int, list[Group]] = {}
    for turn, r in enumerate(free):
        in_trio = set(trio_of.get(r, ()))
        here = {p for p in available[r] if p not in in_trio}
        kept: list[Group] = []
        displaced: list[int] = []
        for a, b in _circle_pairs(order, turn):
            if a is not None and b is not None and a in here and b in here:
                kept.append(pair_key(a, b))
            else:
                displaced.extend(p for p in (a, b) if p is not None and p in here)
        if len(here) < 2:
            displaced = []
        pairs[r] = kept + _match(state, displaced)
        state.add(pairs[r])
    return pairs


def _improve_rounds(state: _State, free: list[int], pairs: dict[int, list[Group]], *, exact: bool) -> None:
    """Step 3, in place: coordinate descent, re-solving each round given all the others until none gets cheaper.

    A round is re-solved only when the cost of a pair among its people changed since it was last solved
    (otherwise its last solution is still optimal), which keeps the passes after the first cheap."""
    people = {r: {p for pair in pairs[r] for p in pair} for r in free}
    dirty = set(free)
    for _ in range(MAX_PASSES if exact else 1):
        if not dirty:
            break
        for r in free:
            if r not in dirty:
                continue
            dirty.discard(r)
            current = pairs[r]
            if len(current) < 2:
                continue
            state.add(current, -1)
            before = state.round_cost(current)
            best = _resolved_round(state, current, exact=exact)
            if state.round_cost(best) < before:
                changed_pairs = set(current) ^ set(best)
                pairs[r] = best
                for other in free:
                    if other != r and any(
                        a in people[other] and b in people[other] for a, b in changed_pairs
                    ):
                        dirty.add(other)
            state.add(pairs[r])


def _resolved_round(state: _State, current: list[Group], *, exact: bool) -> list[Group]:
    """The round's pairs re-solved given every other round: exactly for small groups, else by swaps around the
    pairs that repeat a meeting."""
    if exact:
        best = (
            _match(state, [p for pair in current for p in pair])
            if state.worth_exact_solve(current)
            else current
        )
        return _swap_search(state, best)
    focus = {i for i, pair in enumerate(current) if state.pair_cost(*pair) >= state.O}
    return _swap_search(state, current, focus=focus) if focus else current


def plan_repeats(plan: Plan, past_pairs: Iterable[Sequence[int]] = ()) -> int:
    """How many times a pair meets again: sum over pairs of (meetings - 1), counting past meetings."""
    met: Counter[Pair] = Counter(pair_key(a, b) for a, b in past_pairs)
    for groups in plan.rounds:
        for group in groups:
            met.update(pairs_in(group))
    return sum(count - 1 for count in met.values() if count > 1)
