"""The group composer: which applicants form which groups, and each group's weekly time, chosen together.

Pure Python plus the HiGHS solver (highspy), no Django: it is given plain values and returns plain values, so it
can be tested on hand-made cases and benchmarked alone (bench/composer.py).

Input: the applicants under consideration (id, the manager's score, "must include" / "exclude" marks,
organisation, role, region, and an answer per candidate time: yes, if need be, or no; a missing answer is no), the
candidate times, and the rules: the group size, how many groups (or as many as demand fills, counting only groups
that fill), at most k people from one organisation in a group (default 1), a minimum number of people of a role in
each group, and whether to avoid "if need be" more strongly. The manager may also pin people to a time.

Output (`Proposal`): the groups, each with its weekly time and members; the waitlist in order; for every applicant
not placed, the reason in words; the objective, the solver's bound and whether the answer is proven optimal.

The objective: maximise the weighted number of people placed, where placing someone at a time is worth
`(10 + score) * 4` if they said yes to it and `(10 + score) * 3` if only "if need be" (`* 1` with
`avoid_if_need_be`); an unscored applicant counts as 0. So a score of 10 weighs twice a score of 0, two people
always outweigh one, and a firmer yes wins among equals.

The integer programme (two or more groups may meet at one time when demand fills them):
    y[t] in {0, 1, ...}   how many groups meet at time t (no more than the groups wanted, nor than those who can
                          make t could fill to the smallest group size)
    z[a, t] in {0, 1}     applicant a is in a group at t (only where a said yes or if need be to t)
    sum_t z[a, t] <= 1    (= 1 for "must include")           z[a, t] <= y[t]
    sum_a z[a, t] <= size * y[t]                              sum_a z[a, t] >= min_size * y[t]
    sum_t y[t] <= groups (when given)
    sum over a of one organisation z[a, t] <= k * y[t]        sum over a of a role z[a, t] >= minimum * y[t]
    z[a, t] = 1 for a pin
The rules of the groups meeting at one time are held together (size, organisations and roles times y[t]); the
people placed at t are then shared among its y[t] groups so that each keeps them (`_split`).
Weights are integers, so an answer whose bound is less than 1 above it is optimal; the solver stops there or at
the time limit with the best answer so far and its bound. It starts from the greedy answer (below), so the answer
is never worse than it. If the pins or "must include" marks make the rules impossible, it solves again with the
organisation and role rules as soft (each breach costs more than everyone's weight together), so the fewest
breaches are made, and `Proposal.broken_rules` says which.

The greedy fallback (used as the start, and alone if the solver fails): the better of (1) today's flow, made to
respect the rules: take the next `size` applicants by score, pick the time most of them can make (then most yes,
as the best-time finder ranks), fill that group with them first and top it up from everyone else; and (2) time
first: open, one group after another, the time whose greedily filled group weighs most.
"""

from __future__ import annotations

import math
import time as clock
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

YES = "yes"
IF_NEED_BE = "if_need_be"
NO = "no"

SCORE_BASE = 10
YES_FACTOR = 4
IF_NEED_BE_FACTOR = 3
AVOIDED_IF_NEED_BE_FACTOR = 1

OPTIMAL = "optimal"
TIME_LIMIT = "time limit"
GREEDY = "greedy"

# The share of the time limit the solver may use: the rest is for building the model and reading the answer.
DEADLINE_SHARE = 0.95

# Why someone who can make a group's time is not in it.
COLLEAGUE = "colleague"
FULL = "full"
FULL_KEPT = "full, lower kept"
ROOM = "room"

# How many times a reason names before "and N more".
NAMED_TIMES = 3


class ComposerError(ValueError):
    """The input asks for something impossible (a pin to a time the person said no to, too many pinned times)."""


@dataclass(frozen=True)
class Time:
    """A candidate weekly time: `key` identifies it to the caller, `label` names it in reasons ("Tuesday 14:00")."""

    key: Hashable
    label: str


@dataclass(frozen=True)
class Applicant:
    id: Hashable
    availability: Mapping[Any, str] = field(
        default_factory=dict
    )  # time key -> yes / if_need_be / no (Any: Mapping is invariant in its key)
    score: int | None = None
    organisation: str = ""
    role: str = ""
    region: str = ""
    include: bool = False  # the manager's "must include"
    exclude: bool = False

    def answer(self, key: Hashable) -> str:
        return self.availability.get(key, NO)

    def can_make(self, key: Hashable) -> bool:
        return self.answer(key) in (YES, IF_NEED_BE)


