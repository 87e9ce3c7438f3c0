"""The weekly time a group meets, once confirmed: a registry the schedule (sessions_app, a higher layer) plugs into.

Before the schedule confirms it, a group composed with its time (`Cohort.offered_time`, set when a proposal is
turned into offers) meets at the time its places were offered at: that is what the offers promised.

Selection needs it to promote from the waitlist only people who said they can come at that time; the schedule
owns it (CohortSchedule). sessions_app registers its source in `group_times.py`:

    @confirmed_time_source
    def from_the_schedule(cohort) -> ConfirmedTime | None: ...
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .enums import Weekday
from .models import CandidateTime, Cohort


@dataclass(frozen=True)
class ConfirmedTime:
    weekday: int
    start_time: datetime.time
    candidate_time_id: int | None = None
    # The candidate time itself, when the source has it to hand (saves a query).
    candidate: CandidateTime | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """ "Tuesdays at 14:00"."""
        return f"{Weekday(self.weekday).label}s at {self.start_time:%H:%M}"

    def candidate_time(self, cohort: Cohort) -> CandidateTime | None:
        """The candidate time applicants answered for this weekly time (None: nobody was asked about it)."""
        if self.candidate is not None and self.candidate.programme_id == cohort.programme_id:
            return self.candidate
        times = CandidateTime.objects.filter(programme_id=cohort.programme_id)
        if self.candidate_time_id is not None:
            match = times.filter(pk=self.candidate_time_id).first()
            if match is not None:
                return match
        return times.filter(weekday=self.weekday, start_time=self.start_time).first()


ConfirmedTimeSource = Callable[[Cohort], ConfirmedTime | None]
_SOURCES: list[ConfirmedTimeSource] = []


def confirmed_time_source(function: ConfirmedTimeSource) -> ConfirmedTimeSource:
    if function not in _SOURCES:
        _SOURCES.append(function)
    return function


def cohort_confirmed_time(cohort: Cohort) -> ConfirmedTime | None:
    """The group's weekly time: the schedule's once confirmed, else the time its places were offered at (a group
    composed with its time, `Cohort.offered_time`), or None while it has neither."""
    for source in _SOURCES:
        found = source(cohort)
        if found is not None:
            return found
    return offered_time(cohort)


def offered_time(cohort: Cohort) -> ConfirmedTime | None:
    """The weekly time the group's places were offered at, when it was composed with its time."""
    if cohort.offered_time_id is None:
        return None
    candidate = cohort.offered_time
    assert candidate is not None
    return ConfirmedTime(
        weekday=candidate.weekday,
        start_time=candidate.start_time,
        candidate_time_id=candidate.pk,
        candidate=candidate,
    )
