import pytest

from tests.factories import CohortFactory, MemberFactory, StaffFactory


@pytest.fixture
def cohort(db):
    return CohortFactory(name="Group 1")


@pytest.fixture
def people(cohort):
    """Everyone the permission matrix asks about, around one cohort of a programme."""
    other_cohort = CohortFactory(programme=cohort.programme, name="Group 2")
    return {
        "anonymous": None,
        "other_programme": MemberFactory(name="Pat Elsewhere").user,
        "other_cohort": MemberFactory(cohort=other_cohort, name="Olu Other").user,
        "same_cohort": MemberFactory(cohort=cohort, name="Sam Same").user,
        "author": MemberFactory(cohort=cohort, name="Ada Author").user,
        "manager": StaffFactory(name="Zoë Manager"),
    }
