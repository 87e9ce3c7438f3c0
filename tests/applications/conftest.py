import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache

from applications.forms import AVAILABILITY_PREFIX
from tests.factories import CandidateTimeFactory, DropInFactory, ProgrammeFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# The brief's timeline: open w/c 28 June, drop-in Wednesday 14 July 3-4pm, close 9am Wednesday 21 July (BST).
OPENS = london(2021, 6, 28, 9)
DROP_IN_STARTS = london(2021, 7, 14, 15)
DEADLINE = london(2021, 7, 21, 9)
DURING = london(2021, 7, 1, 12)


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limit counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(
        title="Relationships and connections",
        slug="relationships",
        contact_name="Zoë Cumberland",
        contact_email="zoe@example.org",
        applications_open_at=OPENS,
        applications_close_at=DEADLINE,
        confirmation_week=datetime.date(2021, 7, 26),
        first_session_week=datetime.date(2021, 8, 9),
        min_available_times=2,
    )
    for weekday, hour in [(0, 10), (1, 14), (2, 10)]:
        CandidateTimeFactory(programme=programme, weekday=weekday, start_time=datetime.time(hour))
    return programme


@pytest.fixture
def drop_in(programme):
    return DropInFactory(
        programme=programme,
        starts_at=DROP_IN_STARTS,
        ends_at=DROP_IN_STARTS + datetime.timedelta(hours=1),
        join_url="https://meet.example.org/drop-in",
        host_name="Zoë Cumberland",
    )


@pytest.fixture
def during_applications():
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


def apply_data(programme, **overrides) -> dict:
    """A complete, valid application post: yes, yes, no for the three candidate times."""
    data = {
        "submission_token": "8d8f3c1e-2f43-4a8e-9a3b-5c1d2e3f4a5b",
        "name": "Asha Patel",
        "email": "asha@example.org",
        "organisation": "Leeds Befriending",
        "role": "Community connector",
        "role_type": "front_line",
        "region": "yorkshire",
        "pandemic_work": "Telephone befriending for isolated older people.",
        "learning_gained": "Small groups work best.",
        "motivation": "To learn from peers.",
        "hopes": "New ideas for our volunteers.",
        "challenge": "How do we keep volunteers connected?",
        "organisation_support": "on",
        "team_open_to_ideas": "on",
        "commits_to_openness": "on",
        "commits_to_sharing": "on",
        "accessibility_needs": "",
        "consent": "on",
        "website": "",
    }
    answers = ["yes", "yes", "no"]
    for time, answer in zip(programme.candidate_times.order_by("weekday"), answers, strict=True):
        data[f"{AVAILABILITY_PREFIX}{time.pk}"] = answer
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
