"""Permission predicates for the applications app: plain functions of the user (and object), tested directly."""


def is_manager(user) -> bool:
    """Programme managers are active staff; they run recruitment and selection."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_manage_selection(user) -> bool:
    """Who may see selection pages, offer places, move the waitlist and send decision emails."""
    return is_manager(user)
