"""Recruitment timings: storing an application, the programme page, and the admin's CSV export.

Run: .venv/bin/python bench/recruitment.py [applications=500]
Uses a throwaway test database (DATABASE_URL decides which engine, as for the tests).
"""

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(count: int) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(count: int) -> None:
    import datetime

    from applications.services import application_submit
    from tests.factories import CandidateTimeFactory, DropInFactory, ProgrammeFactory, StaffFactory

    programme = ProgrammeFactory(min_available_times=2)
    times = [
        CandidateTimeFactory(programme=programme, weekday=d, start_time=datetime.time(h))
        for d in range(5)
        for h in (10, 14)
    ]
    DropInFactory(programme=programme)
    answers = {
        "name": "Asha Patel",
        "organisation": "Leeds Befriending",
        "role": "Connector",
        "role_type": "front_line",
        "pandemic_work": "Befriending. " * 40,
        "motivation": "Peers. " * 40,
        "hopes": "Ideas. " * 40,
        "learning_gained": "Small groups. " * 40,
        "challenge": "=1+1",
        "share_challenge_with_partners": False,
        "organisation_support": True,
        "team_open_to_ideas": True,
        "commits_to_openness": True,
        "commits_to_sharing": True,
        "accessibility_needs": "",
    }
    availability = {t.pk: ("yes" if i % 2 else "no") for i, t in enumerate(times)}

    started = time.perf_counter()
    for n in range(count):
        application_submit(
            programme=programme,
            email=f"person{n}@example.org",
            answers=answers,
            availability=availability,
            submission_token=uuid.uuid4(),
        )
    submit = (time.perf_counter() - started) / count

    client = Client()
    client.get(programme.get_absolute_url())
    started = time.perf_counter()
    for _ in range(50):
        client.get(programme.get_absolute_url())
    page = (time.perf_counter() - started) / 50

    staff = Client()
    staff.force_login(StaffFactory(is_superuser=True))
    from applications.models import Application

    ids = list(Application.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    response = staff.post(
        "/admin/applications/application/", {"action": "export_csv", "_selected_action": ids}
    )
    export = time.perf_counter() - started
    assert response.status_code == 200

    print(f"engine: {connection.vendor}")
    print(f"application_submit (10 availability rows + confirmation email): {submit * 1000:.1f} ms each")
    print(f"programme page: {page * 1000:.1f} ms")
    print(f"CSV export of {count} applications: {export * 1000:.0f} ms, {len(response.content) // 1024} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
