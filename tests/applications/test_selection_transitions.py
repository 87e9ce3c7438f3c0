"""The transition table of `application_set_status`, move by move: each allowed move happens and is audited,
each other move is refused with a reason and changes nothing."""

import pytest

from applications.enums import ApplicationStatus, Notify
from applications.models import ApplicationStatusChange
from applications.services import ALLOWED_TRANSITIONS, TransitionRefused, application_set_status
from tests.factories import CohortFactory, StaffFactory, application_in

S = ApplicationStatus
ALL_MOVES = [(current, target) for current in S.values for target in S.values]
EXPECTED_TABLE = {
    "submitted": {"offered", "waitlisted", "declined", "withdrawn"},
    "waitlisted": {"offered", "declined", "withdrawn"},
    "offered": {"confirmed", "declined", "withdrawn", "offer_expired"},
    "confirmed": {"withdrawn"},
    "offer_expired": {"offered", "waitlisted", "declined"},
    "declined": {"waitlisted", "offered"},
    "withdrawn": set(),
}


def test_table_is_the_documented_one():
    assert {k: set(v) for k, v in ALLOWED_TRANSITIONS.items()} == EXPECTED_TABLE


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_move(db, current, target):
    cohort = CohortFactory()
    application = application_in(current, cohort=cohort, programme=cohort.programme)
    manager = StaffFactory()
    before = ApplicationStatusChange.objects.count()

    if target in EXPECTED_TABLE[current]:
        application_set_status(
            application=application, status=target, by=manager, cohort=cohort, note="why", notify=Notify.NONE
        )
        application.refresh_from_db()
        change = ApplicationStatusChange.objects.get(application=application)
        assert (application.status, change.from_status, change.to_status, change.changed_by, change.note) == (
            target,
            current,
            target,
            manager,
            "why",
        )
        assert application.cohort == (cohort if target in ("offered", "confirmed") else None)
        assert (application.waitlist_position is not None) == (target == "waitlisted")
        assert (application.offer_expires_at is not None) == (
            target in ("offered", "offer_expired", "confirmed")
        )
    else:
        with pytest.raises(TransitionRefused) as refused:
            application_set_status(application=application, status=target, by=manager, cohort=cohort)
        expected = (
            f"The application is already {S(current).label.lower()}."
            if current == target
            else f"An application that is {S(current).label.lower()} cannot become {S(target).label.lower()}."
        )
        assert refused.value.reason == expected
        application.refresh_from_db()
        assert application.status == current
        assert ApplicationStatusChange.objects.count() == before


def test_offer_without_a_cohort_is_refused(db):
    application = application_in(S.SUBMITTED)

    with pytest.raises(TransitionRefused) as refused:
        application_set_status(application=application, status=S.OFFERED)

    assert refused.value.reason == "Choose the group to offer a place in."


def test_offer_in_another_programmes_cohort_is_refused(db):
    application = application_in(S.SUBMITTED)
    other = CohortFactory(name="Group 9")

    with pytest.raises(TransitionRefused) as refused:
        application_set_status(application=application, status=S.OFFERED, cohort=other)

    assert refused.value.reason == "Group 9 is a group of another programme."
