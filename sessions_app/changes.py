"""Other apps hear when a group's sessions move, without the schedule importing them.

The coffee rounds, say, open when one session ends and close when the next starts, so they must follow:

    from sessions_app.changes import schedule_listener

    @schedule_listener("coffee-rounds")
    def follow_sessions(cohort): ...

in a module named `schedule_listeners.py`, which this app loads at start-up (see apps.py). Listeners run inside
the writing transaction, after the sessions are saved, so they see the new times and fail with them.
"""

from __future__ import annotations

from collections.abc import Callable

from applications.models import Cohort

ScheduleListener = Callable[[Cohort], None]
_LISTENERS: dict[str, ScheduleListener] = {}


def schedule_listener(name: str) -> Callable[[ScheduleListener], ScheduleListener]:
    """Register a function cohort → None, called whenever some of the cohort's sessions move."""

    def register(function: ScheduleListener) -> ScheduleListener:
        _LISTENERS[name] = function
        return function

    return register


def schedule_listeners() -> dict[str, ScheduleListener]:
    return dict(_LISTENERS)


def sessions_moved(cohort: Cohort) -> None:
    """Tell every listener that sessions of `cohort` have moved."""
    for _, listener in sorted(_LISTENERS.items()):
        listener(cohort)
