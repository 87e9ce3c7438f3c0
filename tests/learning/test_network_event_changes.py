"""Issue 23's follow-ups for sharing events: a change of time, length or link reaches everyone with a place once
with the calendar update (same UID, SEQUENCE up); a registrant's own cancelling comes with a calendar
cancellation; staff cancelling an event tell everyone registered once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from learning.models import EventRegistration, NetworkEvent
from learning.network.links import cancel_url
from learning.network.selectors import digest_contents, events_upcoming
from learning.network.services import (
    RegistrationClosed,
    event_cancel,
    event_register,
    event_save,
    registration_cancel,
)
from tests.factories import NetworkEventFactory, StaffFactory

# The same moment as the registration tests (`at_now` is autouse: every test here runs at NOW).
from tests.learning.test_network_events import NOW, STARTS, at_now, kinds_to  # noqa: F401


@pytest.fixture
def event(db):
    """Two places taken and one person waiting."""
    event = NetworkEventFactory(title="Befriending at a distance", starts_at=STARTS, capacity=2)
    for n in range(1, 4):
        event_register(
            event=event, name=f"Person {n}", organisation=f"Charity {n}", email=f"p{n}@example.org"
        )
    return event


def last_to(email: str) -> OutgoingEmail:
    return OutgoingEmail.objects.filter(to=email).order_by("pk").last()


def calendar_of(email: OutgoingEmail) -> str:
    [attachment] = email.attachments.all()
    assert (attachment.filename, attachment.mimetype) == ("sharing-event.ics", "text/calendar")
    return bytes(attachment.content).decode()


def fresh(event) -> NetworkEvent:
    return NetworkEvent.objects.get(pk=event.pk)


def test_a_new_time_emails_everyone_with_a_place_once_with_the_calendar_update(event):
    event.starts_at = STARTS + datetime.timedelta(hours=1)
    event_save(event=event)

    assert kinds_to("p1@example.org") == ["network-event-place", "network-event-update"]
    assert kinds_to("p2@example.org") == ["network-event-place", "network-event-update"]
    assert kinds_to("p3@example.org") == ["network-event-waitlisted"]
    update = last_to("p1@example.org")
    registration = EventRegistration.objects.get(email="p1@example.org")
    assert update.key == f"network-event-update:{registration.pk}:1"
    assert update.subject == "Updated: Befriending at a distance"
    assert "When: Wednesday 19 March at 15:00 (UK time), for 1 hour" in update.body_text
    assert f"Cancel your place: {cancel_url(registration)}" in update.body_text
    calendar = calendar_of(update)
    assert "METHOD:PUBLISH" in calendar
    assert f"UID:sharing-event-{event.pk}@127.0.0.1" in calendar
    assert "SEQUENCE:1\r\n" in calendar
    assert "DTSTART;TZID=Europe/London:20310319T150000" in calendar


def test_a_new_length_or_link_sends_one_update_per_sequence(event):
    event.duration_minutes = 90
    event_save(event=event)
    event.video_link = "https://meet.example.org/another-room"
    event_save(event=event)

    keys = list(
        OutgoingEmail.objects.filter(to="p1@example.org", kind="network-event-update")
        .order_by("pk")
        .values_list("key", flat=True)
    )
    registration = EventRegistration.objects.get(email="p1@example.org")
    assert keys == [f"network-event-update:{registration.pk}:1", f"network-event-update:{registration.pk}:2"]
    latest = last_to("p1@example.org")
    assert "When: Wednesday 19 March at 14:00 (UK time), for 1 hour 30 minutes" in latest.body_text
    assert "Join the event: https://meet.example.org/another-room" in latest.body_text
    assert "SEQUENCE:2\r\n" in calendar_of(latest)


def test_a_second_save_without_a_change_sends_nothing(event):
    event.starts_at = STARTS + datetime.timedelta(hours=1)
    event_save(event=event)
    count = OutgoingEmail.objects.count()

    event = fresh(event)
    event_save(event=event)
    event.title = "Befriending at a distance, together"
    event.capacity = 2
    event_save(event=event)

    assert OutgoingEmail.objects.count() == count
    assert fresh(event).sequence == 1


def test_the_staff_form_changing_the_link_sends_the_update(client, event):
    client.force_login(StaffFactory())
    form = {
        "title": event.title,
        "description": event.description,
        "date": "2031-03-19",
        "start_time": "14:00",
        "duration_minutes": 60,
        "video_link": "https://meet.example.org/new-room",
        "capacity": 2,
        "registration_open": "on",
        "is_published": "on",
    }
    response = client.post(reverse("learning:event_edit", kwargs={"pk": event.pk}), form)
    again = client.post(reverse("learning:event_edit", kwargs={"pk": event.pk}), form)

    assert (response.status_code, response.url) == (
        302,
        reverse("learning:event_edit", kwargs={"pk": event.pk}),
    )
    assert again.status_code == 302
    assert fresh(event).video_link == "https://meet.example.org/new-room"
    assert OutgoingEmail.objects.filter(kind="network-event-update").count() == 2


def test_a_registrant_cancelling_gets_a_calendar_cancellation(client, event):
    registration = EventRegistration.objects.get(email="p1@example.org")

    client.post(cancel_url(registration))
    client.post(cancel_url(registration))

    assert kinds_to("p1@example.org") == ["network-event-place", "network-event-left"]
    left = last_to("p1@example.org")
    assert left.subject == "Cancelled: your place at Befriending at a distance"
    assert left.body_text.startswith(
        'Dear Person 1,\n\nYou have cancelled your place at "Befriending at a distance" (Wednesday 19 March at '
        "14:00, UK time)."
    )
    calendar = calendar_of(left)
    assert "METHOD:CANCEL" in calendar
    assert f"UID:sharing-event-{event.pk}@127.0.0.1" in calendar
    assert "STATUS:CANCELLED" in calendar
    # The place went to the person waiting.
    assert kinds_to("p3@example.org") == ["network-event-waitlisted", "network-event-place"]


def test_leaving_the_waitlist_is_confirmed_without_a_calendar_file(event):
    registration_cancel(registration=EventRegistration.objects.get(email="p3@example.org"))

    left = last_to("p3@example.org")
    assert (left.kind, left.subject) == (
        "network-event-left",
        "Cancelled: your waitlist place at Befriending at a distance",
    )
    assert list(left.attachments.all()) == []


def test_staff_cancelling_an_event_tell_everyone_registered_once(event):
    registration_cancel(registration=EventRegistration.objects.get(email="p2@example.org"))
    event_register(event=event, name="Person 4", organisation="Charity 4", email="p4@example.org")
    before = {email: kinds_to(email) for email in ("p1@example.org", "p2@example.org")}

    event_cancel(event=event, by=StaffFactory())
    event_cancel(event=event)

    cancelled = fresh(event)
    assert (cancelled.cancelled_at, cancelled.registration_open, cancelled.sequence) == (NOW, False, 1)
    assert kinds_to("p1@example.org") == [*before["p1@example.org"], "network-event-cancelled"]
    assert kinds_to("p2@example.org") == before["p2@example.org"]  # had cancelled already: told nothing
    assert kinds_to("p4@example.org") == ["network-event-waitlisted", "network-event-cancelled"]
    with_place = last_to("p1@example.org")
    assert with_place.subject == "Cancelled: Befriending at a distance"
    calendar = calendar_of(with_place)
    assert "METHOD:CANCEL" in calendar
    assert "SEQUENCE:1\r\n" in calendar
    assert list(last_to("p4@example.org").attachments.all()) == []
    # The registrations keep their statuses, for the numbers.
    assert list(EventRegistration.objects.order_by("pk").values_list("status", flat=True)) == [
        "confirmed",
        "cancelled",
        "confirmed",
        "waitlisted",
    ]


def test_a_cancelled_event_takes_no_registrations_reminders_or_changes_emails(client, event):
    event_cancel(event=event)
    count = OutgoingEmail.objects.count()

    with pytest.raises(RegistrationClosed):
        event_register(event=event, name="Late", organisation="C", email="late@example.org")
    client.post(cancel_url(EventRegistration.objects.get(email="p1@example.org")))
    event = fresh(event)
    event.starts_at = STARTS + datetime.timedelta(hours=2)
    event_save(event=event)
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        reminders_dispatch()

    assert OutgoingEmail.objects.count() == count
    assert list(events_upcoming()) == []
    assert digest_contents().events == []
    page = client.get(event.get_absolute_url())
    assert page.context["is_open"] is False
    assert "This event has been cancelled." in page.content.decode()


def test_staff_see_who_will_be_told_then_cancel_with_one_post(client, event):
    client.force_login(StaffFactory())
    url = reverse("learning:event_call_off", kwargs={"pk": event.pk})

    page = client.get(url)
    response = client.post(url)
    again = client.post(url)

    assert page.context["emailed"] == [
        "2 people with a place: the cancellation, with a calendar file that takes the event out of their "
        "calendar.",
        "1 person on the waitlist: the cancellation.",
    ]
    assert (response.status_code, response.url) == (
        302,
        reverse("learning:event_edit", kwargs={"pk": event.pk}),
    )
    assert again.status_code == 302
    assert OutgoingEmail.objects.filter(kind="network-event-cancelled").count() == 3


def test_an_event_that_has_started_cannot_be_cancelled(event):
    with pytest.raises(ValueError, match="has started"):
        event_cancel(event=event, now=STARTS)

    assert fresh(event).cancelled_at is None
    assert OutgoingEmail.objects.filter(kind="network-event-cancelled").count() == 0


def test_correcting_an_event_that_is_over_emails_nobody(event):
    with time_machine.travel(STARTS + datetime.timedelta(hours=2), tick=False):
        event.video_link = "https://meet.example.org/recording"
        event_save(event=event)

    assert fresh(event).sequence == 1
    assert OutgoingEmail.objects.filter(kind="network-event-update").count() == 0


def test_staff_see_a_cancelled_event_marked_in_their_list(client, event):
    event_cancel(event=event)
    client.force_login(StaffFactory())

    page = client.get(reverse("learning:events_manage"))

    assert [e.cancelled_at for e in page.context["events"]] == [NOW]
    assert page.content.decode().count("Cancelled") == 1