@dataclass(frozen=True)
class Rules:
    group_size: int = 20
    groups: int | None = 1  # None: as many groups as demand fills
    max_per_organisation: int = 1
    role_minimums: Mapping[str, int] = field(default_factory=dict)  # role -> at least this many per group
    avoid_if_need_be: bool = False
    # The fewest people a group may start with; None: the group size when `groups` is None (only groups that
    # fill), else 1.
    min_group_size: int | None = None
    time_limit: float = 5.0  # seconds for the whole composition; the best answer found by then is returned

    @property
    def smallest_group(self) -> int:
        if self.min_group_size is not None:
            return self.min_group_size
        return self.group_size if self.groups is None else 1


@dataclass(frozen=True)
class Group:
    time: Time
    members: tuple[Hashable, ...]  # heaviest first
    yes: tuple[Hashable, ...]
    if_need_be: tuple[Hashable, ...]


@dataclass(frozen=True)
class Proposal:
    groups: tuple[Group, ...]
    waitlist: tuple[Hashable, ...]
    reasons: Mapping[Hashable, str]  # every applicant not placed (excluded ones too) -> why, in words
    objective: int
    bound: float  # no answer can be worth more (infinite when only the greedy answer ran)
    status: str  # OPTIMAL, TIME_LIMIT or GREEDY
    seconds: float
    broken_rules: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        """How far the bound is above the answer, as a fraction of the answer (0 when proven optimal)."""
        if self.status == OPTIMAL or self.bound <= self.objective:
            return 0.0
        return (self.bound - self.objective) / max(self.objective, 1)

    @property
    def placed(self) -> tuple[Hashable, ...]:
        return tuple(member for group in self.groups for member in group.members)

    def group_of(self, applicant_id: Hashable) -> Group | None:
        return next((g for g in self.groups if applicant_id in g.members), None)


def normalise_organisation(value: str) -> str:
    return " ".join(value.split()).casefold()


def weight(applicant: Applicant, key: Hashable, rules: Rules) -> int:
    """What placing `applicant` at time `key` is worth (0 if they cannot make it)."""
    answer = applicant.answer(key)
    if answer == YES:
        factor = YES_FACTOR
    elif answer == IF_NEED_BE:
        factor = AVOIDED_IF_NEED_BE_FACTOR if rules.avoid_if_need_be else IF_NEED_BE_FACTOR
    else:
        return 0
    return (SCORE_BASE + (applicant.score or 0)) * factor


def objective_of(
    applicants: Sequence[Applicant], groups: Iterable[tuple[Hashable, Iterable[Hashable]]], rules: Rules
) -> int:
    """The objective of an assignment given as (time key, member ids) pairs."""
    by_id = {a.id: a for a in applicants}
    return sum(weight(by_id[m], key, rules) for key, members in groups for m in members)


def breaches(
    applicants: Sequence[Applicant], groups: Iterable[tuple[Hashable, Iterable[Hashable]]], rules: Rules
) -> list[str]:
    """The organisation and role rules an assignment breaks, in words (empty when it keeps them all)."""
    by_id = {a.id: a for a in applicants}
    found = []
    for key, members in groups:
        people = [by_id[m] for m in members]
        if len(people) < rules.smallest_group:
            found.append(f"only {len(people)} people in the group at {key}")
        orgs = Counter(normalise_organisation(p.organisation) for p in people if p.organisation.strip())
        for org, count in sorted(orgs.items()):
            if count > rules.max_per_organisation:
                found.append(f"{count} people from {org} in the group at {key}")
        roles = Counter(p.role for p in people)
        for role, minimum in sorted(rules.role_minimums.items()):
            if roles[role] < minimum:
                found.append(f"{roles[role]} of at least {minimum} {role} in the group at {key}")
    return found


def compose(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules = Rules(),
    *,
    pins: Mapping[Hashable, Hashable] | None = None,
) -> Proposal:
    """Propose groups for `applicants` at `times` under `rules`; `pins` maps applicant id -> time key."""
    started = clock.perf_counter()
    pins = dict(pins or {})
    _check(applicants, times, rules, pins)
    greedy = greedy_compose(applicants, times, rules, pins=pins)
    greedy_value = objective_of(applicants, greedy.items(), rules)
    try:  # highspy (and numpy) are imported only here, so importing this module stays cheap for the site
        solved = _solve(
            applicants, times, rules, pins, start=greedy, deadline=started + rules.time_limit * DEADLINE_SHARE
        )
    except ImportError:  # pragma: no cover - highspy is a dependency; a broken install still gets an answer
        solved = None
    counts: dict[Hashable, int] = {}
    if solved is None:
        chosen, bound, status = greedy, float("inf"), GREEDY  # no bound is known
    else:
        chosen, bound, status, counts = solved
        # The solver starts from the greedy answer, so this only matters if it rejected that start.
        if objective_of(applicants, chosen.items(), rules) < greedy_value and _keeps_everything(
            applicants, times, rules, greedy, pins
        ):
            chosen, counts = greedy, {}
    by_id = {a.id: a for a in applicants}
    split = [
        (key, group)
        for key, members in chosen.items()
        for group in _split(members, counts.get(key, 1), key, by_id, rules)
    ]
    broken = breaches(applicants, ((_label(times, k), m) for k, m in split), rules)
    placed = {m for members in chosen.values() for m in members}
    broken += [
        f"{a.id} is marked “must include” but could not be placed"
        for a in applicants
        if a.include and not a.exclude and a.id not in placed and any(a.can_make(t.key) for t in times)
    ]
    return _proposal(applicants, times, rules, split, bound, status, started, broken)


