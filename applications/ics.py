"""Calendar files for drop-ins, so people can put them in their diary from the confirmation email."""

import datetime
from collections.abc import Iterable

from django.conf import settings

from cohort_site.core.calendar import CalendarEvent, build_calendar

from .models import DropIn


def drop_in_uid(drop_in: DropIn) -> str:
    # Not core's uid_domain(): for an address with capitals or a user@ part the two differ, and a changed UID
    # would put the drop-in in people's diaries twice.
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "cohort_site"
    return f"drop-in-{drop_in.pk}@{host}"


def drop_in_event(drop_in: DropIn) -> CalendarEvent:
    programme = drop_in.programme
    return CalendarEvent(
        uid=drop_in_uid(drop_in),
        summary=f"Drop-in Q&A: {programme.title}",
        starts_at=drop_in.starts_at,
        ends_at=drop_in.ends_at,
        tzid=programme.timezone,
        description=f"Find out more and ask questions, with {drop_in.host_name}.\nJoin: {drop_in.join_url}",
        location=drop_in.join_url,
        url=drop_in.join_url,
    )


def drop_ins_calendar(drop_ins: Iterable[DropIn], *, now: datetime.datetime | None = None) -> bytes:
    """A VCALENDAR with one event per drop-in, in the programme's local time (TZID with its VTIMEZONE)."""
    return build_calendar(
        [drop_in_event(drop_in) for drop_in in drop_ins],
        method="PUBLISH",
        now=now,
        calscale=False,
        statuses=False,
        zones_around_events=False,
    )
