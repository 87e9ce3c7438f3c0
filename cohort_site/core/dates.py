"""Moments as people read them: converted to a programme's or a person's time zone, then written in one of a
few shapes. Each page keeps the shape it has always shown (emails say "at 14:00", subjects "…, 14:00")."""

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
SHORT_DAY_TIME = "%-d %b %Y, %H:%M"  # 21 Jul 2021, 14:00, for a column of dates


def local(moment: datetime.datetime, zone: zoneinfo.ZoneInfo | str | None) -> datetime.datetime:
    """`moment` in `zone` (a ZoneInfo or its name; None for the site's TIME_ZONE)."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return timezone.localtime(moment, zone)


def local_text(moment: datetime.datetime | None, zone: zoneinfo.ZoneInfo | str | None, shape: str) -> str:
    """`moment` in `zone`, written in `shape` (one of the constants above); empty when there is no moment."""
    if moment is None:
        return ""
    return local(moment, zone).strftime(shape)


def zone_label(name: str) -> str:
    """How a zone is named in a sentence ("9:00 UK time"): UK for Europe/London, otherwise its name."""
    return "UK" if name == "Europe/London" else name
