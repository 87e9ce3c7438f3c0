"""Expenses to review, and their CSV, for one programme (`?programme=<slug>`)."""

import csv
import io

from django.urls import reverse

from cohort_site.core.programme_filter import UNKNOWN_PROGRAMME
from tests.factories import StaffFactory
from tests.programme_pair import two_programmes

REVIEW = reverse("members:expense_review")
CSV = reverse("members:expense_csv")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_review_lists_only_the_chosen_programmes_claims(client, db):
    newer, older = two_programmes()
    client.force_login(StaffFactory())

    chosen = client.get(f"{REVIEW}?programme=newer")
    every = client.get(REVIEW)

    assert list(chosen.context["expenses"]) == [newer.expense]
    assert sorted(e.pk for e in every.context["expenses"]) == sorted([newer.expense.pk, older.expense.pk])
    page = chosen.content.decode()
    # Each status keeps the programme, and the download is the programme's.
    assert 'href="?status=approved&amp;programme=newer"' in page
    assert f'href="{CSV}?programme=newer"' in page
    assert "Download this programme's as CSV" in page


def test_review_says_so_for_an_unknown_programme(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    response = client.get(f"{REVIEW}?programme=gone")

    assert response.context["programme_filter"].form.errors == {"programme": [UNKNOWN_PROGRAMME]}
    assert len(response.context["expenses"]) == 2


def test_the_csv_has_only_the_chosen_programmes_claims(client, db):
    _newer, older = two_programmes()
    client.force_login(StaffFactory())

    chosen = client.get(f"{CSV}?programme=older")
    every = client.get(CSV)

    assert [(r["id"], r["programme"]) for r in csv_rows(chosen)] == [
        (str(older.expense.pk), "Older programme")
    ]
    assert "expenses-older.csv" in chosen["Content-Disposition"]
    assert sorted(r["programme"] for r in csv_rows(every)) == ["Newer programme", "Older programme"]


def test_the_csv_of_an_unknown_programme_is_404_not_every_claim(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    assert client.get(f"{CSV}?programme=gone").status_code == 404
