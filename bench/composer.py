"""Benchmark the group composer against today's flow and a first-come fill, on realistic availability.

Run: .venv/bin/python bench/composer.py [--applicants 500] [--groups 5] [--seconds 5] [--seed 1]

The data (`realistic`), made up but shaped like a charity sector's answers to "when could you meet weekly?":
- 40 candidate times: Monday to Friday, 09:00 to 16:00 on the hour.
- Each time has a popularity: mid-week beats Monday and Friday (Friday afternoons least), late morning and early
  afternoon beat 09:00, lunch and 16:00.
- Each person has a shape to their week: 30% work part-time (one or two whole days they can't make), 40% prefer
  mornings, 30% afternoons, 30% either; about a fifth of their remaining hours clash with a standing commitment.
  An open hour is a "yes" with probability 0.75 x popularity x preference, else "if need be" with probability
  0.35, else "no". On average a person says yes to about 12 of the 40 times and "if need be" to about 6.
- Organisations: 40% of people come from 60 larger charities (weighted 1/sqrt(rank): the largest sends about 15),
  the rest from a long tail of small ones; about 250 organisations among 500 people. 60% are front-line
  practitioners; the manager's score is 0 to 10, roughly normal around 6.

Compared, in the same run, for `--groups` groups of 20:
- today's flow: the top 20 by score form group 1, the next 20 group 2, and so on; each group's time is the one the
  best-time finder (applications/slot_finder.py) ranks first among the times not yet taken; someone who said no
  to it is offered a place they cannot take.
- first-come: the same, with people taken in the order they applied.
- the composer (applications/composer.py) with the default rules (at most one person per organisation in a
  group) and at least 8 front-line practitioners per group, and also with no rules at all.
For each: people placed at a time they said yes to, at a time they can make (yes or if need be), placed at a
time they cannot make, and the mean score of those placed; for the composer also the objective, the bound, the gap and the seconds taken.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datetime

from applications import slot_finder
from applications.composer import IF_NEED_BE, NO, YES, Applicant, Proposal, Rules, Time, compose

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HOURS = tuple(range(9, 17))
DAY_POPULARITY = (0.8, 1.0, 1.0, 0.95, 0.6)
HOUR_POPULARITY = {9: 0.6, 10: 1.0, 11: 1.0, 12: 0.7, 13: 0.8, 14: 1.0, 15: 0.9, 16: 0.6}
FRONT_LINE = "front_line"
DESIGNING = "designing"
GROUP_SIZE = 20
FRONT_LINE_MINIMUM = 8


def candidate_times() -> list[Time]:
    return [Time((day, hour), f"{DAYS[day]} {hour:02d}:00") for day in range(len(DAYS)) for hour in HOURS]


def realistic(count: int, seed: int = 1) -> list[Applicant]:
    """`count` applicants in the order they applied (see the module's docstring for the model)."""
    rng = random.Random(seed)
    times = candidate_times()
    large = [f"Charity {n}" for n in range(1, 61)]
    large_weights = [1 / rank**0.5 for rank in range(1, len(large) + 1)]
    small = [f"Small charity {n}" for n in range(1, max(count * 4 // 5, 2) + 1)]
    applicants = []
    for n in range(count):
        days_off = set(rng.sample(range(5), rng.choice((1, 2)))) if rng.random() < 0.3 else set()
        leaning = rng.choices(("morning", "afternoon", "either"), weights=(0.4, 0.3, 0.3))[0]
        availability = {}
        for t in times:
            day, hour = t.key
            if day in days_off or rng.random() < 0.2:
                availability[t.key] = NO
                continue
            morning = hour < 12
            preference = 1.0 if leaning == "either" or (leaning == "morning") == morning else 0.35
            if rng.random() < 0.75 * DAY_POPULARITY[day] * HOUR_POPULARITY[hour] * preference:
                availability[t.key] = YES
            elif rng.random() < 0.35:
                availability[t.key] = IF_NEED_BE
            else:
                availability[t.key] = NO
        applicants.append(
            Applicant(
                id=n,
                availability=availability,
                score=min(10, max(0, round(rng.gauss(6, 2)))),
                organisation=(
                    rng.choices(large, weights=large_weights)[0] if rng.random() < 0.4 else rng.choice(small)
                ),
                role=FRONT_LINE if rng.random() < 0.6 else DESIGNING,
                region=f"Region {rng.randrange(12)}",
            )
        )
    return applicants


def consecutive_groups(
    order: Sequence[Applicant], times: Sequence[Time], groups: int
) -> list[tuple[Time, list[Applicant]]]:
    """Today's way of forming groups: the first 20 of `order` are group 1, the next 20 group 2...; each group's time
    is the best-time finder's first choice among the times not yet taken."""
    candidates = [slot_finder.Candidate(t.key, t.key[0], datetime.time(t.key[1])) for t in times]
    by_key = {t.key: t for t in times}
    formed: list[tuple[Time, list[Applicant]]] = []
    taken: set = set()
    for g in range(groups):
        members = list(order[g * GROUP_SIZE : (g + 1) * GROUP_SIZE])
        if not members:
            break
        ranked = slot_finder.rank_times(candidates, {a.id: a.availability for a in members})
        best = next(r.candidate.key for r in ranked if r.candidate.key not in taken)
        taken.add(best)
        formed.append((by_key[best], members))
    return formed


@dataclass(frozen=True)
class Outcome:
    name: str
    at_yes: int  # placed at a time they said yes to
    can_make: int  # placed at a time they said yes or if need be to
    cannot_make: int  # offered a place at a time they said no to
    mean_score: float  # of everyone placed


def outcome(name: str, formed: Sequence[tuple[Time, Sequence[Applicant]]]) -> Outcome:
    answers = [a.answer(t.key) for t, members in formed for a in members]
    scores = [a.score or 0 for _, members in formed for a in members]
    return Outcome(
        name,
        at_yes=answers.count(YES),
        can_make=answers.count(YES) + answers.count(IF_NEED_BE),
        cannot_make=answers.count(NO),
        mean_score=sum(scores) / len(scores) if scores else 0.0,
    )


def composed(name: str, proposal: Proposal, applicants: Sequence[Applicant]) -> Outcome:
    by_id = {a.id: a for a in applicants}
    return outcome(name, [(g.time, [by_id[m] for m in g.members]) for g in proposal.groups])


@dataclass(frozen=True)
class Run:
    outcomes: list[Outcome]
    proposals: dict[str, Proposal]


def run(applicants: int = 500, groups: int = 5, seconds: float = 5.0, seed: int = 1) -> Run:
    people = realistic(applicants, seed)
    times = candidate_times()
    by_score = sorted(people, key=lambda a: -(a.score or 0))  # stable: earlier applicants first among equals
    outcomes = [
        outcome(
            "today's flow (top 20 by score, then the best time)", consecutive_groups(by_score, times, groups)
        ),
        outcome("first-come fill, then the best time", consecutive_groups(people, times, groups)),
    ]
    proposals = {
        "composer, one per organisation, 8 front-line": compose(
            people,
            times,
            Rules(
                groups=groups,
                group_size=GROUP_SIZE,
                role_minimums={FRONT_LINE: FRONT_LINE_MINIMUM},
                time_limit=seconds,
            ),
        ),
        "composer, no rules": compose(
            people,
            times,
            Rules(groups=groups, group_size=GROUP_SIZE, max_per_organisation=GROUP_SIZE, time_limit=seconds),
        ),
    }
    outcomes += [composed(name, proposal, people) for name, proposal in proposals.items()]
    return Run(outcomes, proposals)


def report(result: Run) -> str:
    baseline = result.outcomes[0].at_yes
    lines = [f"{'':52} {'at yes':>7} {'can make':>9} {'cannot':>7} {'score':>6} {'at yes vs today':>16}"]
    for o in result.outcomes:
        change = f"{(o.at_yes - baseline) / baseline:+.0%}" if baseline else "n/a"
        lines.append(
            f"{o.name:52} {o.at_yes:>7} {o.can_make:>9} {o.cannot_make:>7} {o.mean_score:>6.2f} {change:>16}"
        )
    for name, p in result.proposals.items():
        lines.append(
            f"{name}: {p.status}, objective {p.objective}, bound {p.bound:.0f}, gap {p.gap:.2%}, "
            f"{p.seconds:.2f}s, {len(p.groups)} groups at {len({g.time.key for g in p.groups})} times, "
            f"waitlist {len(p.waitlist)}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=500)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    result = run(args.applicants, args.groups, args.seconds, args.seed)
    print(report(result))
    print(f"whole run {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
