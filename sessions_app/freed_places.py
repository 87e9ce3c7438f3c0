"""When a group's n-th session starts, for recruitment's "is a freed place still offered?" (applications/freed_places.py)."""

from __future__ import annotations

import datetime

from applications.freed_places import session_start_lookup
from applications.models import Cohort

from .enums import SessionStatus
from .models import Session


@session_start_lookup
def nth_session_start(cohort: Cohort, number: int) -> datetime.datetime | None:
    """The start of the group's `number`-th session still on, counting in time order (a cancelled session
    does not count); None while the group has fewer sessions."""
    starts = list(
        Session.objects.filter(cohort=cohort, status=SessionStatus.SCHEDULED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)[number - 1 : number]
    )
    return starts[0] if starts else None
