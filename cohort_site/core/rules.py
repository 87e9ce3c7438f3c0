"""Permission predicates shared across apps. Each app has its own rules.py for its objects, built on these."""


def is_active_staff(user) -> bool:
    """The programme's managers: signed in, staff and not deactivated. Every staff-only page and action asks this
    (through `StaffRequiredMixin` or an app's rule that starts from it)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
