"""A member leaving their group reaches past recruitment (their sessions, their coffee pairs), so the app that
can see all of that (cohort_site.members) registers the one function that carries it out, `member_leave`, and
recruitment's own door out (the private link) goes through it instead of only changing the status.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from .models import Application

MemberLeave = Callable[..., Application]

_handlers: list[MemberLeave] = []


def member_leave_handler(function: MemberLeave) -> MemberLeave:
    """Register the function that makes a member leave their group (keyword arguments: application, by,
    reason, now, tell_member)."""
    _handlers[:] = [function]
    return function


def member_leaves(
    *,
    application: Application,
    by=None,
    reason: str = "",
    now: datetime.datetime | None = None,
    tell_member: bool = True,
) -> Application:
    """Make a confirmed member leave their group through the registered function."""
    if not _handlers:
        raise ImproperlyConfigured(
            "No member_leave_handler is registered (cohort_site.members registers it)."
        )
    return _handlers[0](application=application, by=by, reason=reason, now=now, tell_member=tell_member)