def _label(times: Sequence[Time], key: Hashable) -> str:
    return next(t.label for t in times if t.key == key)


def _check(
    applicants: Sequence[Applicant], times: Sequence[Time], rules: Rules, pins: Mapping[Hashable, Hashable]
) -> None:
    if rules.group_size < 1:
        raise ComposerError("A group needs at least one place.")
    if sum(rules.role_minimums.values()) > rules.group_size:
        raise ComposerError("The role minimums add up to more than the group size.")
    if rules.smallest_group > rules.group_size:
        raise ComposerError("The smallest group allowed is larger than the group size.")
    keys = {t.key for t in times}
    by_id = {a.id: a for a in applicants}
    for applicant_id, key in pins.items():
        if applicant_id not in by_id:
            raise ComposerError(f"A pinned person ({applicant_id}) is not among the applicants.")
        if key not in keys:
            raise ComposerError(f"{applicant_id} is pinned to a time that is not on offer.")
        applicant = by_id[applicant_id]
        if applicant.exclude:
            raise ComposerError(f"{applicant_id} is both pinned and excluded.")
        if not applicant.can_make(key):
            raise ComposerError(f"{applicant_id} is pinned to {_label(times, key)}, which they said no to.")
    pinned_times = set(pins.values())
    if rules.groups is not None and len(pinned_times) > rules.groups:
        wanted = f"{rules.groups} group is" if rules.groups == 1 else f"{rules.groups} groups are"
        raise ComposerError(f"People are pinned to {len(pinned_times)} times, but only {wanted} wanted.")
    for key in pinned_times:
        if sum(1 for k in pins.values() if k == key) > rules.group_size:
            raise ComposerError(f"More people are pinned to {_label(times, key)} than a group holds.")


def _keeps_everything(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules,
    assignment: Mapping[Hashable, Sequence[Hashable]],
    pins: Mapping[Hashable, Hashable],
) -> bool:
    """Does an assignment keep every pin, every "must include" who can come, and every rule?"""
    placed = {m: key for key, members in assignment.items() for m in members}
    if any(placed.get(a) != key for a, key in pins.items()):
        return False
    if any(
        a.include and not a.exclude and a.id not in placed
        for a in applicants
        if any(a.can_make(t.key) for t in times)
    ):
        return False
    return not breaches(applicants, assignment.items(), rules)


# The greedy answer -------------------------------------------------------------------------------------------


def greedy_compose(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules,
    *,
    pins: Mapping[Hashable, Hashable] | None = None,
) -> dict[Hashable, list[Hashable]]:
    """The better of today's flow (respecting the rules) and time-first filling: {time key: member ids}."""
    pins = dict(pins or {})
    answers = [_time_first(applicants, times, rules, pins)]
    if not pins:
        answers.append(_todays_flow(applicants, times, rules))
    return max(answers, key=lambda groups: objective_of(applicants, groups.items(), rules))


def _eligible(applicants: Sequence[Applicant]) -> list[Applicant]:
    return [a for a in applicants if not a.exclude]


def _fill(
    key: Hashable,
    order: Sequence[Applicant],
    rules: Rules,
    *,
    fixed: Sequence[Applicant] = (),
) -> list[Applicant] | None:
    """Fill a group at `key` with `fixed`, then the role minimums, then anyone, in `order`; None if the group cannot
    meet the role minimums or the smallest size."""
    members = list(fixed)
    taken = {a.id for a in members}
    orgs = Counter(normalise_organisation(a.organisation) for a in members)
    roles = Counter(a.role for a in members)

    def fits(applicant: Applicant) -> bool:
        org = normalise_organisation(applicant.organisation)
        return (
            applicant.id not in taken
            and applicant.can_make(key)
            and (not org or orgs[org] < rules.max_per_organisation)
        )

    def add(applicant: Applicant) -> None:
        members.append(applicant)
        taken.add(applicant.id)
        orgs[normalise_organisation(applicant.organisation)] += 1
        roles[applicant.role] += 1

    for role, minimum in rules.role_minimums.items():
        for applicant in order:
            if roles[role] >= minimum or len(members) >= rules.group_size:
                break
            if applicant.role == role and fits(applicant):
                add(applicant)
        if roles[role] < minimum:
            return None
    for applicant in order:
        if len(members) >= rules.group_size:
            break
        if fits(applicant):
            add(applicant)
    if len(members) < rules.smallest_group:
        return None
    return members


