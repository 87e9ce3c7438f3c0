"""The best-time heatmap: days across, start times down, each cell how many of a set of people can come then.

Built from the best-time finder's ranking (`selectors.cohort_best_times` for a group's members, `best_times` for
any people's answers, such as a proposed group's), and shown by `templates/sessions_app/includes/heatmap.html`:
on a group's schedule page and beside each group the composer proposes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .enums import Weekday
from .models import CandidateTime
from .slot_finder import RankedTime


@dataclass
class HeatCell:
    ranked: RankedTime | None = None
    candidate: CandidateTime | None = None
    level: int = 0
    top: bool = False  # the best-time finder's first choice
    chosen: bool = False  # the time proposed for the group


def heatmap(
    ranking: Sequence[RankedTime],
    candidates_by_pk: Mapping[Hashable, CandidateTime],
    member_count: int,
    *,
    chosen: Hashable | None = None,
) -> dict[str, Any]:
    """Days × times: columns are the weekdays offered, rows the start times offered; each cell the share
    of members who can come, as a level 0–5 for the CSS class (the number is shown too). `chosen`, a candidate
    time's pk, flags the time proposed for the group."""
    weekdays = sorted({c.weekday for c in candidates_by_pk.values()})
    times = sorted({c.start_time for c in candidates_by_pk.values()})
    cells = {}
    for index, ranked in enumerate(ranking):
        candidate = candidates_by_pk[ranked.candidate.key]
        level = round(5 * ranked.can_come / member_count) if member_count else 0
        cells[(candidate.weekday, candidate.start_time)] = HeatCell(
            ranked, candidate, level, top=index == 0, chosen=candidate.pk == chosen
        )
    rows = [(time, [cells.get((day, time), HeatCell()) for day in weekdays]) for time in times]
    return {"days": [Weekday(day).label for day in weekdays], "rows": rows}
