"""Every form with a problem answers the same way (templates/includes/error_summary.html, GOV.UK's pattern): the
page title starts "Error:", a summary lists each problem in words that say how to fix it, each linking to the
control that takes focus (the first radio or checkbox of a set), and the browser's own pop-ups are off."""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.forms import SessionFeedbackForm
from sessions_app.enums import AttendanceStatus
from tests.factories import (
    AttendanceFactory,
    MemberFactory,
    SessionFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def title(response) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def summary(response) -> list[tuple[str, str]]:
    """(link target, message) for each problem listed in the error summary, in order."""
    html = response.content.decode()
    block = re.search(r'<div class="alert alert-danger error-summary".*?</ul>', html, re.S)
    assert block is not None, "no error summary on the page"
    return re.findall(r'<a class="alert-link" href="#([^"]+)">([^<]+)</a>', block.group(0))


def test_a_blank_profile_name_is_refused_with_a_summary(client, db):
    user = UserFactory(name="Sam Okafor")
    client.force_login(user)

    response = client.post(reverse("members:profile"), {"name": "   ", "timezone": ""})

    assert response.status_code == 200
    assert title(response) == "Error: Your profile · Connection Coalition cohorts"
    assert summary(response) == [("id_name", "Enter your name, as you would like your group to see it.")]
    assert 'novalidate=""' in response.content.decode()
    user.refresh_from_db()
    assert user.name == "Sam Okafor"


def test_the_profile_page_without_problems_has_no_error_in_its_title(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("members:profile"))

    assert title(response) == "Your profile · Connection Coalition cohorts"
    assert "error-summary" not in response.content.decode()


def test_an_expense_with_problems_says_how_to_fix_each_and_asks_for_the_receipt_again(client, db):
    client.force_login(MemberFactory().user)

    response = client.post(
        reverse("members:expenses"),
        {
            "category": "",
            "amount": "0",
            "spent_on": "31/02/2031",
            "description": "",
            "receipt": SimpleUploadedFile("receipt.pdf", PDF),
            "submission_token": str(uuid.uuid4()),
        },
    )

    assert title(response) == "Error: Expenses · Connection Coalition cohorts"
    assert summary(response) == [
        ("id_category", "Choose what the expense was for: travel, care, equipment or other."),
        ("id_amount", "Enter an amount of at least £0.01."),
        ("id_spent_on", "Enter the date of the expense as a real date, like 25/02/2031."),
        ("id_description", "Say what the expense was for, like a train to the session."),
        (
            "id_receipt",
            "Choose the receipt file again: it was fine, but a browser forgets a chosen file when the page "
            "comes back with something to correct.",
        ),
    ]
    assert 'novalidate=""' in response.content.decode()


def test_an_expense_without_a_receipt_asks_for_one(client, db):
    client.force_login(MemberFactory().user)

    response = client.post(
        reverse("members:expenses"),
        {
            "category": "travel",
            "amount": "12.50",
            "spent_on": "2031-02-25",
            "description": "Train",
            "submission_token": str(uuid.uuid4()),
        },
    )

    assert summary(response) == [
        ("id_receipt", "Attach the receipt: a photo or scan, as a PDF, JPEG or PNG.")
    ]


def test_a_learning_entry_with_problems_links_each_to_its_field(client, db):
    member = MemberFactory()
    client.force_login(member.user)

    response = client.post(
        reverse("learning:create"),
        {"cohort": member.cohort.pk, "kind": "resource", "title": "", "body": "", "link": "not a link"},
    )

    assert title(response) == "Error: Write an entry · Connection Coalition cohorts"
    assert summary(response) == [
        ("id_title", "Enter a title."),
        ("id_body", "Write the text of the entry: a few lines are enough."),
        (
            "id_link",
            "Enter the link as a web address, like https://example.org/guide (it must start with https:// or http://).",
        ),
    ]


def test_session_feedback_without_a_rating_links_to_the_first_radio(client, db):
    member = MemberFactory()
    session = SessionFactory(cohort=member.cohort, number=1)
    AttendanceFactory(session=session, member=member, status=AttendanceStatus.ATTENDED)

    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        client.force_login(member.user)
        response = client.post(
            reverse("learning:session_feedback", args=[session.pk]), {"what_worked": "Pairs"}
        )

    assert title(response).startswith("Error: Feedback on session 1")
    assert summary(response) == [("id_rating_0", "Choose a rating from 1 (poor) to 5 (excellent).")]
    assert 'id="id_rating_0" required aria-invalid="true"' in response.content.decode()


def test_error_anchor_is_the_first_radio_of_a_set_and_the_control_itself_otherwise():
    from cohort_site.core.templatetags.site_tags import error_anchor

    form = SessionFeedbackForm()

    assert [error_anchor(form["rating"]), error_anchor(form["what_worked"]), error_anchor("")] == [
        "id_rating_0",
        "id_what_worked",
        "",
    ]


@pytest.mark.parametrize("path_name", ["applications:interest", "applications:apply"])
def test_the_public_forms_use_the_same_summary(client, db, path_name):
    from tests.factories import CandidateTimeFactory, ProgrammeFactory

    programme = ProgrammeFactory(slug="open")
    CandidateTimeFactory(programme=programme)

    response = client.post(reverse(path_name, args=["open"]), {})

    assert title(response).startswith("Error: ")
    assert summary(response)[0] == ("id_name", "Enter your name.")
