"""Permission predicates shared across apps. Each app has its own rules.py for its objects, built on these."""

from collections.abc import Callable

# What makes a staff account a limited one, registered by the app that owns the limit (applications: a programme's
# reviewer), so this layer need not import it. A limited staff account may use the admin for what its limit allows
# and is not one of the programme's managers.
STAFF_LIMITS: list[Callable[[object], bool]] = []


def is_limited_staff(user) -> bool:
    """A staff account that is not a superuser and that a registered limit applies to (a reviewer)."""
    if not (user and user.is_authenticated and user.is_staff) or user.is_superuser:
        return False
    return any(limit(user) for limit in STAFF_LIMITS)


def is_active_staff(user) -> bool:
    """The programme's managers: signed in, staff, not deactivated and not limited (a reviewer is not a manager).
    Every staff-only page and action asks this (through `StaffRequiredMixin` or an app's rule that starts from
    it)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff) and not is_limited_staff(
        user
    )
