"""Permission predicates for the learning pages. Plain functions of (user, object); a refusal is a 404.

Who may *read* an entry is not here: that is `selectors.entries_visible_to`, the one place it is decided.
"""

import datetime

from applications.selectors import is_member, memberships_of
from cohort_site.core.rules import is_active_staff
from sessions_app.enums import SessionStatus
from sessions_app.models import Session

from .enums import Visibility
from .models import Entry, Survey
from .selectors import attended, member_for_session, survey_opened_at


def is_author(user, entry: Entry) -> bool:
    """Uses the entry's prefetched authorships when it has them."""
    if not user.is_authenticated:
        return False
    return any(authorship.user_id == user.pk for authorship in entry.authorships.all())


def can_write_entries(user) -> bool:
    return is_active_staff(user) or is_member(user)


def can_edit_entry(user, entry: Entry) -> bool:
    return is_author(user, entry)


def can_publish_entry(user, entry: Entry) -> bool:
    return is_author(user, entry) and entry.visibility == Visibility.DRAFT


def can_propose_sharing(user, entry: Entry) -> bool:
    return (is_author(user, entry) or is_active_staff(user)) and entry.visibility != Visibility.DRAFT


def can_consent(user, entry: Entry) -> bool:
    return is_author(user, entry) and entry.visibility != Visibility.DRAFT


def can_approve_sharing(user, entry: Entry) -> bool:
    return is_active_staff(user) and entry.visibility != Visibility.DRAFT


def can_see_sharing_history(user, entry: Entry) -> bool:
    return is_author(user, entry) or is_active_staff(user)


def can_give_session_feedback(user, session: Session, *, now: datetime.datetime) -> bool:
    """A member who attended a session that has ended."""
    if not user.is_authenticated or session.status != SessionStatus.SCHEDULED or session.ends_at > now:
        return False
    member = member_for_session(user, session)
    return member is not None and attended(member, session)


def can_answer_survey(user, survey: Survey, *, now: datetime.datetime) -> bool:
    """A member of a cohort of the survey's programme, once it has opened for their cohort."""
    if not user.is_authenticated:
        return False
    member = memberships_of(user).filter(programme_id=survey.programme_id).first()
    if member is None:
        return False
    opened = survey_opened_at(survey, member)
    return opened is not None and opened <= now


def can_see_results(user) -> bool:
    """Individual answers are the manager's alone."""
    return is_active_staff(user)


def can_manage_reading_list(user) -> bool:
    return is_active_staff(user)


def can_propose_network_event(user) -> bool:
    """Members propose sharing events (staff publish them); staff publish their own directly."""
    return is_member(user) and not is_active_staff(user)
