"""bench/spike.py at a small scale, through the same code, so the script cannot rot: gunicorn with production
settings on the test database, 60 applicants in about 10 s, some double-clicking, some retrying."""

import datetime
from collections import Counter

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from applications.models import Application
from bench import harness, spike
from tests.factories import CandidateTimeFactory, ProgrammeFactory

THANKS = "/programmes/p/apply/thank-you/"


def _answer(kind: str, status: int | None, location: str = THANKS) -> spike.Answer:
    return spike.Answer(kind, status, 0.01, location)


def test_verify_names_each_problem():
    """The checks themselves: a double row, a lost post, a server error, a refusal and a stray row are each named."""
    applicants = [
        spike.Applicant(0, "a@example.org", "once", 0, answers=[_answer("form", 200), _answer("post", 302)]),
        spike.Applicant(1, "b@example.org", "once", 0, answers=[_answer("form", 200), _answer("post", 302)]),
        spike.Applicant(
            2, "c@example.org", "retry", 0, answers=[_answer("form", 200), _answer("timed out", None)]
        ),
        spike.Applicant(
            3, "d@example.org", "once", 0, answers=[_answer("form", 200), _answer("post", 500, "")]
        ),
        spike.Applicant(
            4, "e@example.org", "once", 0, answers=[_answer("form", 200), _answer("post", 200, "")]
        ),
    ]
    result = spike.SpikeResult(applicants, began=0, seconds=1)
    stored = {
        "a@example.org": 2,
        "c@example.org": 1,
        "d@example.org": 1,
        "e@example.org": 1,
        "x@example.org": 1,
    }

    assert spike.verify(result, stored, thanks_page=THANKS) == [
        "a@example.org: stored 2 times",
        "b@example.org: stored 0 times",
        "c@example.org: no post was answered",
        "d@example.org: post answered 500",
        "e@example.org: post answered 200, not the thank-you page",
        "stored addresses nobody submitted: ['x@example.org']",
    ]
    assert result.server_errors() == 1


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert [spike.percentile(values, p) for p in (50, 95, 99, 100)] == [50.0, 95.0, 99.0, 100.0]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_spike_stores_every_application_exactly_once(tmp_path):
    programme = ProgrammeFactory(min_available_times=2)
    for weekday in range(5):
        CandidateTimeFactory(programme=programme, weekday=weekday, start_time=datetime.time(14))
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    port = harness.free_port()
    env = harness.server_env(
        database_url=database_url, redis_url=settings.REDIS_URL, static_root=tmp_path / "static", port=port
    )
    # No connection may outlive the server: the test database is emptied, then dropped, after the test.
    env["CONN_MAX_AGE"] = "0"
    harness.collectstatic(env)
    apply_page = reverse("applications:apply", kwargs={"slug": programme.slug})
    thanks_page = reverse("applications:apply_thanks", kwargs={"slug": programme.slug})
    try:
        with harness.Gunicorn(env, port=port, workers=3, log_path=tmp_path / "gunicorn.log") as server:
            result = spike.run_spike(
                base_url=server.url,
                apply_page=apply_page,
                submissions=60,
                seconds=10,
                clients=10,
                double_click_every=6,
                retry_every=7,
                email_prefix="spike-test",
            )
            server_log = server.log()
    finally:
        cache.clear()  # the Celery messages of the emails, and the form's counters

    stored = Counter(
        e.lower() for e in Application.objects.filter(programme=programme).values_list("email", flat=True)
    )
    assert spike.verify(result, stored, thanks_page=thanks_page) == []
    assert sum(stored.values()) == 60
    assert len(stored) == 60
    assert result.server_errors() == 0
    assert "Internal Server Error" not in server_log
    assert Counter(a.style for a in result.applicants) == {"once": 43, "double-click": 10, "retry": 7}
    posts = Counter((answer.kind, answer.status) for a in result.applicants for answer in a.answers)
    assert posts == {
        ("form", 200): 60,
        ("post", 302): 53,
        ("second click", 302): 10,
        ("timed out", None): 7,
        ("retry", 302): 7,
    }
