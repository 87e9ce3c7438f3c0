"""The group's web of relationships, counted: how many of the possible pairs are connected, who has no connection,
and how many ties cross organisations. No Django here: people are ids, ties are pairs of ids."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Tie = frozenset[int]


def ties(pairs: Iterable[tuple[int, int]], people: Iterable[int]) -> set[Tie]:
    """Undirected ties between two different people of `people` (a tick either way is a tie)."""
    present = set(people)
    return {frozenset(pair) for pair in pairs if pair[0] != pair[1] and set(pair) <= present}


@dataclass(frozen=True)
class WebFigures:
    people: int
    possible: int  # pairs of people
    connected: int  # pairs with a tie
    unconnected_people: int  # people with no tie at all
    across_organisations: int  # ties between people of different organisations

    @property
    def share(self) -> str:
        return f"{round(100 * self.connected / self.possible)}%" if self.possible else "–"


def web_figures(organisations: Mapping[int, str], web: set[Tie]) -> WebFigures:
    """`organisations`: each person's organisation, by id (everyone in the group); `web`: their ties."""
    people = len(organisations)
    tied = {person for tie in web for person in tie}
    across = sum(
        1 for tie in web if len({" ".join(organisations[person].lower().split()) for person in tie}) == 2
    )
    return WebFigures(
        people=people,
        possible=people * (people - 1) // 2,
        connected=len(web),
        unconnected_people=len(set(organisations) - tied),
        across_organisations=across,
    )
