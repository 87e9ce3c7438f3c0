"""Every control of the admin pages the manager sets a programme up with has a name a screen reader reads: the
split date and time inputs, and each cell of a tabular inline (its column and row)."""

import re

import pytest
from django.urls import reverse

from tests.factories import CandidateTimeFactory, DropInFactory, ProgrammeFactory, StaffFactory


@pytest.fixture
def programme_page(client, db):
    programme = ProgrammeFactory()
    DropInFactory(programme=programme)
    CandidateTimeFactory(programme=programme)
    client.force_login(StaffFactory(is_superuser=True))
    return client.get(reverse("admin:applications_programme_change", args=[programme.pk])).content.decode()


def aria_labels(html: str, name_start: str) -> list[tuple[str, str]]:
    return [
        (name, label)
        for name, label in re.findall(r'<(?:input|select)[^>]*name="([^"]+)"[^>]*aria-label="([^"]+)"', html)
        if name.startswith(name_start)
    ]


def test_split_date_and_time_inputs_are_named_by_their_field(programme_page):
    assert aria_labels(programme_page, "applications_") == [
        ("applications_open_at_0", "Applications open at, date"),
        ("applications_open_at_1", "Applications open at, time"),
        ("applications_close_at_0", "Applications close at, date"),
        ("applications_close_at_1", "Applications close at, time"),
    ]


def test_each_inline_cell_is_named_by_its_column_and_row(programme_page):
    assert aria_labels(programme_page, "candidate_times-0-") == [
        ("candidate_times-0-weekday", "Weekday, row 1"),
        ("candidate_times-0-start_time", "Start time, row 1"),
        ("candidate_times-0-DELETE", "Delete row 1"),
    ]
    assert [label for _, label in aria_labels(programme_page, "drop_ins-0-")] == [
        "Starts at, date, row 1",
        "Starts at, time, row 1",
        "Ends at, date, row 1",
        "Ends at, time, row 1",
        "Join url, row 1",
        "Host name, row 1",
        "Delete row 1",
    ]
