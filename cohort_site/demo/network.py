"""The network side of the demo: an upcoming sharing event with places taken and a waitlist, and the monthly
digest's subscribers (two confirmed, one still to confirm), so the events and digest pages have something in them.

Made through the real services (registration, subscription, confirmation), so their emails are in the outbox too.
"""

import datetime
import zoneinfo

from django.utils import timezone

from learning.models import NetworkEvent
from learning.network.services import digest_confirm, digest_subscribe, event_register, event_save

EVENT_TITLE = "Keeping the connections we made: stories from the pilot group"
EVENT_DESCRIPTION = (
    "An hour for the wider Connection Coalition network: members of the pilot group share what they have "
    "learnt about keeping volunteers and neighbours connected after lockdown, then take **your questions**.\n\n"
    "- Small, regular contact matters more than big events\n- Asking people what they would like to give"
)
EVENT_JOIN_URL = "https://meet.example.org/connection-coalition-sharing"
EVENT_CAPACITY = 4
# (name, organisation, email): the first EVENT_CAPACITY have places, the rest are on the waitlist, in order.
REGISTRANTS = [
    ("Grace Mensah", "Sheffield Community Links", "grace@example.org"),
    ("Hamid Rahimi", "Bradford Welcome Hub", "hamid@example.org"),
    ("Isla Campbell", "Glasgow Lunch Clubs", "isla@example.org"),
    ("Jonah Price", "Swansea Tenants Together", "jonah@example.org"),
    ("Kemi Ade", "Croydon Carers Circle", "kemi@example.org"),
    ("Liam Doyle", "Newry Neighbours", "liam@example.org"),
]
# The digest: two confirmed subscribers and one who has not confirmed yet.
SUBSCRIBERS_CONFIRMED = ["news@sheffieldlinks.example.org", "team@tenantstogether.example.org"]
SUBSCRIBER_PENDING = "hello@lunchclubs.example.org"


def event_start(now: datetime.datetime) -> datetime.datetime:
    """Wednesday 14:00 UK time, two or three weeks ahead (at least 15 days away, so no reminder is due yet)."""
    london = zoneinfo.ZoneInfo("Europe/London")
    day = timezone.localtime(now, london).date() + datetime.timedelta(days=15)
    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
    return datetime.datetime.combine(day, datetime.time(14), tzinfo=london)


def network_seed(*, manager, now: datetime.datetime | None = None) -> tuple[NetworkEvent, bool]:
    """The demo's sharing event and digest subscribers, once; returns the event and whether it was made now."""
    existing = NetworkEvent.objects.filter(title=EVENT_TITLE).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    event = event_save(
        event=NetworkEvent(
            title=EVENT_TITLE,
            description=EVENT_DESCRIPTION,
            starts_at=event_start(now),
            duration_minutes=60,
            video_link=EVENT_JOIN_URL,
            capacity=EVENT_CAPACITY,
        ),
        by=manager,
        now=now,
    )
    for minutes, (name, organisation, email) in enumerate(REGISTRANTS):
        # A minute apart, so the waitlist has a clear order.
        at = now - datetime.timedelta(minutes=len(REGISTRANTS) - minutes)
        event_register(event=event, name=name, organisation=organisation, email=email, now=at)
    for email in SUBSCRIBERS_CONFIRMED:
        digest_confirm(subscriber=digest_subscribe(email=email, now=now), now=now)
    digest_subscribe(email=SUBSCRIBER_PENDING, now=now)
    return event, True
