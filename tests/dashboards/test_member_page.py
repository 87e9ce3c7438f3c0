"""The member's dashboard kept for the rest of the minute (cohort_site/dashboards/member_page.py): a repeat visit
costs the session and user lookups and nothing else, and no change to what the page shows is ever served stale:
writes of every kind (a model saved, a queryset updated, raw SQL, another process's commit), the next minute, a
message, another member, another host; the kept page's forms still post, and with the cache down it renders."""

import datetime
import gzip
import os
import subprocess
import sys
import time

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import INFO
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from cohort_site.core import data_version
from cohort_site.core.data_version import VERSION_KEY, process_token, writes_shown_table
from cohort_site.core.models import Heartbeat
from cohort_site.dashboards.member_page import member_page_lookup, minute_of
from sessions_app.models import Session
from tests.factories import UserFactory

from .conftest import build_world

ME = reverse("dashboards:member")
CSRF_INPUT = 'name="csrfmiddlewaretoken" value="'


@pytest.fixture(autouse=True)
def member_page_cache(settings, db):
    settings.MEMBER_PAGE_CACHE = True
    # The process reads content types once, on first use: read them here, so each visit's count is its own.
    ContentType.objects.get_for_models(*apps.get_models())


def without_csrf_tokens(page: str) -> str:
    """The page with its forms' CSRF tokens (masked afresh for every response) blanked."""
    parts = page.split(CSRF_INPUT)
    return CSRF_INPUT.join([parts[0], *(part[part.index('"') :] for part in parts[1:])])


def visit(client, django_assert_num_queries, queries: int) -> str:
    with django_assert_num_queries(queries):
        response = client.get(ME)
    assert response.status_code == 200
    return response.content.decode()


def next_topic(page: str) -> str:
    return page.split('<h2 id="next-heading"', 1)[1].split("</h3>", 1)[0].rsplit(">", 1)[1].strip()


@pytest.fixture
def signed_in(client, world):
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        yield client


def test_a_repeat_visit_is_the_kept_page_in_two_queries(
    signed_in, world, django_assert_num_queries, settings
):
    first = visit(signed_in, django_assert_num_queries, 12)
    again = visit(signed_in, django_assert_num_queries, 2)  # the session and the user
    settings.MEMBER_PAGE_CACHE = False
    rendered = visit(signed_in, django_assert_num_queries, 12)

    assert CSRF_INPUT in first
    assert without_csrf_tokens(again) == without_csrf_tokens(first) == without_csrf_tokens(rendered)
    assert again.count(CSRF_INPUT) == first.count(CSRF_INPUT)


def test_the_kept_page_is_sent_compressed_as_it_would_be_rendered(signed_in, django_assert_num_queries):
    first = visit(signed_in, django_assert_num_queries, 12)
    response = signed_in.get(ME, headers={"accept-encoding": "gzip, br"})

    assert (response["Content-Encoding"], response["Vary"]) == ("gzip", "Cookie, Accept-Encoding")
    assert without_csrf_tokens(gzip.decompress(response.content).decode()) == without_csrf_tokens(first)


def update_topic_with_queryset(session: Session, topic: str) -> None:
    Session.objects.filter(pk=session.pk).update(topic=topic)  # no signal is sent


def update_topic_with_sql(session: Session, topic: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Session._meta.db_table}" SET "topic" = %s WHERE "id" = %s', [topic, session.pk]
        )


def update_topic_with_save(session: Session, topic: str) -> None:
    session.topic = topic
    session.save(update_fields=["topic"])


@pytest.mark.parametrize("write", [update_topic_with_queryset, update_topic_with_sql, update_topic_with_save])
def test_any_write_the_page_shows_is_on_the_next_visit(signed_in, world, write, django_assert_num_queries):
    before = visit(signed_in, django_assert_num_queries, 12)
    write(world.sessions[2], "Moved to the spring")
    after = visit(signed_in, django_assert_num_queries, 12)

    assert (next_topic(before), next_topic(after)) == ("Session 3: Topic 3", "Session 3: Moved to the spring")


