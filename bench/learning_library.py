"""How fast is the learning library with many entries? Run: DATABASE_URL=... .venv/bin/python bench/learning_library.py

Builds a throwaway dataset in a test database (5 cohorts × 20 members, 2,000 entries, 3 authors and 2 topics each),
then times the list page (first page, a search, a topic filter) as a member and anonymously, and the Atom feed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402

ENTRIES = 2000
RUNS = 20


def build():
    import random

    from learning.enums import Visibility
    from learning.models import Authorship, Entry, Topic
    from tests.factories import CohortFactory, MemberFactory, ProgrammeFactory

    random.seed(8)
    programme = ProgrammeFactory()
    cohorts = [CohortFactory(programme=programme) for _ in range(5)]
    members = {c.pk: [MemberFactory(cohort=c).user for _ in range(20)] for c in cohorts}
    topics = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(30)]
    entries = Entry.objects.bulk_create(
        Entry(
            programme=programme,
            cohort=random.choice(cohorts),
            title=f"Entry {n} about befriending" if n % 10 == 0 else f"Entry {n}",
            body="Lorem ipsum dolor sit amet. " * 40,
            visibility=random.choice(list(Visibility)),
        )
        for n in range(ENTRIES)
    )
    Authorship.objects.bulk_create(
        Authorship(entry=e, user=u) for e in entries for u in random.sample(members[e.cohort_id], 3)
    )
    through = Entry.topics.through
    through.objects.bulk_create(
        through(entry_id=e.pk, topic_id=t.pk) for e in entries for t in random.sample(topics, 2)
    )
    return members[cohorts[0].pk][0]


def timed(client, url, params=None):
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url, params or {})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples), max(samples)


def main():
    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        member = build()
        anonymous, signed_in = Client(), Client()
        signed_in.force_login(member)
        print(f"{connection.vendor}, {ENTRIES} entries, median/max of {RUNS} requests (ms)")
        for label, client, url, params in [
            ("library, anonymous", anonymous, "/learning/", None),
            ("library, member", signed_in, "/learning/", None),
            ("library, member, search", signed_in, "/learning/", {"q": "befriending"}),
            ("library, member, topic", signed_in, "/learning/", {"topic": "topic-3"}),
            ("atom feed", anonymous, "/learning/feed/", None),
        ]:
            median, worst = timed(client, url, params)
            print(f"  {label:28} {median:7.1f} {worst:7.1f}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
