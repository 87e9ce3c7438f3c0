import datetime
import zoneinfo

import pytest

from cohort_site.core.dates import (
    CLOCK,
    DAY,
    DAY_AT_TIME,
    DAY_TIME,
    DAY_YEAR,
    ISO_DAY,
    ISO_MINUTE,
    local_text,
    zone_label,
)

# 08:05 UTC on 21 July 2021: 09:05 in London (BST), 04:05 in New York.
MOMENT = datetime.datetime(2021, 7, 21, 8, 5, tzinfo=datetime.UTC)


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


def test_zone_label_says_uk_for_london_and_the_name_otherwise():
    assert (zone_label("Europe/London"), zone_label("Europe/Paris")) == ("UK", "Europe/Paris")
