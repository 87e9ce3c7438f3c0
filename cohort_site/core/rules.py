"""Permission predicates shared across apps. Each app has its own rules.py for its objects."""


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