def test_a_post_from_the_kept_page_is_accepted_with_its_token(world, django_assert_num_queries):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        visit(client, django_assert_num_queries, 12)
        kept = visit(client, django_assert_num_queries, 2)
        token = kept.split(CSRF_INPUT, 1)[1].split('"', 1)[0]
        response = client.post(
            reverse("sessions:apologies", args=[world.sessions[2].pk]), {"csrfmiddlewaretoken": token}
        )
        after = visit(client, django_assert_num_queries, 12)

    assert (response.status_code, response["Location"]) == (302, reverse("sessions:my_schedule"))
    assert "Apologies sent for Session 3" in after  # the message, on a page rendered (and not kept)
    assert 'name="withdraw" value="1"' in after


def test_the_page_is_rendered_afresh_each_minute_for_the_start_of_it(
    client, world, django_assert_num_queries
):
    minute = minute_of(world.now)
    with time_machine.travel(minute + datetime.timedelta(seconds=10), tick=False):
        client.force_login(world.me.user)
        visit(client, django_assert_num_queries, 12)
    with time_machine.travel(minute + datetime.timedelta(seconds=59), tick=False):
        visit(client, django_assert_num_queries, 2)
    with time_machine.travel(minute + datetime.timedelta(minutes=1), tick=False):
        visit(client, django_assert_num_queries, 12)


def test_a_session_ending_is_on_the_page_at_that_minute(client, world, django_assert_num_queries):
    """The next session moves on when the one before it ends, at the minute it ends, though the page was kept."""
    session = world.sessions[2]
    with time_machine.travel(session.ends_at - datetime.timedelta(seconds=50), tick=False):
        client.force_login(world.me.user)
        during = visit(client, django_assert_num_queries, 12)
    with time_machine.travel(session.ends_at - datetime.timedelta(seconds=1), tick=False):
        visit(client, django_assert_num_queries, 2)
    with time_machine.travel(session.ends_at, tick=False):
        ended = visit(client, django_assert_num_queries, 12)

    assert (next_topic(during), next_topic(ended)) == ("Session 3: Topic 3", "Session 4: Topic 4")


def test_each_member_has_a_page_of_their_own(world, django_assert_num_queries):
    mine, theirs = Client(), Client()
    with time_machine.travel(world.now, tick=False):
        mine.force_login(world.me.user)
        theirs.force_login(world.others[0].user)
        visit(mine, django_assert_num_queries, 12)
        their_page = visit(theirs, django_assert_num_queries, 12)
        my_page = visit(mine, django_assert_num_queries, 2)

    assert f"Sign out ({world.me.user.get_short_name()})" in my_page
    assert f"Sign out ({world.others[0].user.get_short_name()})" in their_page


def test_another_host_is_another_page(signed_in, world, settings, django_assert_num_queries):
    settings.ALLOWED_HOSTS = ["testserver", "cohorts.example.org"]
    visit(signed_in, django_assert_num_queries, 12)
    with django_assert_num_queries(12):
        other = signed_in.get(ME, headers={"host": "cohorts.example.org"}).content.decode()

    assert f"http://cohorts.example.org/calendar/{world.me.user.pk}/" in other


def test_sessions_and_the_heartbeat_do_not_send_the_pages_away(signed_in, world, django_assert_num_queries):
    """Sign-in sessions and the beat's heartbeat are written all the time and shown on no page."""
    visit(signed_in, django_assert_num_queries, 12)
    SessionStore().create()
    Heartbeat.objects.create(name="beat", beat_at=world.now)

    visit(signed_in, django_assert_num_queries, 2)


def test_a_message_waiting_is_rendered_and_the_page_not_kept(world):
    request = RequestFactory().get(ME)
    request.user = world.me.user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(INFO, "Your place is confirmed.")

    assert member_page_lookup(request, minute=minute_of(world.now)) == (None, None)


def test_with_the_cache_down_the_page_is_rendered_in_full(signed_in, site_on, django_assert_num_queries):
    site_on()  # its Redis stops

    visit(signed_in, django_assert_num_queries, 12)
    visit(signed_in, django_assert_num_queries, 12)


