"""Permission predicates for the applications app: plain functions of the user (and object), tested directly."""

from cohort_site.core.rules import is_active_staff


def reviewed_programme_ids(user) -> frozenset[int]:
    """The programmes a staff account was given to review (read once per request and kept on the user)."""
    if not (user and user.is_authenticated and user.is_staff) or user.is_superuser:
        return frozenset()
    if not hasattr(user, "_reviewed_programme_ids"):
        user._reviewed_programme_ids = frozenset(
            user.programme_reviews.values_list("programme_id", flat=True)
        )
    return user._reviewed_programme_ids


def is_reviewer(user) -> bool:
    """A staff account given at least one programme to review, and nothing more: not a manager."""
    return bool(reviewed_programme_ids(user))


def can_decide(user) -> bool:
    """Who may change an application's status, send or edit decision emails, offer places, move the waitlist and
    open the selection, proposal and outbox pages: the managers (active staff who are not reviewers)."""
    return is_active_staff(user)


def can_review_programme(user, programme_id: int | None) -> bool:
    """Who may read a programme's applications and write their notes and score: the managers, for every
    programme, and a reviewer for the programme they were given."""
    if can_decide(user):
        return True
    return bool(
        user and user.is_active and programme_id is not None and programme_id in reviewed_programme_ids(user)
    )


def can_manage_selection(user) -> bool:
    """Who may see selection pages, offer places, move the waitlist and send decision emails: the managers."""
    return can_decide(user)
