"""The best-time finder: which candidate weekly time suits most of a cohort's members.

Pure Python, no Django: it is given plain values and returns plain values, so it can be tested on hand-made
cases and benchmarked alone (bench/slot_finder.py).

Ranking, best first:
1. how many members can come at all (“yes” plus “if need be”): the time that leaves out fewest people;
2. then how many said “yes” (among times everyone-who-can-come ties on, the keener group wins);
3. then a time whose weeks miss every bank holiday before one that hits one;
4. then the order the candidates were given in (weekday, then start time, as the manager offered them).

Times equal on (1) and (2) share a rank, so the manager sees a tie as a tie. A missing answer counts as “no”
(the member is left out), and is told apart in `unanswered` so a page can show who has not said.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import holidays

# A candidate time's key and a member may be anything hashable (ids, model instances): the finder only compares them.
Hashable = Any

YES = "yes"
IF_NEED_BE = "if_need_be"
NO = "no"

# England and Wales: the Summer bank holiday is the last Monday of August (Scotland's is the first).
DEFAULT_HOLIDAY_COUNTRY = "GB"
DEFAULT_HOLIDAY_SUBDIVISION = "ENG"


@dataclass(frozen=True)
class Candidate:
    """A weekly time on offer: `key` identifies it to the caller; weekday 0 is Monday; start is local."""

    key: Hashable
    weekday: int
    start: datetime.time


@dataclass(frozen=True)
class BankHoliday:
    date: datetime.date
    name: str


@dataclass(frozen=True)
class RankedTime:
    candidate: Candidate
    rank: int
    yes: tuple[Hashable, ...]
    if_need_be: tuple[Hashable, ...]
    left_out: tuple[Hashable, ...]
    dates: tuple[datetime.date, ...] = ()
    bank_holidays: tuple[BankHoliday, ...] = field(default=())
    unanswered: tuple[Hashable, ...] = ()  # those of `left_out` who gave no answer for this time

    @property
    def can_come(self) -> int:
        return len(self.yes) + len(self.if_need_be)

    @property
    def said_no(self) -> int:
        return len(self.left_out) - len(self.unanswered)


def weekly_dates(first_week: datetime.date, weekday: int, weeks: int) -> tuple[datetime.date, ...]:
    """The date of each of `weeks` weekly meetings on `weekday`, from the week whose Monday is `first_week`."""
    monday = first_week - datetime.timedelta(days=first_week.weekday())
    first = monday + datetime.timedelta(days=weekday)
    return tuple(first + datetime.timedelta(weeks=n) for n in range(weeks))


def weekly_starts(
    first_week: datetime.date, weekday: int, start: datetime.time, weeks: int, tz: datetime.tzinfo
) -> tuple[datetime.datetime, ...]:
    """Aware start instants of weekly meetings at the same *local* time, so a clock change moves UTC, not the
    wall clock. Each occurrence is built in local time, never by adding weeks to an aware instant."""
    return tuple(
        datetime.datetime.combine(day, start, tzinfo=tz) for day in weekly_dates(first_week, weekday, weeks)
    )


def starts_on(
    dates: Iterable[datetime.date], start: datetime.time, tz: datetime.tzinfo
) -> tuple[datetime.datetime, ...]:
    """Aware start instants at the same local time on each of `dates` (see `weekly_starts`)."""
    return tuple(datetime.datetime.combine(day, start, tzinfo=tz) for day in dates)


@dataclass(frozen=True)
class SeriesDate:
    """One week of a planned series: its date, the bank holiday on it if any, and whether the week is skipped."""

    date: datetime.date
    bank_holiday: BankHoliday | None = None
    skipped: bool = False


def series_dates(
    first: datetime.date,
    weekday: int,
    count: int,
    *,
    keep: Collection[datetime.date] = (),
    country: str = DEFAULT_HOLIDAY_COUNTRY,
    subdivision: str | None = DEFAULT_HOLIDAY_SUBDIVISION,
) -> tuple[SeriesDate, ...]:
    """`count` weekly meetings on `weekday`, from the first such day on or after `first`. A week whose day is
    a bank holiday is skipped (listed, with `skipped`) and the series moves on a week, unless its date is in
    `keep`: then it is held and only flagged. The meetings are the entries that are not skipped."""
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    # Enough years for every week the series could take, each skipped week adding one.
    last_year = (day + datetime.timedelta(weeks=2 * count + 1)).year
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=range(day.year, last_year + 1))
    planned: list[SeriesDate] = []
    held = 0
    while held < count:
        name = calendar.get(day)
        holiday = BankHoliday(day, name) if name else None
        skipped = holiday is not None and day not in keep
        planned.append(SeriesDate(day, holiday, skipped))
        held += not skipped
        day += datetime.timedelta(weeks=1)
    return tuple(planned)


def bank_holidays_on(
    dates: Iterable[datetime.date],
    *,
    country: str = DEFAULT_HOLIDAY_COUNTRY,
    subdivision: str | None = DEFAULT_HOLIDAY_SUBDIVISION,
) -> tuple[BankHoliday, ...]:
    """The public holidays that fall on any of `dates`, in date order."""
    dates = sorted(set(dates))
    if not dates:
        return ()
    calendar = holidays.country_holidays(
        country, subdiv=subdivision, years=range(dates[0].year, dates[-1].year + 1)
    )
    return tuple(BankHoliday(day, calendar[day]) for day in dates if day in calendar)


def rank_times(
    candidates: Sequence[Candidate],
    answers: Mapping[Hashable, Mapping[Hashable, str]],
    *,
    first_week: datetime.date | None = None,
    weeks: int = 6,
    holiday_country: str = DEFAULT_HOLIDAY_COUNTRY,
    holiday_subdivision: str | None = DEFAULT_HOLIDAY_SUBDIVISION,
) -> list[RankedTime]:
    """Rank `candidates` for the members in `answers` ({member: {candidate key: "yes" | "if_need_be" | "no"}}).

    Members keep the order `answers` gives them in every list returned. With `first_week` (the Monday of the
    first session's week), each time also carries its `weeks` dates and the bank holidays among them.
    """
    keys = [candidate.key for candidate in candidates]
    yes, maybe, left, silent = _answers_by_time(keys, answers)
    dates, clashes = _dates_and_bank_holidays(
        candidates, first_week, weeks, country=holiday_country, subdivision=holiday_subdivision
    )

    def order(position: int):
        key = keys[position]
        can_come = len(yes[key]) + len(maybe[key])
        return (-can_come, -len(yes[key]), bool(clashes.get(key)), position)

    ranked: list[RankedTime] = []
    previous_score = None
    rank = 0
    for index, position in enumerate(sorted(range(len(candidates)), key=order), start=1):
        candidate = candidates[position]
        key = candidate.key
        score = (len(yes[key]) + len(maybe[key]), len(yes[key]))
        if score != previous_score:
            rank = index
            previous_score = score
        ranked.append(
            RankedTime(
                candidate=candidate,
                rank=rank,
                yes=tuple(yes[key]),
                if_need_be=tuple(maybe[key]),
                left_out=tuple(left[key]),
                dates=dates.get(key, ()),
                bank_holidays=clashes.get(key, ()),
                unanswered=tuple(silent[key]),
            )
        )
    return ranked


def _answers_by_time(keys: list[Hashable], answers: Mapping[Hashable, Mapping[Hashable, str]]):
    """For each time: who said yes, who said if need be, who is left out (no, or no answer) and who gave none."""
    yes: dict[Hashable, list] = {key: [] for key in keys}
    maybe: dict[Hashable, list] = {key: [] for key in keys}
    left: dict[Hashable, list] = {key: [] for key in keys}
    silent: dict[Hashable, list] = {key: [] for key in keys}
    for member, member_answers in answers.items():
        get = member_answers.get
        for key in keys:
            answer = get(key)
            if answer == YES:
                yes[key].append(member)
            elif answer == IF_NEED_BE:
                maybe[key].append(member)
            else:
                left[key].append(member)
                if answer is None:
                    silent[key].append(member)
    return yes, maybe, left, silent


def _dates_and_bank_holidays(
    candidates: Sequence[Candidate],
    first_week: datetime.date | None,
    weeks: int,
    *,
    country: str,
    subdivision: str | None,
) -> tuple[dict[Hashable, tuple[datetime.date, ...]], dict[Hashable, tuple[BankHoliday, ...]]]:
    """Each time's session dates from `first_week`, and the bank holidays among them (nothing without a week)."""
    if first_week is None:
        return {}, {}
    dates = {candidate.key: weekly_dates(first_week, candidate.weekday, weeks) for candidate in candidates}
    everyday = [day for days in dates.values() for day in days]
    found = {
        bank_holiday.date: bank_holiday
        for bank_holiday in bank_holidays_on(everyday, country=country, subdivision=subdivision)
    }
    return dates, {key: tuple(found[day] for day in days if day in found) for key, days in dates.items()}