def _by_weight(applicants: Iterable[Applicant], key: Hashable, rules: Rules) -> list[Applicant]:
    """Must-include first, then heaviest at `key` (stable: input order among equals)."""
    return sorted(applicants, key=lambda a: (not a.include, -weight(a, key, rules)))


def _time_first(
    applicants: Sequence[Applicant], times: Sequence[Time], rules: Rules, pins: Mapping[Hashable, Hashable]
) -> dict[Hashable, list[Hashable]]:
    by_id = {a.id: a for a in applicants}
    remaining = [a for a in _eligible(applicants) if a.id not in pins]
    chosen: dict[Hashable, list[Hashable]] = {}
    for t in times:  # pinned times first, with their pins
        fixed = [by_id[a] for a, key in pins.items() if key == t.key]
        if fixed:
            members = _fill(t.key, _by_weight(remaining, t.key, rules), rules, fixed=fixed) or fixed
            chosen[t.key] = [m.id for m in members]
            placed = set(chosen[t.key])
            remaining = [a for a in remaining if a.id not in placed]
    while rules.groups is None or len(chosen) < rules.groups:
        best: tuple[int, Hashable, list[Applicant]] | None = None
        for t in times:
            if t.key in chosen:
                continue
            filled = _fill(t.key, _by_weight(remaining, t.key, rules), rules)
            if filled is None:
                continue
            value = sum(weight(m, t.key, rules) for m in filled)
            if best is None or value > best[0]:
                best = (value, t.key, filled)
        if best is None:
            break
        _, key, members = best
        chosen[key] = [m.id for m in members]
        placed = set(chosen[key])
        remaining = [a for a in remaining if a.id not in placed]
    return chosen


def _todays_flow(
    applicants: Sequence[Applicant], times: Sequence[Time], rules: Rules
) -> dict[Hashable, list[Hashable]]:
    """Today's flow, kept to the rules: the next `size` by score, the time most of them can make (then most yes),
    those of them who can make it, topped up from everyone else."""
    remaining = sorted(_eligible(applicants), key=lambda a: (not a.include, -(a.score or 0)))
    chosen: dict[Hashable, list[Hashable]] = {}
    while remaining and (rules.groups is None or len(chosen) < rules.groups):
        pool = remaining[: rules.group_size]
        pool_ids = {a.id for a in pool}
        ranked = sorted(
            (t for t in times if t.key not in chosen),
            key=lambda t: (
                -sum(a.can_make(t.key) for a in pool),
                -sum(a.answer(t.key) == YES for a in pool),
            ),
        )
        for t in ranked:
            order = _by_weight(pool, t.key, rules) + _by_weight(
                [a for a in remaining if a.id not in pool_ids], t.key, rules
            )
            members = _fill(t.key, order, rules)
            if members is not None:
                chosen[t.key] = [m.id for m in members]
                placed = set(chosen[t.key])
                remaining = [a for a in remaining if a.id not in placed]
                break
        else:
            break
    return chosen


# The integer programme ---------------------------------------------------------------------------------------


def _solve(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules,
    pins: Mapping[Hashable, Hashable],
    *,
    start: Mapping[Hashable, Sequence[Hashable]],
    deadline: float,
) -> tuple[dict[Hashable, list[Hashable]], float, str, dict[Hashable, int]] | None:
    try:
        return _solve_once(applicants, times, rules, pins, start=start, soft=False, deadline=deadline)
    except _Infeasible:
        return _solve_once(applicants, times, rules, pins, start=start, soft=True, deadline=deadline)


