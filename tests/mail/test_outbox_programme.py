"""The outbox shows one programme's emails (`?programme=<slug>`): those about its applications, interest, groups,
sessions, coffee pairs, entries and expenses (each app's email_programmes.py, `cohort_site.mail.programmes`)."""

import pytest
from django.urls import reverse

from cohort_site.core.programme_filter import UNKNOWN_PROGRAMME
from cohort_site.mail.enums import EmailStatus
from pairings.models import Pair
from tests.factories import ExpressionOfInterestFactory, RoundFactory, StaffFactory
from tests.mail.test_queue import queue_plain
from tests.programme_pair import programme_rows, two_programmes

OUTBOX = reverse("mail:outbox")


def subjects(response) -> list[str]:
    return sorted(email.subject for email in response.context["emails"])


def test_one_programme_shows_the_emails_about_its_rows_only(client, db):
    newer, older = two_programmes()
    for rows in (newer, older):
        title = rows.programme.title
        queue_plain(key=f"s:{rows.programme.slug}", subject=f"Session of {title}", about=rows.session)
        queue_plain(key=f"g:{rows.programme.slug}", subject=f"Group of {title}", about=rows.cohort)
        queue_plain(key=f"e:{rows.programme.slug}", subject=f"Entry of {title}", about=rows.entry)
        interest = ExpressionOfInterestFactory(programme=rows.programme)
        queue_plain(key=f"i:{rows.programme.slug}", subject=f"Interest in {title}", about=interest)
        pair = Pair.objects.create(round=RoundFactory(cohort=rows.cohort))
        queue_plain(key=f"p:{rows.programme.slug}", subject=f"Coffee in {title}", about=pair)
    queue_plain(key="nothing", subject="About no programme")
    client.force_login(StaffFactory())

    newer_only = client.get(f"{OUTBOX}?programme=newer")
    every = client.get(OUTBOX)

    assert subjects(newer_only) == [
        "About Newer programme",  # the failed email about its offer
        "Coffee in Newer programme",
        "Entry of Newer programme",
        "Group of Newer programme",
        "Interest in Newer programme",
        "Session of Newer programme",
        "We have your expense claim",  # the expense's confirmation
    ]
    assert len(every.context["emails"]) == 2 * 7 + 1
    assert newer_only.context["counts"] == {
        EmailStatus.FAILED: 1,
        EmailStatus.QUEUED: 6,
    }
    assert "<h1>Outbox: Newer programme</h1>" in newer_only.content.decode()


def test_the_two_filter_forms_keep_each_others_choice(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    page = client.get(f"{OUTBOX}?programme=older&status=failed&kind=").content.decode()

    # The programme's form carries the status and kind; the kind and status form carries the programme.
    assert (
        '<input type="hidden" name="status" value="failed"><input type="hidden" name="kind" value="">' in page
    )
    assert '<input type="hidden" name="programme" value="older">' in page
    response = client.get(f"{OUTBOX}?programme=older&status=failed")
    assert subjects(response) == ["About Older programme"]


def test_an_unknown_programme_says_so_and_lists_every_email(client, db):
    two_programmes()
    client.force_login(StaffFactory())

    response = client.get(f"{OUTBOX}?programme=gone")

    assert response.context["programme_filter"].form.errors == {"programme": [UNKNOWN_PROGRAMME]}
    assert len(response.context["emails"]) == 4


@pytest.mark.parametrize("count", [1, 3])
def test_the_filtered_outbox_runs_constant_queries(client, db, count, django_assert_num_queries):
    rows = [programme_rows(f"Programme {n}", f"programme-{n}", opened_days_ago=n + 1) for n in range(count)]
    client.force_login(StaffFactory())

    # As unfiltered (tests/mail/test_outbox_page.py): the programme is found among those listed for the select.
    with django_assert_num_queries(8):
        response = client.get(f"{OUTBOX}?programme={rows[0].programme.slug}")

    assert subjects(response) == ["About Programme 0", "We have your expense claim"]
