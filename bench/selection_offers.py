"""How long the selection service takes to offer places, and the cohort page to build, at programme scale.

Run: DATABASE_URL=postgres://… /work/main/.venv/bin/python bench/selection_offers.py
Uses a throwaway test database (created and dropped), never the real one.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from applications.enums import Notify
    from applications.selectors import cohort_overview
    from applications.services import applications_offer
    from tests.factories import ApplicationFactory, AvailabilityFactory, CandidateTimeFactory, CohortFactory

    cohort = CohortFactory(size=200)
    times = [
        CandidateTimeFactory(programme=cohort.programme, weekday=d, start_time=f"{h}:00")
        for d in range(5)
        for h in (10, 14)
    ]
    applicants = ApplicationFactory.create_batch(200, programme=cohort.programme)
    for a in applicants:
        for t in times:
            AvailabilityFactory(application=a, candidate_time=t)

    start = time.perf_counter()
    for batch in range(10):
        applications_offer(
            applications=applicants[batch * 20 : (batch + 1) * 20], cohort=cohort, notify=Notify.DRAFT
        )
    offered = time.perf_counter() - start
    print(
        f"{connection.vendor}: offered 200 places in batches of 20, with draft emails: {offered:.2f} s ({offered / 200 * 1000:.1f} ms per offer)"
    )

    start = time.perf_counter()
    for _ in range(20):
        cohort_overview(cohort)
    built = (time.perf_counter() - start) / 20
    print(f"{connection.vendor}: cohort overview with 200 people x 10 candidate times: {built * 1000:.1f} ms")


if __name__ == "__main__":
    main()