def _solve_once(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules,
    pins: Mapping[Hashable, Hashable],
    *,
    start: Mapping[Hashable, Sequence[Hashable]],
    soft: bool,
    deadline: float,
) -> tuple[dict[Hashable, list[Hashable]], float, str, dict[Hashable, int]] | None:
    import highspy
    import numpy as np

    eligible = _eligible(applicants)
    keys = [t.key for t in times]
    costs: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    integer: list[int] = []

    def column(cost: float, lo: float = 0.0, hi: float = 1.0, is_integer: bool = True) -> int:
        costs.append(cost)
        lower.append(lo)
        upper.append(hi)
        if is_integer:
            integer.append(len(costs) - 1)
        return len(costs) - 1

    pinned_times = set(pins.values())
    kept = None if soft else _worth_considering(eligible, keys, rules, pins)
    most = _most_groups_at(eligible, keys, rules)
    y = {key: column(0.0, lo=1.0 if key in pinned_times else 0.0, hi=float(most[key])) for key in keys}
    z: dict[tuple[Hashable, Hashable], int] = {}
    for a in eligible:
        for key in keys:
            w = weight(a, key, rules)
            if w and (kept is None or (a.id, key) in kept):
                z[a.id, key] = column(float(w), lo=1.0 if pins.get(a.id) == key else 0.0)
    penalty = float(sum(max((weight(a, k, rules) for k in keys), default=0) for a in eligible) + 1)

    rows_lower: list[float] = []
    rows_upper: list[float] = []
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []

    def row(entries: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
        starts.append(len(index))
        for col, coefficient in entries:
            index.append(col)
            value.append(coefficient)
        rows_lower.append(lo)
        rows_upper.append(hi)

    inf = highspy.kHighsInf
    for a in eligible:
        cols = [z[a.id, key] for key in keys if (a.id, key) in z]
        if not cols:
            continue
        if a.include:
            if soft:  # a missed "must include" costs a penalty
                row([*((c, 1.0) for c in cols), (column(-penalty), 1.0)], 1.0, 1.0)
            else:
                row(((c, 1.0) for c in cols), 1.0, 1.0)
        else:
            row(((c, 1.0) for c in cols), -inf, 1.0)
    for key in keys:
        members = [(a, z[a.id, key]) for a in eligible if (a.id, key) in z]
        for _, col in members:
            row(((col, 1.0), (y[key], -1.0)), -inf, 0.0)
        row([*((col, 1.0) for _, col in members), (y[key], -float(rules.group_size))], -inf, 0.0)
        entries = [*((col, 1.0) for _, col in members), (y[key], -float(rules.smallest_group))]
        if soft:
            entries.append((column(-penalty, hi=inf, is_integer=False), 1.0))
        row(entries, 0.0, inf)
        by_org: dict[str, list[int]] = {}
        for a, col in members:
            org = normalise_organisation(a.organisation)
            if org:
                by_org.setdefault(org, []).append(col)
        for cols in by_org.values():
            if len(cols) > rules.max_per_organisation:
                entries = [*((c, 1.0) for c in cols), (y[key], -float(rules.max_per_organisation))]
                if soft:
                    entries.append((column(-penalty, hi=inf, is_integer=False), -1.0))
                row(entries, -inf, 0.0)
        for role, minimum in rules.role_minimums.items():
            entries = [(col, 1.0) for a, col in members if a.role == role]
            entries.append((y[key], -float(minimum)))
            if soft:
                entries.append((column(-penalty, hi=inf, is_integer=False), 1.0))
            row(entries, 0.0, inf)
    if rules.groups is not None:
        row(((y[key], 1.0) for key in keys), -inf, float(rules.groups))

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)  # weights are integers: a gap below 1 is optimal
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    n = len(costs)
    h.addCols(
        n,
        np.array(costs, dtype=np.float64),
        np.array(lower, dtype=np.float64),
        np.array(upper, dtype=np.float64),
        0,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.float64),
    )
    if starts:
        h.addRows(
            len(starts),
            np.array(rows_lower, dtype=np.float64),
            np.array(rows_upper, dtype=np.float64),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )
    h.changeColsIntegrality(
        len(integer),
        np.array(integer, dtype=np.int32),
        np.full(len(integer), highspy.HighsVarType.kInteger.value, dtype=np.uint8),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def read(values: Sequence[float]) -> dict[Hashable, list[Hashable]]:
        return {
            key: [a.id for a in eligible if (a.id, key) in z and values[z[a.id, key]] > 0.5]
            for key in keys
            if values[y[key]] > 0.5
        }

    def ones(assignment: Mapping[Hashable, Sequence[Hashable]]) -> list[int]:
        return [y[key] for key in assignment] + [z[m, key] for key, ms in assignment.items() for m in ms]

    relaxed_bound = float("inf")  # the relaxation's optimum, when solved: no answer is worth more
    if not soft:
        best = dict(start)
        guided, relaxed_bound = _lp_guided(h, y, most, read, rules, pinned_times, deadline)
        if guided is not None and objective_of(applicants, guided.items(), rules) > objective_of(
            applicants, start.items(), rules
        ):
            best = guided
        cols = ones(best) if all((m, key) in z for key, ms in best.items() for m in ms) else []
        h.setSolution(len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols), dtype=np.float64))
    h.setOptionValue("time_limit", max(deadline - clock.perf_counter(), 0.05))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution: there is none, or none was found in time
        if status == highspy.HighsModelStatus.kInfeasible:
            if soft:  # pragma: no cover - the pins were checked to fit; the soft model always has an answer
                raise ComposerError("No proposal keeps every pin.")
            raise _Infeasible
        # Stopped before even reading the start (a busy machine, a tiny limit): the start is the answer so far.
        bound = info.mip_dual_bound if abs(info.mip_dual_bound) < highspy.kHighsInf else float("inf")
        return (
            {key: list(members) for key, members in start.items()},
            min(float(bound), relaxed_bound),
            TIME_LIMIT,
            {},
        )
    values = h.getSolution().col_value
    chosen = read(values)
    counts = {key: max(round(values[y[key]]), 1) for key in chosen}
    optimal = status == highspy.HighsModelStatus.kOptimal
    if soft:
        bound = float(objective_of(applicants, chosen.items(), rules))
    else:  # a busy machine may stop the search before it improves on the relaxation's bound
        bound = min(float(info.mip_dual_bound), relaxed_bound)
    return chosen, bound, OPTIMAL if optimal else TIME_LIMIT, counts


