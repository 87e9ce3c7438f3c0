"""A Redis outage costs no application: the rate limiter fails open (a real outage: tests/conftest.py's
private_redis, started and stopped by the test)."""

import time

from django.urls import reverse

from applications.models import Application

from .conftest import apply_data
from .test_apply import apply_url


def test_an_application_is_stored_while_the_cache_is_down(
    client, programme, during_applications, site_on, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = (
        True  # the email is the mail engine's part, tested with a real broker there
    )
    site_on()  # Redis stops: the rate limiter cannot count

    response = client.post(apply_url(programme), apply_data(programme))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:apply_thanks", kwargs={"slug": programme.slug})
    assert list(Application.objects.values_list("email", flat=True)) == ["asha@example.org"]


# A Redis that stops answering (it takes connections and never replies: a frozen host, a partition) does not hang
# the site: each cache call gives up after the settings' timeout (REDIS_CACHE_OPTIONS). Before it, these waited
# for ever. A few cache calls a request, a second each at most: bounded.
BOUND_SECONDS = 8


def timed(call):
    began = time.monotonic()
    response = call()
    return response, time.monotonic() - began


def test_the_programme_page_renders_in_full_while_redis_is_silent(
    client, programme, during_applications, cache_on_a_silent_redis
):
    response, seconds = timed(lambda: client.get(reverse("applications:programme", args=[programme.slug])))

    assert (response.status_code, programme.title in response.content.decode()) == (200, True)
    assert seconds < BOUND_SECONDS


def test_an_application_is_stored_while_redis_is_silent(
    client, programme, during_applications, cache_on_a_silent_redis
):
    response, seconds = timed(lambda: client.post(apply_url(programme), apply_data(programme)))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:apply_thanks", kwargs={"slug": programme.slug}),
    )
    assert list(Application.objects.values_list("email", flat=True)) == ["asha@example.org"]
    assert seconds < BOUND_SECONDS
