"""Whether a place that comes free is offered to the waitlist: only before the group's cut-off session starts
(the programme's `freed_places_until_session`, session 2 unless set otherwise).

Sessions belong to the schedule app, a layer above this one, so it plugs in here: `session_start_lookup` takes
the function that says when a group's n-th session starts (None while it has no such session).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from .models import Cohort

SessionStart = Callable[[Cohort, int], "datetime.datetime | None"]

_lookups: list[SessionStart] = []


def session_start_lookup(function: SessionStart) -> SessionStart:
    """Register the one function answering "when does this group's n-th session start?"."""
    _lookups[:] = [function]
    return function


def freed_place_cutoff(cohort: Cohort) -> datetime.datetime | None:
    """When the group's cut-off session starts; None while the group has no such session yet."""
    if not _lookups:
        return None
    return _lookups[0](cohort, cohort.programme.freed_places_until_session)


def freed_place_offered(*, cohort: Cohort, now: datetime.datetime) -> bool:
    """A place freed now goes to the waitlist (True), or stays empty because the cut-off session has started."""
    cutoff = freed_place_cutoff(cohort)
    return cutoff is None or now < cutoff


def last_session_started(*, cohort: Cohort, now: datetime.datetime) -> bool:
    """Whether the group's last planned session (the programme's `session_count`-th) has started: its
    membership is then history, kept (anonymously, if need be) so the group's counts stay true."""
    if not _lookups:
        return False
    start = _lookups[0](cohort, cohort.programme.session_count)
    return start is not None and start <= now
