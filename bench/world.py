"""Seed the world the load benchmarks run against, and print what the clients need as JSON.

Run by bench/load.py and bench/spike.py in the server's environment (after migrate), not by hand:
    python bench/world.py --applications 300 --members 20 --member-sessions 20

The demo programme from the brief (seed_demo: page sections, a drop-in, ten candidate times, member
organisations, the reading list and surveys), open for applications; a few hundred applications already in;
Group 1 with its members half-way through: six weekly sessions from two weeks ago (the first two attended),
coffee pairs planned for every gap and published for the first two, and learning entries. The group is made with
the steps of tests/world.py, the builder every test world is made with. Each member gets a
signed-in session, whose key the clients send as their session cookie.
"""

import argparse
import datetime
import json
import os
import random
import sys
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def signed_in_session(user) -> str:
    """A session as signing in leaves it (the key is what the browser's cookie holds)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def seed(*, applications: int, members: int, member_sessions: int) -> dict:
    from applications.enums import AvailabilityAnswer
    from applications.models import Availability, Programme
    from cohort_site.demo import open_call
    from learning.enums import EntryKind, Visibility
    from sessions_app.services import schedule_confirm
    from tests.factories import ApplicationFactory, EntryFactory, TopicFactory
    from tests.world import coffee_published, member_with_times, sessions_attended

    call_command("seed_demo", "--force", "--password", "bench-manager-password", stdout=StringIO())
    programme = Programme.objects.get(slug=open_call.SLUG)
    times = list(programme.candidate_times.order_by("weekday", "start_time"))
    answers = [AvailabilityAnswer.YES, AvailabilityAnswer.IF_NEED_BE, AvailabilityAnswer.NO]
    rng = random.Random(2024)

    def answers_for() -> dict:
        """Yes to three of the times, and a mix for the rest (in a random order)."""
        return {
            time: AvailabilityAnswer.YES if i < 3 else rng.choice(answers)
            for i, time in enumerate(rng.sample(times, len(times)))
        }

    with transaction.atomic():
        rows = []
        for n in range(applications):
            application = ApplicationFactory(programme=programme, email=f"seeded{n}@example.org")
            rows += [
                Availability(application=application, candidate_time=time, answer=answer)
                for time, answer in answers_for().items()
            ]
        Availability.objects.bulk_create(rows)
        cohort = programme.cohorts.get(number=1)
        today = timezone.localdate()
        cohort.first_session_week = today - datetime.timedelta(days=today.weekday(), weeks=2)
        cohort.save(update_fields=["first_session_week"])
        group = [
            member_with_times(cohort, answers_for(), email=f"member{n}@example.org") for n in range(members)
        ]

    schedule_confirm(cohort=cohort, candidate_time=times[2], join_url="https://meet.example.org/group-1")
    sessions_attended(cohort.sessions.filter(ends_at__lt=timezone.now()), group)
    coffee_published(cohort, published=2)
    topics = [TopicFactory(name=name) for name in ("Volunteers", "Loneliness", "Partnerships", "Evaluation")]
    visibilities = [
        Visibility.GROUP,
        Visibility.GROUP,
        Visibility.NETWORK,
        Visibility.PUBLIC,
        Visibility.DRAFT,
    ]
    kinds = [EntryKind.STORY, EntryKind.SESSION_NOTES, EntryKind.BLOG, EntryKind.RESOURCE, EntryKind.QUESTION]
    for n in range(2 * members):
        entry = EntryFactory(
            cohort=cohort,
            kind=kinds[n % len(kinds)],
            visibility=visibilities[n % len(visibilities)],
            authors=[group[n % members].user, group[(n + 7) % members].user],
            created_by=group[n % members].user,
            link="https://example.org/toolkit" if kinds[n % len(kinds)] == EntryKind.RESOURCE else "",
        )
        entry.topics.set(topics[n % len(topics) : n % len(topics) + 2])

    users = [member.user for member in group]
    return {
        "programme": programme.slug,
        "programme_page": programme.get_absolute_url(),
        "apply_page": reverse("applications:apply", kwargs={"slug": programme.slug}),
        "thanks_page": reverse("applications:apply_thanks", kwargs={"slug": programme.slug}),
        "applications": applications,
        "members": members,
        "sessions": [signed_in_session(users[n % members]) for n in range(member_sessions)],
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--member-sessions", type=int, default=20)
    options = parser.parse_args()
    print(
        json.dumps(
            seed(
                applications=options.applications,
                members=options.members,
                member_sessions=options.member_sessions,
            )
        )
    )
