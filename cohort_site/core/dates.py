"""Moments and dates as people read them: converted to a programme's or a person's time zone, then written in one
of a few shapes. Each page keeps the shape it has always shown (emails say "at 14:00", subjects "…, 14:00").

A date carries its year when it is not this year ("Monday 4 January 2027" read in December 2026, "Monday 4 January"
in January): `local_text` and `date_text` add it, and templates use the `when` filter (core/templatetags), which
calls them, rather than Django's `date` filter."""

import datetime
import zoneinfo

from django.utils import timezone

DAY = "%A %-d %B"  # Wednesday 21 July
DAY_YEAR = "%A %-d %B %Y"  # Wednesday 21 July 2021
DAY_TIME = "%A %-d %B, %H:%M"  # Wednesday 21 July, 14:00
DAY_AT_TIME = "%A %-d %B at %H:%M"  # Wednesday 21 July at 14:00
CLOCK = "%-H:%M"  # 9:00
ISO_DAY = "%Y-%m-%d"  # 2021-07-21, for spreadsheets
ISO_MINUTE = "%Y-%m-%d %H:%M"  # 2021-07-21 14:00, for spreadsheets
DATE = "%-d %B"  # 21 July
DAY_CLOCK = "%A %-d %B, %-H:%M"  # Wednesday 21 July, 9:00
SHORT_DAY_TIME = "%a %-d %b, %H:%M"  # Wed 21 Jul, 14:00 (tables)
SHORT_DAY = "%a %-d %b"  # Wed 21 Jul (lists)

# The shapes templates ask for by name: {{ session.starts_at|when:"day_time" }}.
SHAPES = {
    "day": DAY,
    "day_time": DAY_TIME,
    "day_at_time": DAY_AT_TIME,
    "day_clock": DAY_CLOCK,
    "date": DATE,
    "short": SHORT_DAY_TIME,
    "short_day": SHORT_DAY,
    "clock": CLOCK,
}


def with_year(shape: str, year: int, today: datetime.date) -> str:
    """`shape`, with the year after the month when `year` is not this year (unless it has one already)."""
    if year == today.year or "%Y" in shape:
        return shape
    for month in ("%B", "%b"):
        if month in shape:
            return shape.replace(month, f"{month} %Y", 1)
    return shape


COLUMN_DAY_TIME = "%-d %b %Y, %H:%M"  # 21 Jul 2021, 14:00, for a column of dates


def local(moment: datetime.datetime, zone: zoneinfo.ZoneInfo | str | None) -> datetime.datetime:
    """`moment` in `zone` (a ZoneInfo or its name; None for the site's TIME_ZONE)."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return timezone.localtime(moment, zone)


def local_text(moment: datetime.datetime | None, zone: zoneinfo.ZoneInfo | str | None, shape: str) -> str:
    """`moment` in `zone`, written in `shape` (one of the constants above); empty when there is no moment."""
    if moment is None:
        return ""
    moment = local(moment, zone)
    return moment.strftime(with_year(shape, moment.year, timezone.localdate(timezone=moment.tzinfo)))


def date_text(day: datetime.date | None, shape: str = DATE) -> str:
    """A calendar date (the week of a first session, the day an expense was spent) in `shape`, with its year
    when it is not this year; empty when there is none."""
    if day is None:
        return ""
    return day.strftime(with_year(shape, day.year, timezone.localdate()))


# The zones people in a UK programme are most likely to be in, first in the profile's list, with the names
# people call them by (never "Europe/London" or "GMT"); a zone not listed is named by its city ("Tokyo time").
LIKELY_ZONES = [
    ("Europe/London", "UK", "UK time"),
    ("Europe/Dublin", "Irish", "Irish time"),
    ("Europe/Paris", "Central European", "Central European time (Paris, Berlin, Madrid, Rome)"),
    ("Europe/Athens", "Eastern European", "Eastern European time (Athens, Helsinki, Bucharest)"),
    ("America/New_York", "US Eastern", "US Eastern time (New York)"),
    ("America/Chicago", "US Central", "US Central time (Chicago)"),
    ("America/Los_Angeles", "US Pacific", "US Pacific time (Los Angeles)"),
    ("Asia/Kolkata", "India", "India time"),
    ("Australia/Sydney", "Australian Eastern", "Australian Eastern time (Sydney)"),
]
ZONE_LABELS = {key: label for key, label, _ in LIKELY_ZONES} | {
    "Europe/Belfast": "UK",
    "Europe/Berlin": "Central European",
    "Europe/Madrid": "Central European",
    "Europe/Rome": "Central European",
    "Europe/Amsterdam": "Central European",
    "Europe/Brussels": "Central European",
    "Europe/Helsinki": "Eastern European",
}


def zone_label(name: str) -> str:
    """How a zone is named before "time" in a sentence ("9:00 UK time", "Central European time"): its common
    name, or else its city ("America/Argentina/Buenos_Aires" is "Buenos Aires")."""
    return ZONE_LABELS.get(name) or name.rsplit("/", 1)[-1].replace("_", " ")


def zone_name(name: str) -> str:
    """A zone as people say it: "UK time", "US Eastern time", "Tokyo time"."""
    return f"{zone_label(name)} time"
