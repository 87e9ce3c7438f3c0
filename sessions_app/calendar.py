"""The schedule's calendars: iCalendar invites (iTIP REQUEST / CANCEL) and each member's private feed.

A member's feed is composed of *event sources*: functions that take a user and return `CalendarEvent`s.
The schedule registers its sessions here; other apps add theirs (coffee catch-up windows, say) with

    from cohort_site.core.calendar import CalendarEvent
    from sessions_app.calendar import calendar_source

    @calendar_source("coffee-catch-ups")
    def catch_up_windows(user): ...

in a module named `calendar_sources.py`, which this app loads at start-up (see apps.py). Building the files
themselves is shared with recruitment's drop-ins, in cohort_site/core/calendar.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse

from cohort_site.core.calendar import CalendarEvent, build_calendar, uid_domain

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
    session,
    *,
    attendee: tuple[str, str] | None = None,
    schedule_link: bool = True,
    join_link: str = "",
) -> CalendarEvent:
    """A session as an event. `attendee` (name, email) makes it an invitation addressed to that person;
    guests, who have no schedule page, get no `schedule_link`. A member's `join_link` (sessions_app/join_links.py)
    stands in for the video link, so a changed video link reaches them through it; guests get the video link."""
    programme = session.cohort.programme
    link = (join_link or session.join_url) if session.join_url else ""
    lines = []
    if session.topic:
        lines.append(f"Topic: {session.topic}")
    if link:
        lines.append(f"Join: {link}")
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
        location=session.venue or link,
        url=link,
        cancelled=session.is_cancelled,
        organizer=(programme.contact_name, programme.contact_email),
        attendees=(attendee,) if attendee else (),
    )


@calendar_source("sessions")
def member_sessions(user) -> list[CalendarEvent]:
    from applications.selectors import memberships_of

    from .join_links import join_url
    from .selectors import sessions_for_member

    links = {}
    for member in memberships_of(user):
        member.user = user
        links[member.cohort_id] = join_url(member)
    return [
        session_event(session, join_link=links.get(session.cohort_id, ""))
        for session in sessions_for_member(user)
    ]
