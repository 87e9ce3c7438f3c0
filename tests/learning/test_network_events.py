"""Sharing events: registration by email with a capacity and a waitlist that moves up, the confirmation with its
calendar file and cancel link, the reminder sent once, and the public and staff pages."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from learning.models import EventRegistration, NetworkEvent
from learning.network.links import cancel_url
from learning.network.services import RegistrationClosed, event_register, event_save
from tests.factories import NetworkEventFactory, StaffFactory

UTC = datetime.UTC
NOW = datetime.datetime(2031, 3, 12, 10, 0, tzinfo=UTC)
STARTS = datetime.datetime(2031, 3, 19, 14, 0, tzinfo=UTC)  # a Wednesday, 14:00 UK time


@pytest.fixture(autouse=True)
def at_now():
    with time_machine.travel(NOW, tick=False):
        yield


def register(event, n: int, **extra):
    return event_register(
        event=event, name=f"Person {n}", organisation=f"Charity {n}", email=f"p{n}@example.org", **extra
    )


def statuses(event) -> list[tuple[str, str]]:
    return list(
        EventRegistration.objects.filter(event=event)
        .order_by("status_changed_at", "pk")
        .values_list("email", "status")
        .order_by("pk")
    )


def kinds_to(email: str) -> list[str]:
    return list(OutgoingEmail.objects.filter(to=email).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def event(db):
    return NetworkEventFactory(title="Befriending at a distance", starts_at=STARTS, capacity=2)


def test_places_are_given_until_the_capacity_then_the_waitlist(event):
    for n in range(1, 4):
        register(event, n)

    assert statuses(event) == [
        ("p1@example.org", "confirmed"),
        ("p2@example.org", "confirmed"),
        ("p3@example.org", "waitlisted"),
    ]
    assert kinds_to("p1@example.org") == ["network-event-place"]
    assert kinds_to("p3@example.org") == ["network-event-waitlisted"]
    waiting = OutgoingEmail.objects.get(to="p3@example.org")
    assert "you are on the waitlist, number 1." in waiting.body_text


def test_the_place_email_has_the_link_the_calendar_file_and_a_cancel_link(event):
    registration = register(event, 1)

    email = OutgoingEmail.objects.get(to="p1@example.org")
    assert email.subject == "Your place: Befriending at a distance"
    assert "When: Wednesday 19 March at 14:00 (UK time), for 1 hour" in email.body_text
    assert "Join the event: https://meet.example.org/sharing" in email.body_text
    assert f"Cancel your place: {cancel_url(registration)}" in email.body_text
    [attachment] = email.attachments.all()
    assert (attachment.filename, attachment.mimetype) == ("sharing-event.ics", "text/calendar")
    calendar = bytes(attachment.content).decode()
    assert f"UID:sharing-event-{event.pk}@127.0.0.1" in calendar
    assert "DTSTART;TZID=Europe/London:20310319T140000" in calendar


def test_the_same_address_again_is_the_same_registration_and_sends_nothing_more(event):
    first = register(event, 1)
    again = event_register(event=event, name="P One", organisation="C", email="P1@Example.org")

    assert again.pk == first.pk
    assert EventRegistration.objects.count() == 1
    assert kinds_to("p1@example.org") == ["network-event-place"]


def test_cancelling_a_place_moves_the_first_on_the_waitlist_up(client, event):
    first = register(event, 1)
    for n in range(2, 5):
        register(event, n)

    page = client.get(cancel_url(first))
    response = client.post(cancel_url(first))

    assert page.context["registration"] == first
    assert response.context["done"] is True
    assert statuses(event) == [
        ("p1@example.org", "cancelled"),
        ("p2@example.org", "confirmed"),
        ("p3@example.org", "confirmed"),
        ("p4@example.org", "waitlisted"),
    ]
    assert kinds_to("p3@example.org") == ["network-event-waitlisted", "network-event-place"]
    moved_up = OutgoingEmail.objects.filter(to="p3@example.org").order_by("pk").last()
    assert moved_up.body_text.startswith(
        "Dear Person 3,\n\nA place came free: you have moved up from the waitlist and have a place at"
    )
    # A second press changes nothing more.
    client.post(cancel_url(first))
    assert kinds_to("p4@example.org") == ["network-event-waitlisted"]


def test_leaving_the_waitlist_gives_nobody_a_place(client, event):
    for n in range(1, 4):
        register(event, n)
    waiting = EventRegistration.objects.get(email="p3@example.org")

    client.post(cancel_url(waiting))

    assert [status for _, status in statuses(event)] == ["confirmed", "confirmed", "cancelled"]


def test_more_places_go_to_the_waitlist_at_once(event):
    for n in range(1, 5):
        register(event, n)

    event.capacity = 3
    event_save(event=event)

    assert [status for _, status in statuses(event)] == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_a_new_time_raises_the_calendar_sequence(event):
    event.starts_at = STARTS + datetime.timedelta(hours=1)
    event_save(event=event)

    assert NetworkEvent.objects.get(pk=event.pk).sequence == 1


def test_no_registration_once_closed_or_started(event):
    event.registration_open = False
    event.save()
    with pytest.raises(RegistrationClosed):
        register(event, 1)

    event.registration_open = True
    event.save()
    with pytest.raises(RegistrationClosed):
        register(event, 1, now=STARTS)
    assert EventRegistration.objects.count() == 0


def test_the_reminder_goes_the_day_before_once(event):
    register(event, 1)
    register(event, 2)
    register(event, 3)  # waitlisted: no reminder

    reminders_dispatch(now=STARTS - datetime.timedelta(hours=25))
    assert OutgoingEmail.objects.filter(kind="network-event-reminder").count() == 0
    reminders_dispatch(now=STARTS - datetime.timedelta(hours=23))
    reminders_dispatch(now=STARTS - datetime.timedelta(hours=22))

    reminders = OutgoingEmail.objects.filter(kind="network-event-reminder").order_by("to")
    assert list(reminders.values_list("to", flat=True)) == ["p1@example.org", "p2@example.org"]
    assert "Join the event: https://meet.example.org/sharing" in reminders[0].body_text


# --- The public pages -------------------------------------------------------------------------------------------

FORM = {
    "name": "Rhian Jones",
    "organisation": "Cardiff Connects",
    "email": "rhian@example.org",
    "consent": "on",
}


def test_registering_on_the_page_stores_one_registration_and_makes_no_account(client, event):
    users = get_user_model().objects.count()
    url = reverse("learning:event", kwargs={"pk": event.pk})

    first = client.post(url, FORM)
    second = client.post(url, FORM)  # a double click

    thanks = reverse("learning:event_registered", kwargs={"pk": event.pk})
    assert (first.status_code, first["Location"]) == (302, thanks)
    assert (second.status_code, second["Location"]) == (302, thanks)
    assert list(EventRegistration.objects.values_list("name", "organisation", "status")) == [
        ("Rhian Jones", "Cardiff Connects", "confirmed")
    ]
    assert get_user_model().objects.count() == users


def test_a_bot_filling_the_honeypot_stores_nothing(client, event):
    response = client.post(reverse("learning:event", kwargs={"pk": event.pk}), {**FORM, "website": "spam"})

    assert response.status_code == 302
    assert EventRegistration.objects.count() == 0


def test_a_missing_name_is_said_next_to_it_and_keeps_what_was_typed(client, event):
    response = client.post(reverse("learning:event", kwargs={"pk": event.pk}), {**FORM, "name": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Enter your name."]}
    assert response.context["form"]["email"].value() == "rhian@example.org"


def test_too_many_posts_from_one_address_are_paused(client, event, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    url = reverse("learning:event", kwargs={"pk": event.pk})
    codes = [client.post(url, {**FORM, "email": f"r{n}@example.org"}).status_code for n in range(3)]

    assert codes == [302, 302, 429]


def test_an_unpublished_event_has_no_page(client, event):
    event.is_published = False
    event.save()

    assert client.get(reverse("learning:event", kwargs={"pk": event.pk})).status_code == 404
    assert client.get(reverse("learning:events")).context["events"] == []


@pytest.mark.parametrize(("count", "queries"), [(1, 1), (3, 1)])
def test_the_list_of_events_costs_the_same_whatever_its_length(
    client, db, count, queries, django_assert_num_queries
):
    for n in range(count):
        NetworkEventFactory(starts_at=STARTS + datetime.timedelta(days=n))
    NetworkEventFactory(starts_at=NOW - datetime.timedelta(days=1))  # over: not listed

    with django_assert_num_queries(queries):
        response = client.get(reverse("learning:events"))

    assert len(response.context["events"]) == count


def test_a_forged_cancel_link_is_not_found(client, event):
    url = reverse("learning:event_cancel", kwargs={"token": "forged"})

    assert client.get(url).status_code == 404


# --- Staff ------------------------------------------------------------------------------------------------------


def test_staff_publish_an_event_in_uk_time(client, db):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(
        reverse("learning:event_create"),
        {
            "title": "Stories from group 1",
            "description": "What we learnt.",
            "date": "2031-04-02",
            "start_time": "14:00",
            "duration_minutes": 90,
            "video_link": "https://meet.example.org/g1",
            "capacity": 30,
            "registration_open": "on",
            "is_published": "on",
        },
    )

    event = NetworkEvent.objects.get()
    assert response["Location"] == reverse("learning:event_edit", kwargs={"pk": event.pk})
    # British Summer Time: 14:00 in London is 13:00 UTC.
    assert (event.starts_at, event.duration_minutes, event.created_by) == (
        datetime.datetime(2031, 4, 2, 13, 0, tzinfo=UTC),
        90,
        staff,
    )


def test_staff_cannot_make_fewer_places_than_people_hold(client, event):
    register(event, 1)
    register(event, 2)
    client.force_login(StaffFactory())
    response = client.post(
        reverse("learning:event_edit", kwargs={"pk": event.pk}),
        {
            "title": event.title,
            "description": event.description,
            "date": "2031-03-19",
            "start_time": "14:00",
            "duration_minutes": 60,
            "video_link": event.video_link,
            "capacity": 1,
            "registration_open": "on",
            "is_published": "on",
        },
    )

    assert response.context["form"].errors == {
        "capacity": ["2 people have a place already: keep at least 2 places, or ask some to cancel."]
    }
    assert NetworkEvent.objects.get(pk=event.pk).capacity == 2


# --- Never over capacity, even under concurrent posts (PostgreSQL's row lock) ------------------------------------


@pytest.mark.postgres
def test_simultaneous_registrations_never_exceed_the_capacity(transactional_db):
    event = NetworkEventFactory(starts_at=STARTS, capacity=2)
    people = 6
    barrier = threading.Barrier(people)
    errors = []

    def post(n):
        try:
            barrier.wait()
            register(event, n, now=NOW)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    taken = sorted(EventRegistration.objects.values_list("status", flat=True))
    assert taken == ["confirmed"] * 2 + ["waitlisted"] * 4
    assert OutgoingEmail.objects.filter(kind="network-event-place").count() == 2


# --- How long it is kept ----------------------------------------------------------------------------------------


def test_registrations_are_anonymised_and_unconfirmed_sign_ups_deleted_after_the_retention_period(
    event, settings
):
    from cohort_site.core.retention import retention_enforce
    from cohort_site.mail.services import opt_out_record
    from learning.models import DigestSubscriber
    from learning.network.services import digest_confirm, digest_subscribe

    register(event, 1)
    digest_subscribe(email="waiting@example.org")
    digest_confirm(subscriber=digest_subscribe(email="gone@example.org"))
    digest_confirm(subscriber=digest_subscribe(email="reader@example.org"))
    opt_out_record(email="gone@example.org", kind="network-digest")
    period = settings.RECRUITMENT_RETENTION

    retention_enforce(
        now=NOW + period
    )  # exactly at the end of the sign-ups' period: kept; the event is later
    assert EventRegistration.objects.get().name == "Person 1"
    assert DigestSubscriber.objects.count() == 3

    [(_, counts)] = [
        (rule, c)
        for rule, c in retention_enforce(now=STARTS + period + datetime.timedelta(days=1))
        if rule.key == "network"
    ]

    assert counts == {
        "sharing event registrations": 1,
        "digest sign-ups never confirmed": 1,
        "digest subscribers who unsubscribed": 1,
    }
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.organisation, registration.status) == (
        "Erased person",
        "",
        "confirmed",
    )
    assert registration.email.endswith("@erased.invalid")
    assert list(DigestSubscriber.objects.values_list("email", flat=True)) == ["reader@example.org"]


# --- A member proposes, staff publish -------------------------------------------------------------------------

PROPOSAL = {
    "title": "Walking groups that last",
    "description": "Group 1's stories.",
    "date": "2031-04-02",
    "start_time": "14:00",
    "duration_minutes": 60,
    "video_link": "https://meet.example.org/walk",
    "capacity": 25,
}


def test_a_member_proposes_an_event_and_it_waits_for_staff_to_publish_it(client, db):
    from tests.factories import MemberFactory

    member = MemberFactory(name="Ada Member")
    client.force_login(member.user)
    response = client.post(reverse("learning:event_propose"), PROPOSAL)

    event = NetworkEvent.objects.get()
    assert response["Location"] == reverse("learning:event_propose")
    assert (event.title, event.is_published, event.proposed_by, event.capacity) == (
        "Walking groups that last",
        False,
        member.user,
        25,
    )
    assert client.get(reverse("learning:events")).context["events"] == []
    assert client.get(event.get_absolute_url()).status_code == 404

    client.force_login(StaffFactory())
    client.post(
        reverse("learning:event_edit", kwargs={"pk": event.pk}),
        {**PROPOSAL, "registration_open": "on", "is_published": "on"},
    )

    assert client.get(reverse("learning:events")).context["events"] == [event]


def test_only_members_propose_events(client, db):
    from tests.factories import ApplicationFactory, UserFactory

    applicant = ApplicationFactory(user=UserFactory())
    client.force_login(applicant.user)

    assert client.get(reverse("learning:event_propose")).status_code == 404
    assert client.post(reverse("learning:event_propose"), PROPOSAL).status_code == 404
    assert NetworkEvent.objects.count() == 0


def test_a_proposal_waits_on_the_managers_dashboard_until_published(client, db):
    from cohort_site.dashboards.selectors import manager_actions
    from tests.factories import MemberFactory

    event = NetworkEventFactory(proposed_by=MemberFactory().user, is_published=False)

    assert [(a.count, a.label) for a in manager_actions(now=NOW)] == [
        (1, "sharing events proposed by members, waiting for you to publish")
    ]
    event.is_published = True
    event.save()
    assert manager_actions(now=NOW) == []


def test_an_event_that_has_taken_place_can_still_be_unpublished(client, event):
    with time_machine.travel(STARTS + datetime.timedelta(days=1), tick=False):
        client.force_login(StaffFactory())
        response = client.post(
            reverse("learning:event_edit", kwargs={"pk": event.pk}),
            {
                "title": event.title,
                "description": event.description,
                "date": "2031-03-19",
                "start_time": "14:00",
                "duration_minutes": 60,
                "video_link": event.video_link,
                "capacity": 2,
                "registration_open": "on",
            },
        )

    assert response["Location"] == reverse("learning:event_edit", kwargs={"pk": event.pk})
    event.refresh_from_db()
    assert (event.is_published, event.starts_at) == (False, STARTS)