def _most_groups_at(
    eligible: Sequence[Applicant], keys: Sequence[Hashable], rules: Rules
) -> dict[Hashable, int]:
    """How many groups may meet at each time: as many as those who can make it could fill to the smallest
    group size, and no more than the groups wanted (at least one, so a pin can always open it)."""
    most = {}
    for key in keys:
        able = sum(1 for a in eligible if a.can_make(key))
        count = max(able // max(rules.smallest_group, 1), 1)
        most[key] = count if rules.groups is None else min(count, rules.groups)
    return most


def _split(
    members: Sequence[Hashable],
    count: int,
    key: Hashable,
    by_id: Mapping[Hashable, Applicant],
    rules: Rules,
) -> list[list[Hashable]]:
    """Share the people placed at one time among the `count` groups meeting then, each keeping the rules.

    The programme holds the rules for all of them together (size, organisations and roles times `count`), so a
    fair deal, one at a time round the groups, keeps them: organisation by organisation (each one's people go to
    different groups), or role by role; else a small exact programme shares them out."""
    if count <= 1:
        return [list(members)]
    people = [by_id[m] for m in members]

    def deal(order: Sequence[Applicant]) -> list[list[Hashable]]:
        groups: list[list[Hashable]] = [[] for _ in range(count)]
        for n, applicant in enumerate(order):
            groups[n % count].append(applicant.id)
        return groups

    def org(a: Applicant) -> str:
        return normalise_organisation(a.organisation) or f"#{a.id!r}"

    tries = [
        deal(sorted(people, key=lambda a: (org(a), a.role))),
        deal(sorted(people, key=lambda a: (a.role, org(a)))),
    ]
    for groups in tries:
        if not breaches(list(by_id.values()), ((key, g) for g in groups), rules):
            return groups
    try:
        exact = _split_exactly(people, count, rules)
    except ImportError:  # pragma: no cover - highspy is a dependency
        exact = None
    return exact or tries[0]


def _split_exactly(people: Sequence[Applicant], count: int, rules: Rules) -> list[list[Hashable]] | None:
    """Share `people` among `count` groups keeping the size, organisation and role rules (None if no way)."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", 1.0)
    n = len(people) * count
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger.value, dtype=np.uint8)
    )

    def var(p: int, g: int) -> int:
        return p * count + g

    def add(cols: Sequence[int], lo: float, hi: float) -> None:
        h.addRow(lo, hi, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))

    for p in range(len(people)):
        add([var(p, g) for g in range(count)], 1.0, 1.0)
    orgs: dict[str, list[int]] = {}
    for p, a in enumerate(people):
        if normalise_organisation(a.organisation):
            orgs.setdefault(normalise_organisation(a.organisation), []).append(p)
    for g in range(count):
        add([var(p, g) for p in range(len(people))], float(rules.smallest_group), float(rules.group_size))
        for same in orgs.values():
            if len(same) > rules.max_per_organisation:
                add([var(p, g) for p in same], 0.0, float(rules.max_per_organisation))
        for role, minimum in rules.role_minimums.items():
            add(
                [var(p, g) for p, a in enumerate(people) if a.role == role], float(minimum), highspy.kHighsInf
            )
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    values = h.getSolution().col_value
    return [[a.id for p, a in enumerate(people) if values[var(p, g)] > 0.5] for g in range(count)]


class _Infeasible(Exception):
    """The pins and "must include" marks cannot all be kept within the rules."""


def _lp_guided(h, y, most, read, rules: Rules, pinned_times: set, deadline: float):
    """A start for the solver: solve the relaxation, keep the `groups` times it leans to most, and solve the
    (much smaller) programme on those times alone, for at most a third of the time left. Returns the start found
    (or None) and the relaxation's optimum (a bound on every answer; infinite if it was not solved)."""
    import highspy
    import numpy as np

    if rules.groups is None:
        return None, float("inf")
    h.setOptionValue("solve_relaxation", True)
    h.setOptionValue("time_limit", max((deadline - clock.perf_counter()) / 3, 0.05))
    h.run()
    h.setOptionValue("solve_relaxation", False)
    if h.getInfo().primal_solution_status != 2:
        return None, float("inf")
    bound = float("inf")
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        bound = float(h.getInfo().objective_function_value)
    relaxed = h.getSolution().col_value
    keys = sorted(y, key=lambda key: (key not in pinned_times, -relaxed[y[key]]))
    closed = keys[rules.groups :]
    if not closed:
        return None, bound
    cols = np.array([y[key] for key in closed], dtype=np.int32)
    h.changeColsBounds(len(cols), cols, np.zeros(len(cols)), np.zeros(len(cols)))
    h.setOptionValue("time_limit", max((deadline - clock.perf_counter()) / 3, 0.05))
    h.run()
    found = read(h.getSolution().col_value) if h.getInfo().primal_solution_status == 2 else None
    h.changeColsBounds(
        len(cols), cols, np.zeros(len(cols)), np.array([float(most[key]) for key in closed], dtype=np.float64)
    )
    return found, bound


def _worth_considering(
    eligible: Sequence[Applicant], keys: Sequence[Hashable], rules: Rules, pins: Mapping[Hashable, Hashable]
) -> set[tuple[Hashable, Hashable]] | None:
    """The (applicant, time) pairs an optimum needs, when the number of groups is given (else None: all of them).

    Order the people who can make time t by weight there, then input order. Someone, neither pinned nor a must
    include, preceded at t by people of the same role from more than `places - 1 + size // k` organisations other
    than their own (`places` = groups x size) can be left out of t: in any answer that puts them at t, at most
    `places - 1` of those are placed and at most `size // k` organisations are full at t (with n groups at t, a
    full organisation has n x k of the at most n x size people there), so one of them, unplaced and with room for
    their organisation, can take the place for at least the same weight and the same role count. Swapping moves a place to someone earlier in the order, so it ends, at an answer as good that
    uses only the pairs kept.
    """
    if rules.groups is None:
        return None
    threshold = rules.groups * rules.group_size - 1 + rules.group_size // rules.max_per_organisation
    protected = {a.id for a in eligible if a.include} | set(pins)
    kept: set[tuple[Hashable, Hashable]] = set()
    for key in keys:
        seen: dict[str, set[str]] = {}  # role -> organisations (a person without one is their own)
        for a in sorted((a for a in eligible if a.can_make(key)), key=lambda a: -weight(a, key, rules)):
            orgs = seen.setdefault(a.role, set())
            own = normalise_organisation(a.organisation) or f"#{a.id!r}"
            others = len(orgs) - (own in orgs)
            if others <= threshold or a.id in protected:
                kept.add((a.id, key))
            orgs.add(own)
    return kept


# Reading the answer ------------------------------------------------------------------------------------------


def _proposal(
    applicants: Sequence[Applicant],
    times: Sequence[Time],
    rules: Rules,
    chosen: Sequence[tuple[Hashable, Sequence[Hashable]]],
    bound: float,
    status: str,
    started: float,
    broken: Sequence[str],
) -> Proposal:
    """`chosen` lists the groups as (time key, member ids); two groups may share a time."""
    by_id = {a.id: a for a in applicants}
    position = {a.id: n for n, a in enumerate(applicants)}
    order = {t.key: n for n, t in enumerate(times)}
    groups = []
    for key, group in chosen:
        t = times[order[key]]
        members = sorted(group, key=lambda m: (-weight(by_id[m], t.key, rules), position[m]))
        groups.append(
            Group(
                time=t,
                members=tuple(members),
                yes=tuple(m for m in members if by_id[m].answer(t.key) == YES),
                if_need_be=tuple(m for m in members if by_id[m].answer(t.key) == IF_NEED_BE),
            )
        )
    # In the order of the times; groups sharing a time, larger first, then by who is first in each.
    groups.sort(
        key=lambda g: (order[g.time.key], -len(g.members), position[g.members[0]] if g.members else 0)
    )
    placed = {m for g in groups for m in g.members}
    objective = objective_of(applicants, ((g.time.key, g.members) for g in groups), rules)
    reasons = {
        a.id: _reason(a, times, groups, rules, by_id, status) for a in applicants if a.id not in placed
    }
    waitlist = sorted(
        (a for a in applicants if a.id not in placed and not a.exclude),
        key=lambda a: (_best_answer(a, groups), -(a.score or 0), position[a.id]),
    )
    return Proposal(
        groups=tuple(groups),
        waitlist=tuple(a.id for a in waitlist),
        reasons=reasons,
        objective=objective,
        # Every answer's objective is a whole number, so the whole part of the solver's bound is a bound too.
        bound=max(float(math.floor(bound + 1e-6)) if math.isfinite(bound) else bound, float(objective)),
        status=status,
        seconds=clock.perf_counter() - started,
        broken_rules=tuple(broken),
    )


def _best_answer(applicant: Applicant, groups: Sequence[Group]) -> int:
    """0 if they said yes to a proposed group's time, 1 if only if need be, 2 if they can make none."""
    answers = {applicant.answer(g.time.key) for g in groups}
    return 0 if YES in answers else 1 if IF_NEED_BE in answers else 2


def _times_named(labels: Sequence[str]) -> str:
    labels = list(dict.fromkeys(labels))  # two groups at one time name it once
    named = list(labels[:NAMED_TIMES])
    if len(labels) > NAMED_TIMES:
        named.append(f"{len(labels) - NAMED_TIMES} more")
    if len(named) == 1:
        return named[0]
    return ", ".join(named[:-1]) + " and " + named[-1]


def _reason(
    applicant: Applicant,
    times: Sequence[Time],
    groups: Sequence[Group],
    rules: Rules,
    by_id: Mapping[Hashable, Applicant],
    status: str,
) -> str:
    if applicant.exclude:
        return "Marked “exclude” by the manager."
    possible = [g for g in groups if applicant.can_make(g.time.key)]
    if not possible:
        own = [t.label for t in times if applicant.can_make(t.key)]
        if not own:
            return "Said no to every time offered."
        if not groups:
            return f"Can make {_times_named(own)}, but no group could be formed."
        return f"Can only make {_times_named(own)}, which no group uses."
    kinds: dict[str, list[str]] = {}
    for g in possible:
        kinds.setdefault(_why_not_in(applicant, g, rules, by_id, status), []).append(g.time.label)
    only = len(possible) == 1
    sentence = "; ".join(_clause(kind, labels, rules, only=only) for kind, labels in kinds.items())
    return f"{sentence[0].upper()}{sentence[1:]}."


def _clause(kind: str, labels: Sequence[str], rules: Rules, *, only: bool) -> str:
    many = len(labels) > 1  # two groups at one time are "the groups at Tuesday 14:00"
    if only:
        where = f"the only group they can make, at {labels[0]}" + ("" if kind == COLLEAGUE else ",")
    else:
        where = f"the groups at {_times_named(labels)}" if many else f"the group at {labels[0]}"
    if kind == COLLEAGUE:
        if rules.max_per_organisation == 1:
            return f"a colleague from the same organisation is in {where}"
        return f"{rules.max_per_organisation} colleagues from the same organisation are in {where}"
    if kind == FULL:
        return f"{where} {'are' if many else 'is'} full of people with a higher score or a firmer yes"
    if kind == FULL_KEPT:
        return (
            f"{where} {'are' if many else 'is'} full, and those in {'them' if many else 'it'} with a lower "
            "score are pinned, must be included or needed for the role mix"
        )
    return f"{where} {'have' if many else 'has'} room, but the composer stopped at its time limit before placing them"


def _why_not_in(
    applicant: Applicant, group: Group, rules: Rules, by_id: Mapping[Hashable, Applicant], status: str
) -> str:
    """Why `applicant`, who can make `group`'s time, is not in it: COLLEAGUE, FULL, FULL_KEPT or ROOM."""
    key = group.time.key
    org = normalise_organisation(applicant.organisation)
    colleagues = [m for m in group.members if org and normalise_organisation(by_id[m].organisation) == org]
    if len(colleagues) >= rules.max_per_organisation:
        return COLLEAGUE
    if len(group.members) >= rules.group_size:
        mine = weight(applicant, key, rules)
        if all(weight(by_id[m], key, rules) >= mine for m in group.members):
            return FULL
        return FULL_KEPT
    return ROOM  # only when the solver stopped early, or rules were broken for a pin
