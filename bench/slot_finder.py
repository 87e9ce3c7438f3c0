"""Benchmark the best-time finder: 10,000 applicants × 40 candidate weekly times.

Run from the repository root:  .venv/bin/python bench/slot_finder.py
The target is well under 100 ms per ranking (bank-holiday lookup included).
"""

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from applications.slot_finder import IF_NEED_BE, NO, YES, Candidate, rank_times

APPLICANTS = 10_000
CANDIDATES = 40
RUNS = 20


def build(seed: int = 2021):
    rng = random.Random(seed)
    candidates = [
        Candidate(key=n, weekday=n % 5, start=datetime.time(9 + (n // 5) % 10, 0)) for n in range(CANDIDATES)
    ]
    answers = {
        applicant: {c.key: rng.choice((YES, IF_NEED_BE, NO)) for c in candidates if rng.random() < 0.9}
        for applicant in range(APPLICANTS)
    }
    return candidates, answers


def main() -> None:
    candidates, answers = build()
    first_week = datetime.date(2021, 8, 9)
    rank_times(candidates, answers, first_week=first_week)  # warm up (loads the holiday tables)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        ranking = rank_times(candidates, answers, first_week=first_week)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"{APPLICANTS:,} applicants × {CANDIDATES} candidate times, {RUNS} runs")
    print(
        f"median {statistics.median(timings):.1f} ms, best {min(timings):.1f} ms, worst {max(timings):.1f} ms"
    )
    top = ranking[0]
    print(f"top: weekday {top.candidate.weekday} {top.candidate.start:%H:%M}, {top.can_come:,} can come")


if __name__ == "__main__":
    main()
