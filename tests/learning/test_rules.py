from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from learning import rules
from learning.enums import Visibility
from sessions_app.enums import AttendanceStatus
from tests.factories import AttendanceFactory, EntryFactory, SessionFactory


@pytest.fixture
def entry(cohort, people):
    return EntryFactory(cohort=cohort, visibility=Visibility.GROUP, authors=[people["author"]])


def who(people, predicate, *args):
    return sorted(role for role, user in people.items() if predicate(user or AnonymousUser(), *args))


def test_editing_and_consent_are_the_authors(people, entry):
    assert who(people, rules.can_edit_entry, entry) == ["author"]
    assert who(people, rules.can_consent, entry) == ["author"]


def test_proposing_is_for_authors_and_manager_approving_for_the_manager(people, entry):
    assert who(people, rules.can_propose_sharing, entry) == ["author", "manager"]
    assert who(people, rules.can_approve_sharing, entry) == ["manager"]


def test_a_draft_can_only_be_published(people, entry):
    entry.visibility = Visibility.DRAFT

    assert who(people, rules.can_publish_entry, entry) == ["author"]
    assert who(people, rules.can_approve_sharing, entry) == []
    assert who(people, rules.can_consent, entry) == []


def test_writing_is_for_members_and_the_manager(people):
    assert who(people, rules.can_write_entries) == [
        "author",
        "manager",
        "other_cohort",
        "other_programme",
        "same_cohort",
    ]


def test_session_feedback_is_for_attendees_after_the_end(people, cohort):
    session = SessionFactory(cohort=cohort, number=1)
    author_place = people["author"].applications.get()
    AttendanceFactory(session=session, member=author_place, status=AttendanceStatus.ATTENDED)
    AttendanceFactory(
        session=session, member=people["same_cohort"].applications.get(), status=AttendanceStatus.ABSENT
    )

    after = session.ends_at + timedelta(minutes=1)
    before = session.ends_at - timedelta(minutes=1)
    assert who(people, lambda u: rules.can_give_session_feedback(u, session, now=after)) == ["author"]
    assert who(people, lambda u: rules.can_give_session_feedback(u, session, now=before)) == []


def test_results_are_the_managers(people):
    assert who(people, rules.can_see_results) == ["manager"]
