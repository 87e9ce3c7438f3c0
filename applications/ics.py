"""Calendar files for drop-ins, so people can put them in their diary from the confirmation email."""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import DropIn

PRODID = "-//Connection Coalition//cohort_site//EN"


def drop_in_uid(drop_in: DropIn) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "cohort_site"
    return f"drop-in-{drop_in.pk}@{host}"


def drop_ins_calendar(drop_ins: Iterable[DropIn], *, now: datetime.datetime | None = None) -> bytes:
    """A VCALENDAR with one event per drop-in, in the programme's local time (TZID with its VTIMEZONE)."""
    now = now or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for drop_in in drop_ins:
        programme = drop_in.programme
        event = icalendar.Event()
        event.add("uid", drop_in_uid(drop_in))
        event.add("sequence", 0)
        event.add("dtstamp", now.astimezone(datetime.UTC))
        event.add("dtstart", timezone.localtime(drop_in.starts_at, programme.tz))
        event.add("dtend", timezone.localtime(drop_in.ends_at, programme.tz))
        event.add("summary", f"Drop-in Q&A: {programme.title}")
        event.add(
            "description",
            f"Find out more and ask questions, with {drop_in.host_name}.\nJoin: {drop_in.join_url}",
        )
        event.add("location", drop_in.join_url)
        event.add("url", drop_in.join_url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
