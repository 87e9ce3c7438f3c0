"""Reminders derived from the database.

Each app registers its reminder kinds in its own `reminders.py`:

    @reminder("session-reminder")
    def session_reminders(now):
        for session, member in <query: sessions starting within 24 h>:
            email_queue(key=f"session-reminder:{session.pk}:{member.pk}", ...)

The beat runs `reminders_dispatch` every few minutes. Each kind works out what is due *now* from the
database; the unique key of every email makes a second run (or two at once) send nothing twice, and a
missed run is caught up by the next one.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

logger = logging.getLogger(__name__)

ReminderKind = Callable[[datetime], None]
_REMINDER_KINDS: dict[str, ReminderKind] = {}


def reminder(name: str) -> Callable[[ReminderKind], ReminderKind]:
    def register(function: ReminderKind) -> ReminderKind:
        _REMINDER_KINDS[name] = function
        return function

    return register


def reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_REMINDER_KINDS)


def reminders_dispatch(*, now: datetime | None = None) -> list[str]:
    """Run every registered reminder kind; one failing kind does not stop the others. Returns those that failed."""
    now = now or timezone.now()
    failed = []
    for name, function in sorted(_REMINDER_KINDS.items()):
        try:
            function(now)
        except Exception:
            logger.exception("Reminder kind %s failed", name)
            failed.append(name)
    return failed
