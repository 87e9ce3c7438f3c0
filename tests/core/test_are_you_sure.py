"""Irreversible actions ask once, with one shared panel (templates/includes/are_you_sure.html) that says what will
happen and who will be emailed: decline an applicant, cancel a session, withdraw a member, erase."""

import re
from html import unescape

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.links import application_token
from cohort_site.core.dates import DAY_TIME, local_text
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    GuestFactory,
    MemberFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    application_in,
)

pytestmark = pytest.mark.django_db


def panel(response) -> dict[str, list[str]]:
    """The panel's two lists, as the reader sees them."""
    html = response.content.decode()
    assert html.count('class="card border-danger mb-4 are-you-sure"') == 1
    section = html.split('class="card border-danger mb-4 are-you-sure"', 1)[1].split("</section>", 1)[0]
    what, emailed = section.split("Who will be emailed", 1)

    def items(part: str) -> list[str]:
        return [
            " ".join(unescape(re.sub(r"<[^>]+>", "", li)).split())
            for li in re.findall(r"<li>(.*?)</li>", part, re.S)
        ]

    nobody = ["Nobody is emailed."] if "Nobody is emailed." in emailed else []
    return {"what_happens": items(what), "emailed": items(emailed) or nobody}


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_declining_says_what_happens_and_who_is_emailed(staff_client):
    first = ApplicationFactory(name="Ann")
    second = application_in(ApplicationStatus.OFFERED, programme=first.programme, name="Bob")
    url = reverse("applications:selection_decide", args=["decline"]) + f"?ids={first.pk},{second.pk}"

    assert panel(staff_client.get(url)) == {
        "what_happens": [
            "The 2 applicants listed are declined: no place this time. The email cannot be taken back once sent.",
            "Each can still say they would like a later group, from the link in the email.",
            "1 of them holds an offered place: it comes free and goes to the waitlist as the programme says.",
        ],
        "emailed": [
            "Each of the 2 applicants listed: a “no place this time” email, sent now or saved as a draft for you "
            "to check and send, as you choose below"
        ],
    }


def test_offering_and_waitlisting_have_no_are_you_sure_panel(staff_client):
    application = ApplicationFactory()
    for action in ("offer", "waitlist"):
        url = reverse("applications:selection_decide", args=[action]) + f"?ids={application.pk}"
        assert "are-you-sure" not in staff_client.get(url).content.decode()


def test_cancelling_a_session_names_the_members_and_each_guest(staff_client):
    cohort = CohortFactory(name="Group 1")
    MemberFactory(cohort=cohort)
    MemberFactory(cohort=cohort)
    session = SessionFactory(cohort=cohort, number=3)
    GuestFactory(session=session, name="Gail Guest", email="gail@example.org")
    day = local_text(session.starts_at, cohort.programme.tz, DAY_TIME)

    assert panel(staff_client.get(reverse("sessions:session", kwargs={"pk": session.pk}))) == {
        "what_happens": [
            f"Session 3 on {day} is cancelled and shown as cancelled on everyone's schedule. It cannot be "
            "restored: add a new session instead.",
            "The reason you give, if any, is in the cancellation email.",
        ],
        "emailed": [
            "The 2 members of Group 1: a cancellation, with a calendar file that takes it out of their calendar",
            "Gail Guest (gail@example.org), a guest: the same cancellation",
        ],
    }


def test_withdrawing_a_member_asks_once_and_changes_nothing_until_confirmed(staff_client):
    member = MemberFactory(name="Ada Green", email="ada@example.org")

    response = staff_client.get(reverse("members:withdraw", kwargs={"pk": member.pk}))

    assert panel(response)["emailed"] == ["Ada Green (ada@example.org): a confirmation"]
    member.refresh_from_db()
    assert member.status == ApplicationStatus.CONFIRMED


def test_staff_erasure_says_nobody_is_emailed(staff_client):
    assert panel(staff_client.get(reverse("members:staff_erasure"))) == {
        "what_happens": [
            "Every record held about the address is erased: applications and expressions of interest, the "
            "account and everything in it (learning entries, feedback, expenses), and the text of every email "
            "sent to it. This cannot be undone.",
            "Anonymous counts stay, so the programme's figures still add up.",
        ],
        "emailed": ["Nobody is emailed."],
    }


def test_erasing_your_own_data_says_nobody_is_emailed(client):
    client.force_login(UserFactory())

    assert panel(client.get(reverse("members:my_data")))["emailed"] == ["Nobody is emailed."]


def test_erasing_through_the_private_link_says_what_goes_and_that_nobody_is_emailed(client):
    application = ApplicationFactory()

    response = client.get(reverse("applications:erase", args=[application_token(application)]))

    assert panel(response) == {
        "what_happens": [
            "Your name, email address and answers are removed from your application, any expression of interest "
            "and every email we sent you. This link then stops working. This cannot be undone.",
            "Anonymous counts stay, so the programme's figures still add up.",
        ],
        "emailed": ["Nobody is emailed."],
    }
