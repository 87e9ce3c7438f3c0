"""Two posts of the same application at the same instant (a double click reaching two web processes)."""

import threading
import uuid

import pytest
from django.db import connection

from applications.models import Application, Availability
from applications.services import application_submit
from cohort_site.mail.models import OutgoingEmail

from .conftest import DURING


def answers() -> dict:
    return {
        "name": "Asha Patel",
        "organisation": "Leeds Befriending",
        "role": "Connector",
        "role_type": "front_line",
        "region": "",
        "pandemic_work": "Befriending.",
        "motivation": "Peers.",
        "hopes": "Ideas.",
        "learning_gained": "Small groups.",
        "challenge": "",
        "share_challenge_with_partners": False,
        "organisation_support": True,
        "team_open_to_ideas": True,
        "commits_to_openness": True,
        "commits_to_sharing": True,
        "accessibility_needs": "",
    }


@pytest.mark.postgres
@pytest.mark.parametrize("same_token", [True, False])
def test_simultaneous_submissions_make_one_application(transactional_db, same_token):
    from tests.factories import CandidateTimeFactory, ProgrammeFactory

    from .conftest import DEADLINE, OPENS

    programme = ProgrammeFactory(
        applications_open_at=OPENS, applications_close_at=DEADLINE, min_available_times=1
    )
    time = CandidateTimeFactory(programme=programme)
    barrier = threading.Barrier(2)
    token = uuid.uuid4()
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            result = application_submit(
                programme=programme,
                email="asha@example.org",
                answers=answers(),
                availability={time.pk: "yes"},
                submission_token=token if same_token else uuid.uuid4(),
                now=DURING,
            )
            results.append(result.created)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [False, True]
    assert (Application.objects.count(), Availability.objects.count()) == (1, 1)
    expected_kinds = ["application-received"] if same_token else ["application-again", "application-received"]
    assert sorted(OutgoingEmail.objects.values_list("kind", flat=True)) == expected_kinds
