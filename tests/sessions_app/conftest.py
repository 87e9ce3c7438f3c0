import datetime

import pytest
import time_machine

from applications.enums import AvailabilityAnswer
from tests.factories import (
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    MemberFactory,
    ProgrammeFactory,
    UserFactory,
)

UTC = datetime.UTC


@pytest.fixture
def autumn(db):
    """It is 1 October 2021. A programme whose group meets from the week of Monday 18 October 2021: its six
    weeks span the last Sunday of October (31st), when British clocks go back."""
    with time_machine.travel(datetime.datetime(2021, 10, 1, 9, 0, tzinfo=UTC), tick=False):
        programme = ProgrammeFactory(
            title="Relationships at the heart of our work",
            applications_open_at=datetime.datetime(2021, 6, 28, 9, 0, tzinfo=UTC),
            applications_close_at=datetime.datetime(2021, 7, 21, 8, 0, tzinfo=UTC),
            confirmation_week=datetime.date(2021, 9, 27),
            first_session_week=datetime.date(2021, 10, 18),
            contact_name="Zoë Cumberland",
            contact_email="zoe@example.org",
        )
        cohort = CohortFactory(programme=programme, number=1, name="Group 1")
        tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(14, 0))
        thursday = CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(10, 0))
        ada = MemberFactory(cohort=cohort, name="Ada Lovelace", email="ada@example.org")
        bo = MemberFactory(
            cohort=cohort,
            name="Bo Diddley",
            email="bo@example.org",
            user=UserFactory(email="bo@example.org", name="Bo Diddley", timezone="America/New_York"),
        )
        for member, answers in ((ada, ("yes", "no")), (bo, ("if_need_be", "yes"))):
            AvailabilityFactory(
                application=member, candidate_time=tuesday, answer=AvailabilityAnswer(answers[0])
            )
            AvailabilityFactory(
                application=member, candidate_time=thursday, answer=AvailabilityAnswer(answers[1])
            )
        yield {
            "programme": programme,
            "cohort": cohort,
            "tuesday": tuesday,
            "thursday": thursday,
            "ada": ada,
            "bo": bo,
        }


@pytest.fixture
def on(autumn):
    """Travel to a moment (UTC): on(2021, 10, 20, 9)."""
    travellers = []

    def go(*parts):
        traveller = time_machine.travel(datetime.datetime(*parts, tzinfo=UTC), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in reversed(travellers):
        traveller.stop()
