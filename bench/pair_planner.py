"""Benchmark the coffee-pair planner: 1,000 members x 10 rounds (and a cohort-sized case for comparison).

Run: /work/main/.venv/bin/python bench/pair_planner.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pairings.planner import Member, plan_pairs, plan_repeats


def cohort(size: int, rng: random.Random) -> list[Member]:
    return [
        Member(
            id=i,
            organisation=f"Organisation {rng.randrange(size // 3 or 1)}",
            availability=frozenset(rng.sample(range(8), rng.randint(1, 4))),
        )
        for i in range(1, size + 1)
    ]


def run(size: int, rounds: int, away_share: float, repeat: int = 3) -> None:
    rng = random.Random(size)
    members = cohort(size, rng)
    away = {r: set(rng.sample(range(1, size + 1), int(size * away_share))) for r in range(rounds)}
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        plan = plan_pairs(members, rounds=rounds, sit_outs=away, seed=1)
        timings.append(time.perf_counter() - started)
    organisation = {m.id: m.organisation for m in members}
    same_org = sum(
        1
        for groups in plan.rounds
        for g in groups
        for a in g
        for b in g
        if a < b and organisation[a] == organisation[b]
    )
    print(
        f"{size:>5} members x {rounds:>2} rounds, {away_share:.0%} away per round: "
        f"median {statistics.median(timings):.2f}s (min {min(timings):.2f}s) over {repeat} runs; "
        f"repeats {plan_repeats(plan)}, same-organisation pairs {same_org}"
    )


if __name__ == "__main__":
    run(1000, 10, 0.0)
    run(1000, 10, 0.05)
    run(20, 5, 0.1, repeat=20)
