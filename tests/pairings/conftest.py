import datetime

import pytest

from applications.enums import AvailabilityAnswer
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    SessionFactory,
)


@pytest.fixture
def cohort_with_sessions(db):
    """A cohort with six weekly sessions, so five rounds."""
    cohort = CohortFactory()
    for number in range(1, 7):
        SessionFactory(cohort=cohort, number=number)
    return cohort


@pytest.fixture
def members(cohort_with_sessions):
    tuesday = CandidateTimeFactory(
        programme=cohort_with_sessions.programme, weekday=1, start_time=datetime.time(10)
    )
    thursday = CandidateTimeFactory(
        programme=cohort_with_sessions.programme, weekday=3, start_time=datetime.time(15)
    )
    people = [
        MemberFactory(cohort=cohort_with_sessions, name=name, organisation=f"{name} Trust")
        for name in ("Ada", "Ben", "Cal", "Dee", "Eve", "Fay")
    ]
    for person in people:
        AvailabilityFactory(application=person, candidate_time=tuesday, answer=AvailabilityAnswer.YES)
        AvailabilityFactory(application=person, candidate_time=thursday, answer=AvailabilityAnswer.NO)
    return people
