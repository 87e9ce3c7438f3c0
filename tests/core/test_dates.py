import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template

from cohort_site.core.dates import (
    CLOCK,
    DAY,
    DAY_AT_TIME,
    DAY_TIME,
    DAY_YEAR,
    ISO_DAY,
    ISO_MINUTE,
    SHORT_DAY_TIME,
    date_text,
    local_text,
    zone_label,
    zone_name,
)

# 08:05 UTC on 21 July 2021: 09:05 in London (BST), 04:05 in New York.
MOMENT = datetime.datetime(2021, 7, 21, 8, 5, tzinfo=datetime.UTC)
# It is the same year as MOMENT, unless a test says otherwise.
pytestmark = pytest.mark.usefixtures("in_2021")


@pytest.fixture
def in_2021():
    with time_machine.travel(datetime.datetime(2021, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        (DAY, "Wednesday 21 July"),
        (DAY_YEAR, "Wednesday 21 July 2021"),
        (DAY_TIME, "Wednesday 21 July, 09:05"),
        (DAY_AT_TIME, "Wednesday 21 July at 09:05"),
        (CLOCK, "9:05"),
        (ISO_DAY, "2021-07-21"),
        (ISO_MINUTE, "2021-07-21 09:05"),
    ],
)
def test_shapes_in_the_programmes_zone(shape, text):
    assert local_text(MOMENT, zoneinfo.ZoneInfo("Europe/London"), shape) == text


def test_zone_by_name_or_the_sites_zone_and_no_moment_is_empty():
    assert (
        local_text(MOMENT, "America/New_York", DAY_TIME),
        local_text(MOMENT, None, CLOCK),
        local_text(None, "Europe/London", DAY),
    ) == ("Wednesday 21 July, 04:05", "9:05", "")


def test_a_zone_is_named_as_people_say_it():
    assert [
        zone_name(key)
        for key in ("Europe/London", "Europe/Dublin", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
    ] == ["UK time", "Irish time", "Central European time", "US Eastern time", "Tokyo time"]
    assert zone_label("America/Argentina/Buenos_Aires") == "Buenos Aires"


def test_the_zone_name_filter_takes_a_zone_or_its_name():
    template = Template("{% load site_tags %}{{ zone|zone_name }} | {{ key|zone_name }}")

    text = template.render(Context({"zone": zoneinfo.ZoneInfo("Europe/London"), "key": "America/Chicago"}))

    assert text == "UK time | US Central time"


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        (DAY, "Wednesday 21 July 2021"),
        (DAY_YEAR, "Wednesday 21 July 2021"),
        (DAY_TIME, "Wednesday 21 July 2021, 09:05"),
        (DAY_AT_TIME, "Wednesday 21 July 2021 at 09:05"),
        (SHORT_DAY_TIME, "Wed 21 Jul 2021, 09:05"),
        (CLOCK, "9:05"),
        (ISO_DAY, "2021-07-21"),
    ],
)
def test_a_moment_not_this_year_carries_its_year(shape, text):
    with time_machine.travel(datetime.datetime(2022, 1, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        assert local_text(MOMENT, "Europe/London", shape) == text


def test_this_year_is_the_year_where_the_reader_is():
    # 23:30 UTC on 31 December 2021 is already 2022 in Auckland: a moment then is this year there.
    new_year = datetime.datetime(2021, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(new_year, tick=False):
        assert (
            local_text(new_year + datetime.timedelta(hours=1), "Pacific/Auckland", DAY),
            local_text(new_year + datetime.timedelta(hours=1), "Europe/London", DAY),
        ) == ("Saturday 1 January", "Saturday 1 January 2022")


def test_a_date_says_its_year_only_when_it_is_not_this_year():
    assert (date_text(datetime.date(2021, 1, 4)), date_text(datetime.date(2022, 1, 3)), date_text(None)) == (
        "4 January",
        "3 January 2022",
        "",
    )


def test_the_when_filter_reads_moments_in_the_pages_zone_and_dates_as_they_are():
    template = Template(
        '{% load site_tags tz %}{% timezone "America/New_York" %}{{ moment|when:"day_time" }} | '
        '{{ moment|when }} | {{ week|when:"date" }} | {{ later|when:"short" }}{% endtimezone %}'
    )

    text = template.render(
        Context({"moment": MOMENT, "week": datetime.date(2022, 1, 3), "later": MOMENT.replace(year=2023)})
    )

    assert text == "Wednesday 21 July, 04:05 | Wednesday 21 July | 3 January 2022 | Fri 21 Jul 2023, 04:05"


def test_no_template_writes_a_day_without_its_year_by_hand():
    """Templates write dates with the `when` filter, which adds the year when it is not this year; Django's `date`
    filter is left for times of day and for shapes that always carry the year."""
    templates = Path(settings.BASE_DIR, "templates")
    by_hand = sorted(
        f"{path.relative_to(templates)}: {shape}"
        for path in templates.rglob("*.*")
        for shape in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if re.search(r"[jdFMNbDl]", shape) and "Y" not in shape
    )

    assert by_hand == []
