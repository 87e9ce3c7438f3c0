"""Permission predicates for the applications app: plain functions of the user (and object), tested directly."""

from cohort_site.core.rules import is_active_staff


def can_manage_selection(user) -> bool:
    """Who may see selection pages, offer places, move the waitlist and send decision emails: the managers."""
    return is_active_staff(user)
