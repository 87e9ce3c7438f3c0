import datetime

import icalendar

from cohort_site.core.calendar import PRODID, CalendarEvent, build_calendar

UTC = datetime.UTC
NOW = datetime.datetime(2021, 7, 1, 9, 0, tzinfo=UTC)
TALK = CalendarEvent(
    uid="talk-1@test",
    summary="Talk",
    starts_at=datetime.datetime(2021, 7, 14, 14, 0, tzinfo=UTC),
    ends_at=datetime.datetime(2021, 7, 14, 15, 0, tzinfo=UTC),
    tzid="Europe/Paris",
)


def test_feed_writes_local_time_with_its_zone_a_year_either_side():
    calendar = icalendar.Calendar.from_ical(build_calendar([TALK], name="Feed", now=NOW))

    [event] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert (
        str(calendar["PRODID"]),
        str(calendar["CALSCALE"]),
        str(calendar["X-WR-CALNAME"]),
        "METHOD" in calendar,
        event["DTSTART"].to_ical(),
        event["DTSTART"].params["TZID"],
        str(event["STATUS"]),
        str(zone["TZID"]),
        "1970" in str(zone.get("COMMENT", "")),
    ) == (
        PRODID,
        "GREGORIAN",
        "Feed",
        False,
        b"20210714T160000",
        "Europe/Paris",
        "CONFIRMED",
        "Europe/Paris",
        False,
    )


def test_cancel_method_marks_every_event_cancelled():
    calendar = icalendar.Calendar.from_ical(build_calendar([TALK], method="CANCEL", now=NOW))

    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]


def test_drop_in_shape_has_no_calscale_or_status_and_zones_from_1970():
    calendar = icalendar.Calendar.from_ical(
        build_calendar(
            [TALK], method="PUBLISH", now=NOW, calscale=False, statuses=False, zones_around_events=False
        )
    )

    [event] = calendar.walk("VEVENT")
    [zone] = calendar.walk("VTIMEZONE")
    assert ("CALSCALE" in calendar, "STATUS" in event, str(calendar["METHOD"]), str(zone["COMMENT"])) == (
        False,
        False,
        "PUBLISH",
        "This timezone only works from 1970-01-01 to 2038-01-01.",
    )
