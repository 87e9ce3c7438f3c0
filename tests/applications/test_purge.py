import datetime

import pytest
import time_machine
from django.core.management import call_command

from applications.enums import ApplicationStatus
from applications.models import Application, Availability, ExpressionOfInterest
from cohort_site.mail.models import OutgoingEmail
from tests.factories import (
    ApplicationFactory,
    AvailabilityFactory,
    CohortFactory,
    ExpressionOfInterestFactory,
    MemberFactory,
    ProgrammeFactory,
    application_in,
)
from tests.mail.test_queue import queue_plain

from .conftest import london

CLOSED = london(2021, 7, 21, 9)


@pytest.fixture
def old_programme(db):
    return ProgrammeFactory(applications_open_at=london(2021, 6, 28, 9), applications_close_at=CLOSED)


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("purge_recruitment_data", *args, stdout=out)
    return out.getvalue().strip()


def test_purge_after_retention_deletes_unsuccessful_applications_and_interest_keeps_members(
    old_programme, settings, django_capture_on_commit_callbacks
):
    settings.RECRUITMENT_RETENTION = datetime.timedelta(days=180)
    cohort = CohortFactory(programme=old_programme)
    member = MemberFactory(cohort=cohort)
    unsuccessful = [
        application_in(status, programme=old_programme)
        for status in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.WAITLISTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
        )
    ]
    AvailabilityFactory(application=unsuccessful[0])
    ExpressionOfInterestFactory.create_batch(2, programme=old_programme)
    recent = ProgrammeFactory()
    kept_recent = ApplicationFactory(programme=recent, status=ApplicationStatus.DECLINED)
    kept_interest = ExpressionOfInterestFactory(programme=recent)
    with django_capture_on_commit_callbacks(execute=False):
        queue_plain(key="k", to="a@example.org", about=unsuccessful[0])

    with time_machine.travel(CLOSED + datetime.timedelta(days=180, seconds=1), tick=False):
        dry = run("--dry-run")
        assert Application.objects.count() == 6
        output = run()

    assert dry == (
        "Would delete 4 unsuccessful applications and 2 expressions of interest "
        "(deadline more than 180 days ago)."
    )
    assert output == dry.replace("Would delete", "Deleted")
    assert set(Application.objects.all()) == {member, kept_recent}
    assert list(ExpressionOfInterest.objects.all()) == [kept_interest]
    assert Availability.objects.count() == 0
    assert OutgoingEmail.objects.get().body_text.startswith("(Deleted:")


def test_purge_before_retention_ends_deletes_nothing(old_programme, settings):
    settings.RECRUITMENT_RETENTION = datetime.timedelta(days=30)
    ApplicationFactory(programme=old_programme, status=ApplicationStatus.DECLINED)
    ExpressionOfInterestFactory(programme=old_programme)

    with time_machine.travel(CLOSED + datetime.timedelta(days=30), tick=False):
        output = run()

    assert output.startswith("Deleted 0 unsuccessful applications and 0 expressions of interest")
    assert (Application.objects.count(), ExpressionOfInterest.objects.count()) == (1, 1)


def test_beat_runs_the_purge_daily_as_a_retention_rule():
    from django.conf import settings

    from cohort_site.celery import app
    from cohort_site.core.retention import retention_rules

    app.loader.import_default_modules()  # what a worker does at start-up: find every app's tasks.py
    entry = settings.CELERY_BEAT_SCHEDULE["retention-enforce"]
    assert entry["task"] == "cohort_site.core.tasks.retention_enforce_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
    assert "cohort_site.core.tasks.retention_enforce_task" in app.tasks
    assert retention_rules()["recruitment"].setting == "RECRUITMENT_RETENTION"
