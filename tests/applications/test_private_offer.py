"""The applicant's private page shows an open offer with its deadline and the buttons to answer it, so the answer
never depends on finding the one offer email."""

import datetime
import re
import zoneinfo

import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.links import application_token
from applications.services import application_set_status
from tests.factories import ApplicationFactory, CohortFactory

S = ApplicationStatus
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2031, 6, 3, 10, 0, tzinfo=LONDON)


def offered(notify=Notify.SEND, **fields):
    cohort = CohortFactory(name="Group 2", first_session_week=datetime.date(2031, 7, 7))
    application = ApplicationFactory(programme=cohort.programme, email="sam@example.org", **fields)
    application_set_status(
        application=application,
        status=S.OFFERED,
        cohort=cohort,
        notify=notify,
        offer_expires_at=datetime.datetime(2031, 6, 10, 23, 59, tzinfo=LONDON),
    )
    return application


def private_page(client, application):
    return client.get(reverse("applications:private", args=[application_token(application)]))


def test_an_emailed_offer_is_on_the_private_page_with_its_deadline_and_buttons(client, db):
    with time_machine.travel(NOW, tick=False):
        application = offered()
        response = private_page(client, application)

    page = response.content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "We are offering you a place in Group 2" in text
    assert (
        "The first session is in the week of 7 July. Please confirm by Tuesday 10 June at 23:59 (UK time) ;"
        in text
    )
    assert re.findall(r'<button type="submit"\s+name="answer"\s+value="(\w+)"', page) == [
        "confirm",
        "decline",
    ]
    assert "Status: Offered a place" not in text


def test_confirming_from_the_private_page_confirms_the_place(client, db):
    with time_machine.travel(NOW, tick=False):
        application = offered()
        token = private_page(client, application).context["offer_token"]
        response = client.post(reverse("applications:offer_respond", args=[token]), {"answer": "confirm"})

    application.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("applications:my_place"))
    assert application.status == S.CONFIRMED


def test_declining_from_the_private_page_withdraws(client, db):
    with time_machine.travel(NOW, tick=False):
        application = offered()
        token = private_page(client, application).context["offer_token"]
        client.post(reverse("applications:offer_respond", args=[token]), {"answer": "decline"})

    application.refresh_from_db()
    assert (application.status, application.cohort) == (S.WITHDRAWN, None)


def test_an_offer_still_in_the_managers_drafts_is_not_shown(client, db):
    with time_machine.travel(NOW, tick=False):
        application = offered(notify=Notify.DRAFT)
        response = private_page(client, application)

    assert "offer_token" not in response.context
    assert "Status: Offered a place." in response.content.decode()


def test_a_lapsed_offer_is_not_offered_again(client, db):
    with time_machine.travel(NOW, tick=False):
        application = offered()
    with time_machine.travel(datetime.datetime(2031, 6, 11, 9, 0, tzinfo=LONDON), tick=False):
        response = private_page(client, application)

    assert "offer_token" not in response.context
