"""Staff sessions end after STAFF_IDLE_TIMEOUT without a request; members keep the normal session age."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from cohort_site.core.middleware import StaffIdleTimeoutMiddleware
from tests.factories import MemberFactory, StaffFactory

T0 = datetime.datetime(2024, 3, 4, 9, 0, tzinfo=datetime.UTC)
KEY = StaffIdleTimeoutMiddleware.SESSION_KEY


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff_client(client, db, clock):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_default_timeout_is_four_hours(settings):
    assert datetime.timedelta(hours=4) == settings.STAFF_IDLE_TIMEOUT


def test_staff_signed_out_with_a_message_after_idle_hours(staff_client, clock):
    outbox = reverse("mail:outbox")
    assert staff_client.get(outbox).status_code == 200

    clock.shift(datetime.timedelta(hours=4, minutes=1))
    response = staff_client.get(outbox)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/staff/outbox/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You were signed out after 4 hours without activity. Please sign in again."
    ]
    assert "_auth_user_id" not in staff_client.session
    again = staff_client.get(outbox)
    assert (again.status_code, again["Location"]) == (302, f"{reverse('account_login')}?next=/staff/outbox/")


def test_timed_out_admin_goes_to_admin_sign_in(staff_client, clock):
    assert staff_client.get(reverse("admin:index")).status_code == 200

    clock.shift(datetime.timedelta(hours=5))
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next=/admin/"


def test_staff_active_within_the_timeout_stay_signed_in(staff_client, clock):
    outbox = reverse("mail:outbox")
    statuses = []
    for _ in range(5):
        statuses.append(staff_client.get(outbox).status_code)
        clock.shift(datetime.timedelta(hours=3, minutes=59))

    assert statuses == [200, 200, 200, 200, 200]


def test_timeout_follows_the_setting(staff_client, clock, settings):
    settings.STAFF_IDLE_TIMEOUT = datetime.timedelta(hours=1)
    staff_client.get(reverse("mail:outbox"))

    clock.shift(datetime.timedelta(minutes=59))
    still_in = staff_client.get(reverse("mail:outbox")).status_code
    clock.shift(datetime.timedelta(hours=1, seconds=1))
    timed_out = staff_client.get(reverse("mail:outbox")).status_code

    assert (still_in, timed_out) == (200, 302)


def test_last_activity_is_written_only_every_few_minutes(staff_client, clock, settings):
    assert datetime.timedelta(minutes=5) == settings.STAFF_ACTIVITY_RESOLUTION
    outbox = reverse("mail:outbox")

    staff_client.get(outbox)
    first = staff_client.session[KEY]
    clock.shift(datetime.timedelta(minutes=4))
    response = staff_client.get(outbox)
    after_four_minutes = staff_client.session[KEY]
    clock.shift(datetime.timedelta(minutes=2))
    staff_client.get(outbox)
    after_six_minutes = staff_client.session[KEY]

    assert (first, after_four_minutes, after_six_minutes) == (
        T0.timestamp(),
        T0.timestamp(),
        (T0 + datetime.timedelta(minutes=6)).timestamp(),
    )
    # No session write on the request in between: Django sends no new session cookie.
    assert "sessionid" not in response.cookies


def test_members_are_not_timed_out(client, db, clock):
    member = MemberFactory()
    client.force_login(member.user)
    schedule = reverse("sessions:my_schedule")
    assert client.get(schedule).status_code == 200

    clock.shift(datetime.timedelta(days=5))
    response = client.get(schedule)

    assert response.status_code == 200
    assert KEY not in client.session
    assert client.session["_auth_user_id"] == str(member.user.pk)


def test_signing_in_again_starts_the_clock_afresh(client, db, clock):
    staff = StaffFactory()
    client.force_login(staff)
    clock.shift(datetime.timedelta(days=1))

    client.force_login(staff)
    response = client.get(reverse("mail:outbox"))

    assert response.status_code == 200
    assert client.session[KEY] == (T0 + datetime.timedelta(days=1)).timestamp()
