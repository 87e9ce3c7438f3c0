"""Reminders derived from the database.

Each app registers its reminder kinds in its own `reminders.py`. A kind works out what is due *now* and
yields the messages (`NewEmail`) it wants sent; the dispatcher stores them in batches:

    @reminder("session-reminder")
    def session_reminders(now):
        for session, member in <query: sessions starting within 24 h>:
            yield NewEmail(key=f"session-reminder:{session.pk}:{member.pk}", ...)

A kind that does other work (an offer that expires changes a status) does it and yields nothing.

The beat runs `reminders_dispatch` every minute. The unique key of every email makes a second run send
nothing twice, and a missed run is caught up by the next one; on PostgreSQL a run holds an advisory lock, so
a run that overlaps a slow one skips instead of doing the same work beside it.
"""

import contextlib
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db import connection
from django.utils import timezone

from .services import NewEmail, emails_queue_many

logger = logging.getLogger(__name__)

ReminderKind = Callable[[datetime], Iterable[NewEmail] | None]
_REMINDER_KINDS: dict[str, ReminderKind] = {}
DISPATCH_LOCK = "cohort_site.mail.dispatch"


def reminder(name: str) -> Callable[[ReminderKind], ReminderKind]:
    def register(function: ReminderKind) -> ReminderKind:
        _REMINDER_KINDS[name] = function
        return function

    return register


def reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_REMINDER_KINDS)


@contextlib.contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    """Hold PostgreSQL's session advisory lock named `name` if no one else does; yields whether it is held.
    Elsewhere (SQLite) there is one process, and it always is."""
    if connection.vendor != "postgresql":
        yield True
        return
    number = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [number])


def reminders_dispatch(*, now: datetime | None = None) -> list[str] | None:
    """Run every registered reminder kind and store what each yields; one failing kind does not stop the others.
    Returns the kinds that failed, or None when another run holds the lock (nothing was done)."""
    now = now or timezone.now()
    with advisory_lock(DISPATCH_LOCK) as held:
        if not held:
            logger.info("Another reminder dispatch is running; this one skips.")
            return None
        failed = []
        for name, function in sorted(_REMINDER_KINDS.items()):
            try:
                emails = function(now)
                if emails is not None:
                    emails_queue_many(emails)
            except Exception:
                logger.exception("Reminder kind %s failed", name)
                failed.append(name)
        return failed
