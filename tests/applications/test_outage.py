"""A Redis outage costs no application: the rate limiter fails open (a real outage: tests/conftest.py's
private_redis, started and stopped by the test)."""

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