# --- The data version ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "shown"),
    [
        ('INSERT INTO "learning_entry" ("title") VALUES (%s)', True),
        ('UPDATE "sessions_app_session" SET "topic" = %s', True),
        ('DELETE FROM "pairings_pair" WHERE "id" = %s', True),
        ("update applications_application set score = 3", True),
        ('SELECT "id" FROM "sessions_app_session"', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('INSERT INTO "core_heartbeat" ("name") VALUES (%s)', False),
        ('INSERT INTO "django_admin_log" ("action_flag") VALUES (%s)', False),
        ('SAVEPOINT "s1"', False),
    ],
)
def test_which_statements_replace_the_version(sql, shown):
    assert writes_shown_table(sql) is shown


def test_a_write_replaces_this_process_token_at_once_and_the_shared_version_when_committed(world):
    shared, token = cache.get(VERSION_KEY), process_token()
    with transaction.atomic():
        update_topic_with_queryset(world.sessions[0], "Changed")
        inside = (cache.get(VERSION_KEY), process_token())
        update_topic_with_queryset(world.sessions[1], "Changed too")
        pending = [func for _sids, func, _robust in connection.run_on_commit]

    assert inside[0] == shared
    assert inside[1] != token
    # Once per transaction, though it wrote twice (the test's own transaction never commits).
    assert pending.count(data_version.shared_version_replace) == 1


def test_a_savepoint_rolled_back_does_not_take_the_replacement_of_a_later_write_with_it(world):
    with transaction.atomic():
        try:
            with transaction.atomic():
                update_topic_with_queryset(world.sessions[0], "Undone")
                raise RuntimeError
        except RuntimeError:
            pass
        update_topic_with_queryset(world.sessions[1], "Kept")
        pending = [func for _sids, func, _robust in connection.run_on_commit]

    assert pending.count(data_version.shared_version_replace) == 1


@pytest.mark.django_db(transaction=True)
def test_a_commit_replaces_the_shared_version(db):
    user = UserFactory()
    shared = cache.get(VERSION_KEY)
    with transaction.atomic():
        user.name = "Grace Hopper"
        user.save(update_fields=["name"])
        inside = cache.get(VERSION_KEY)
    after = cache.get(VERSION_KEY)

    assert inside == shared
    assert after not in (None, shared)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_is_on_the_next_visit(client, django_assert_num_queries):
    """The worker, or another gunicorn process, commits a change: this process's token does not move, and the
    shared version it replaced is what keeps the old page from being served."""
    world = build_world(3)
    session = world.sessions[2]
    with time_machine.travel(world.now, tick=False):
        client.force_login(world.me.user)
        before = visit(client, django_assert_num_queries, 12)
        visit(client, django_assert_num_queries, 2)
    token = process_token()

    database = connection.settings_dict
    env = {
        **{key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"},
        "DJANGO_SETTINGS_MODULE": "cohort_site.test_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    code = (
        "from sessions_app.models import Session; "
        f"Session.objects.filter(pk={session.pk}).update(topic='Changed by the worker')"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr

    with time_machine.travel(world.now, tick=False):
        after = visit(client, django_assert_num_queries, 12)

    assert process_token() == token
    assert (next_topic(before), next_topic(after)) == (
        "Session 3: Topic 3",
        "Session 3: Changed by the worker",
    )


def test_with_redis_silent_the_page_is_rendered_within_the_timeout(world, cache_on_a_silent_redis):
    """A Redis that takes connections and never answers costs the lookup its timeout (a second), not for ever."""
    client = Client()
    with time_machine.travel(world.now, tick=True):
        client.force_login(world.me.user)
        began = time.monotonic()
        response = client.get(ME)
        seconds = time.monotonic() - began

    assert (response.status_code, next_topic(response.content.decode())) == (200, "Session 3: Topic 3")
    assert seconds < 5


def test_with_no_page_kept_a_write_pays_nothing(world, settings):
    settings.MEMBER_PAGE_CACHE = False
    token = process_token()
    with transaction.atomic():
        before = len(connection.run_on_commit)  # the world's own writes, made with pages kept
        update_topic_with_queryset(world.sessions[0], "Changed")
        added = connection.run_on_commit[before:]

    assert (process_token(), added) == (token, [])
