"""After their group ends, in Chromium: a member joins the monthly alumni coffee pairs and offers to contribute
from their dashboard, and the manager invites them to a later group's session. Axe clean, no console errors,
nothing scrolls sideways at 320 pixels."""

import datetime

import pytest
from django.utils import timezone

from pairings.models import AlumniOptIn
from sessions_app.models import Guest, GuestOffer
from tests.browser.journey import Browser
from tests.browser.test_dashboards import serious_axe_violations
from tests.factories import CohortFactory, MemberFactory, ProgrammeFactory, SessionFactory, StaffFactory


def sessions_from(cohort, first_start: datetime.datetime, count: int = 2) -> list:
    return [
        SessionFactory(
            cohort=cohort,
            number=n,
            starts_at=first_start + datetime.timedelta(weeks=n - 1),
            ends_at=first_start + datetime.timedelta(weeks=n - 1, hours=2),
        )
        for n in range(1, count + 1)
    ]


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.browser
def test_an_alumna_joins_alumni_coffee_offers_to_contribute_and_is_invited(
    live_server, page, screenshot_dir, transactional_db
):
    now = timezone.now()
    ended = CohortFactory(programme=ProgrammeFactory(title="Relationships at the heart of our work"))
    sessions_from(ended, now - datetime.timedelta(weeks=1, days=1))
    ada = MemberFactory(cohort=ended, name="Ada Green", email="ada@example.org", organisation="Ada Trust")
    later = CohortFactory(programme=ProgrammeFactory(title="Connections in rural places"), name="Group 1")
    (first_later, _) = sessions_from(later, now + datetime.timedelta(weeks=2))
    browser = Browser(page, live_server, screenshot_dir)
    browser.as_person(ada.user)
    page.set_viewport_size({"width": 320, "height": 800})
    sideways = []

    browser.go("/me/", shot="dashboard-alumna")
    page.get_by_role("link", name="Join the monthly alumni coffee pairs").click()
    page.wait_for_load_state()
    sideways.append(("alumni", scrolls_sideways(page)))
    page.get_by_role("button", name="Join the monthly alumni coffee pairs").click()
    page.wait_for_load_state()
    browser.shot("alumni-joined")
    joined = browser.messages()
    axe_alumni = serious_axe_violations(page)

    page.get_by_role("link", name="Offer to contribute to a later group").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Offer to contribute").click()  # nothing typed: the summary says so
    page.wait_for_load_state()
    summary = page.locator(".error-summary li").all_inner_texts()
    page.get_by_label("What could you talk about or lead?").fill("Befriending on farms.")
    page.get_by_role("button", name="Offer to contribute").click()
    page.wait_for_load_state()
    sideways.append(("offer", scrolls_sideways(page)))
    browser.shot("offer-made")
    offered = browser.messages()
    axe_offer = serious_axe_violations(page)

    browser.as_person(StaffFactory())
    page.set_viewport_size({"width": 1280, "height": 900})
    browser.go("/staff/schedule/guest-offers/", shot="guest-offers")
    axe_staff = serious_axe_violations(page)
    page.get_by_label("Invite to a session").select_option(str(first_later.pk))
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    invited = browser.messages()

    assert joined == ["You are in: your first alumni coffee pair comes at the start of a month."]
    assert summary == ["This field is required."]
    assert offered == ["Thank you: the programme team can see your offer to contribute."]
    assert invited == ["Ada Green is invited and sent the session's invite."]
    assert sideways == [("alumni", False), ("offer", False)]
    assert (axe_alumni, axe_offer, axe_staff) == ([], [], [])
    assert list(AlumniOptIn.objects.values_list("user__email", flat=True)) == ["ada@example.org"]
    assert list(GuestOffer.objects.values_list("note", "guest__session")) == [
        ("Befriending on farms.", first_later.pk)
    ]
    assert list(Guest.objects.values_list("email", "session")) == [("ada@example.org", first_later.pk)]
    assert browser.console_errors == []
