"""iCalendar files: events written in their own zone's local time, with a VTIMEZONE for every TZID used.

Apps turn their things into `CalendarEvent`s and call `build_calendar`: the schedule for invitations and each
member's feed (sessions_app/calendar.py, where coffee pairs plug in), recruitment for drop-ins (applications/ics.py).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Connection Coalition//cohort_site//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event, independent of where it came from. Times are aware; they are written in `tzid`'s local time."""

    uid: str
    summary: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    tzid: str = "Europe/London"
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    organizer: tuple[str, str] | None = None  # (name, email)
    attendees: tuple[tuple[str, str], ...] = ()  # ((name, email), …)


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cohort-site"


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    method: str | None = None,
    name: str = "",
    now=None,
    calscale: bool = True,
    statuses: bool = True,
    zones_around_events: bool = True,
) -> bytes:
    """An iCalendar file with a VTIMEZONE for every TZID used. `method` is REQUEST or CANCEL for invites
    (RFC 5546), PUBLISH for a file to add once, and None for a subscribed feed.

    Drop-in files were written without CALSCALE and STATUS and with VTIMEZONEs over the library's default
    1970-2038, and are kept byte for byte as they were: they pass `calscale`, `statuses` and
    `zones_around_events` as False. Otherwise the zones cover a year either side of the events."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if calscale:
        calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    events = list(events)
    for item in events:
        calendar.add_component(_event(item, method=method, now=now, status=statuses))
    if not zones_around_events:
        calendar.add_missing_timezones()
    elif events:
        first = min(item.starts_at for item in events).date() - datetime.timedelta(days=366)
        last = max(item.ends_at for item in events).date() + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _address(name: str, email: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def _event(item: CalendarEvent, *, method: str | None, now, status: bool) -> Event:
    tz = zoneinfo.ZoneInfo(item.tzid)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", item.starts_at.astimezone(tz))
    event.add("dtend", item.ends_at.astimezone(tz))
    event.add("sequence", item.sequence)
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    if status:
        event.add("status", "CANCELLED" if item.cancelled or method == "CANCEL" else "CONFIRMED")
    if item.organizer:
        event.add("organizer", _address(*item.organizer))
    for attendee in item.attendees:
        event.add(
            "attendee",
            _address(*attendee, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"),
        )
    return event
