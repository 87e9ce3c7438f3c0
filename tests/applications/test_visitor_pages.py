"""A visitor's kept public page served before the session and the rest of the stack
(applications/middleware.py): the same page and the same headers as the full path, compressed from stored
blocks, and never for anyone with a session or a message waiting."""

import gzip
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.page_cache import StoredPage, page_facts
from tests.factories import ProgrammeSectionFactory, UserFactory

from .conftest import DURING, apply_data

EARLY = "applications.middleware.VisitorPageMiddleware"
TOKENS = re.compile(r'name="(csrfmiddlewaretoken|submission_token)" value="[^"]+"')


@pytest.fixture
def section(programme):
    return ProgrammeSectionFactory(programme=programme, key="aims", heading="Our aims", body="Kinder towns.")


def get(client, url, **headers):
    with time_machine.travel(DURING, tick=False):
        return client.get(url, headers=headers)


def text(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return TOKENS.sub("", body.decode())


def headers_of(response) -> dict:
    """Every header but the length (the padding against BREACH varies it), and the cookies set with their
    attributes but not their values."""
    headers = {k: v for k, v in response.headers.items() if k != "Content-Length"}
    cookies = {
        name: {k: v for k, v in morsel.items() if v} | {"set": True}
        for name, morsel in response.cookies.items()
    }
    return {"headers": headers, "cookies": cookies}


def urls(programme):
    return [programme.get_absolute_url(), reverse("applications:apply", kwargs={"slug": programme.slug})]


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
@pytest.mark.parametrize("page", [0, 1])
def test_the_kept_page_has_the_same_text_and_headers_as_the_full_path(
    programme, section, settings, encoding, page
):
    url = urls(programme)[page]
    rendered = get(Client(), url, accept_encoding=encoding)  # rendered, then kept
    early = get(Client(), url, accept_encoding=encoding)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != EARLY]
    from_view = get(Client(), url, accept_encoding=encoding)  # the view's own lookup, the stack around it

    assert [r.status_code for r in (rendered, early, from_view)] == [200, 200, 200]
    assert headers_of(early) == headers_of(rendered) == headers_of(from_view)
    assert text(early) == text(rendered) == text(from_view)
    assert early["Content-Length"] == str(len(early.content))
    assert early.get("Content-Encoding") == ("gzip" if encoding else None)


def test_the_early_path_reads_no_row_and_no_session(programme, section, django_assert_num_queries):
    get(Client(), programme.get_absolute_url())

    with django_assert_num_queries(0):
        response = get(Client(), programme.get_absolute_url())

    assert (response.status_code, response["Content-Security-Policy"][:18]) == (200, "default-src 'self'")


def test_a_request_with_a_session_cookie_never_takes_the_early_path(
    programme, section, django_assert_num_queries
):
    get(Client(), programme.get_absolute_url())  # kept for visitors
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = "a-session-that-has-ended"

    with django_assert_num_queries(1):  # the session looked up (none): the stack ran, then the view's lookup
        response = get(stale, programme.get_absolute_url())

    assert response.status_code == 200


def test_a_member_signed_in_after_a_visitor_gets_their_own_page(programme, section):
    get(Client(), programme.get_absolute_url())
    member = Client()
    member.force_login(UserFactory(name="Ada Lovelace"))

    response = get(member, programme.get_absolute_url())

    assert ("Sign out (Ada)" in response.content.decode(), response["Cache-Control"]) == (True, "no-store")


def test_the_early_path_checks_the_host(programme, section):
    get(Client(), programme.get_absolute_url())

    with time_machine.travel(DURING, tick=False):
        response = Client().get(programme.get_absolute_url(), HTTP_HOST="evil.example.com")

    assert response.status_code == 400


def test_the_kept_form_posts_with_the_token_the_early_path_gave(programme):
    url = urls(programme)[1]
    get(Client(), url)
    applicant = Client(enforce_csrf_checks=True)
    content = gzip.decompress(get(applicant, url, accept_encoding="gzip").content).decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    submission = re.search(r'name="submission_token" value="([^"]+)"', content).group(1)

    with time_machine.travel(DURING, tick=False):
        response = applicant.post(
            url, apply_data(programme, csrfmiddlewaretoken=token, submission_token=submission)
        )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:apply_thanks", kwargs={"slug": programme.slug}),
    )


def test_a_stored_page_compressed_in_pieces_is_one_valid_gzip_stream(programme, rf):
    html = (
        '<p>Before</p><input name="csrfmiddlewaretoken" value="OLD"><p>'
        + "Between " * 500
        + '</p><input name="submission_token" value="OLD-TOO"><p>After</p>'
    )
    stored = StoredPage.of(
        html, fragment_key="k", facts=page_facts(programme), time_left=None, open_only=False
    )
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")

    responses = [stored.response(request) for _ in range(2)]

    bodies = [gzip.decompress(r.content).decode() for r in responses]
    assert [TOKENS.sub("", b) for b in bodies] == [TOKENS.sub("", html)] * 2
    assert bodies[0] != bodies[1]  # a fresh submission token each time
    assert len(responses[0].content) < len(html) / 5


# --- Round trips to the cache -----------------------------------------------------------------------------------


@pytest.fixture
def on_redis(settings, private_redis):
    """The site's cache on a Redis of the test's own (our backend), and a counter of the commands it has run."""
    import redis

    url, _ = private_redis
    settings.CACHES = {"default": {"BACKEND": "cohort_site.core.cache.RedisCache", "LOCATION": url}}
    server = redis.Redis.from_url(url)

    def commands() -> int:  # INFO counts itself once it has run
        return server.info("stats")["total_commands_processed"]

    return commands


def test_a_kept_page_costs_one_round_trip_and_other_pages_none(programme, section, on_redis):
    get(Client(), programme.get_absolute_url())  # rendered and kept
    before = on_redis()
    kept = get(Client(), programme.get_absolute_url())
    after_kept = on_redis()
    health = Client().get("/healthz")
    after_health = on_redis()

    assert (kept.status_code, health.status_code) == (200, 200)
    assert (after_kept - before, after_health - after_kept) == (1 + 1, 0 + 1)  # the MGET; nothing; each INFO


def test_the_redis_cache_keeps_one_client_and_still_stores(on_redis):
    from django.core.cache import cache

    cache.set("a", {"b": 1})

    assert (cache.get("a"), cache.get_many(["a", "missing"])) == ({"b": 1}, {"a": {"b": 1}})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_a_page_kept_as_text_by_the_code_before_is_rendered_afresh(programme, section, settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # keys listed
    get(Client(), "/")  # the home page: kept under its whole-page key only
    keys = [k for k in cache._cache if ":page:" in k]  # locmem's own keys
    assert len(keys) == 1
    cache.set(keys[0].split(":", 2)[2], "<p>an old page</p>")

    response = get(Client(), "/")

    assert (response.status_code, "Our aims" in response.content.decode()) == (200, True)
