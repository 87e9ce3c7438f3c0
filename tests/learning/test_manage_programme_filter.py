"""Sharing and results (`learning:manage`) for one programme (`?programme=<slug>`)."""

import pytest
from django.urls import reverse

from cohort_site.core.programme_filter import UNKNOWN_PROGRAMME
from learning.defaults import SURVEYS
from tests.factories import StaffFactory
from tests.programme_pair import programme_rows, two_programmes

MANAGE = reverse("learning:manage")


def test_one_programme_shows_its_entries_awaiting_approval_and_its_surveys_only(client, db):
    _newer, older = two_programmes()
    client.force_login(StaffFactory())

    chosen = client.get(f"{MANAGE}?programme=older")
    every = client.get(MANAGE)

    assert list(chosen.context["awaiting"]) == [older.entry]
    assert [p.title for p in chosen.context["programmes"]] == ["Older programme"]
    assert sorted(e.title for e in every.context["awaiting"]) == [
        "Story of Newer programme",
        "Story of Older programme",
    ]
    assert sorted(p.title for p in every.context["programmes"]) == ["Newer programme", "Older programme"]
    page = chosen.content.decode()
    assert "<h1>Sharing and results: Older programme</h1>" in page
    # The learning navigation keeps the programme.
    assert f'href="{MANAGE}?programme=older">Sharing and results</a>' in page


def test_setting_up_surveys_comes_back_to_the_programme_shown(client, db):
    _, older = two_programmes()
    client.force_login(StaffFactory())

    response = client.post(f"{MANAGE}?programme=older", {"programme": older.programme.pk})

    assert (response.status_code, response["Location"]) == (302, f"{MANAGE}?programme=older")
    assert sorted(s.kind for s in older.programme.surveys.all()) == sorted(SURVEYS)


def test_an_unknown_programme_says_so_and_shows_all(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    response = client.get(f"{MANAGE}?programme=gone")

    assert response.context["programme_filter"].form.errors == {"programme": [UNKNOWN_PROGRAMME]}
    assert len(response.context["awaiting"]) == 2


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_filtered_or_not(client, db, count, django_assert_num_queries):
    rows = [programme_rows(f"Programme {n}", f"programme-{n}", opened_days_ago=n + 1) for n in range(count)]
    client.force_login(StaffFactory())

    # session, user, whether the account reviews a programme, the programmes (the select's, also the table's),
    # their surveys, the entries awaiting approval with their authors and topics
    with django_assert_num_queries(8):
        client.get(MANAGE)
    with django_assert_num_queries(8):
        response = client.get(f"{MANAGE}?programme={rows[0].programme.slug}")

    assert list(response.context["awaiting"]) == [rows[0].entry]
