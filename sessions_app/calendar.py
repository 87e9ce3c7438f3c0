"""Calendars: iCalendar files for invites (iTIP REQUEST / CANCEL) and each member's private feed.

A member's feed is composed of *event sources*: functions that take a user and return `CalendarEvent`s.
The schedule registers its sessions here; other apps add theirs (coffee catch-up windows, say) with

    from sessions_app.calendar import CalendarEvent, calendar_source

    @calendar_source("coffee-catch-ups")
    def catch_up_windows(user): ...

in a module named `calendar_sources.py`, which this app loads at start-up (see apps.py).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
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


EventSource = Callable[[object], Iterable[CalendarEvent]]
_SOURCES: dict[str, EventSource] = {}


def calendar_source(name: str) -> Callable[[EventSource], EventSource]:
    """Register a function user → events for every member's private feed."""

    def register(function: EventSource) -> EventSource:
        _SOURCES[name] = function
        return function

    return register


def calendar_sources() -> dict[str, EventSource]:
    return dict(_SOURCES)


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cohort-site"


def build_calendar(
    events: Iterable[CalendarEvent], *, method: str | None = None, name: str = "", now=None
) -> bytes:
    """An iCalendar file with a VTIMEZONE for every TZID used. `method` is REQUEST or CANCEL for invites
    (RFC 5546) and None for a subscribed feed."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    events = list(events)
    for item in events:
        calendar.add_component(_event(item, method=method, now=now))
    if events:
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


def _event(item: CalendarEvent, *, method: str | None, now) -> Event:
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
    event.add("status", "CANCELLED" if item.cancelled or method == "CANCEL" else "CONFIRMED")
    if item.organizer:
        event.add("organizer", _address(*item.organizer))
    for attendee in item.attendees:
        event.add(
            "attendee",
            _address(*attendee, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"),
        )
    return event


def member_calendar(user) -> bytes:
    """The user's private feed: every registered source's events, in start order."""
    events: list[CalendarEvent] = []
    for _, source in sorted(_SOURCES.items()):
        events.extend(source(user))
    events.sort(key=lambda item: (item.starts_at, item.uid))
    return build_calendar(events, name=f"Connection Coalition: {user.get_short_name()}")


# --- The schedule's own events -------------------------------------------------------------------------


def session_uid(session) -> str:
    return f"session-{session.pk}@{uid_domain()}"


def session_event(
    session, *, attendee: tuple[str, str] | None = None, schedule_link: bool = True
) -> CalendarEvent:
    """A session as an event. `attendee` (name, email) makes it an invitation addressed to that person;
    guests, who have no schedule page, get no `schedule_link`."""
    programme = session.cohort.programme
    lines = []
    if session.topic:
        lines.append(f"Topic: {session.topic}")
    if session.join_url:
        lines.append(f"Join: {session.join_url}")
    if session.venue:
        lines.append(f"Venue: {session.venue}")
    if session.agenda:
        lines.extend(["", session.agenda])
    if schedule_link:
        lines.extend(["", f"Your schedule: {settings.SITE_URL}{reverse('sessions:my_schedule')}"])
    return CalendarEvent(
        uid=session_uid(session),
        summary=f"{session.title} · {programme.title}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        tzid=programme.timezone,
        sequence=session.sequence,
        description="\n".join(lines).strip(),
        location=session.venue or session.join_url,
        url=session.join_url,
        cancelled=session.is_cancelled,
        organizer=(programme.contact_name, programme.contact_email),
        attendees=(attendee,) if attendee else (),
    )


@calendar_source("sessions")
def member_sessions(user) -> list[CalendarEvent]:
    from .selectors import sessions_for_member

    return [session_event(session) for session in sessions_for_member(user)]
