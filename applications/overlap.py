"""How the stated availability of a group's people overlaps, one row per candidate weekly time.

Pure: no Django. Given the candidate times and each person's answers, count yes / if need be / no / no answer,
and order the times by how many people could come (yes first, then if need be).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

YES = "yes"
IF_NEED_BE = "if_need_be"
NO = "no"


@dataclass(frozen=True)
class TimeOverlap:
    time_id: int
    label: str
    yes: int
    if_need_be: int
    no: int
    unanswered: int

    @property
    def could_come(self) -> int:
        return self.yes + self.if_need_be


def availability_overlap(
    times: Iterable[tuple[int, str]], answers: Iterable[Mapping[int, str]]
) -> list[TimeOverlap]:
    """`times`: (id, label) in display order. `answers`: one mapping per person, time id → answer."""
    people = list(answers)
    rows = []
    for time_id, label in times:
        said = [person.get(time_id) for person in people]
        rows.append(
            TimeOverlap(
                time_id=time_id,
                label=label,
                yes=said.count(YES),
                if_need_be=said.count(IF_NEED_BE),
                no=said.count(NO),
                unanswered=said.count(None),
            )
        )
    order = {row.time_id: n for n, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (-r.yes, -r.could_come, order[r.time_id]))
