"""A decision email waiting as a draft is edited by staff before it is sent: the edit is kept and is what is
sent; an offer's deadline, brought up to date as it goes, is brought up to date in the edited text too."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.services import application_set_status, applications_offer
from cohort_site.mail.enums import EmailKind, EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import (
    EditRefused,
    email_draft_edit,
    emails_send_drafts,
)
from cohort_site.mail.services.editing import carry_changes
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, StaffFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MADE = datetime.datetime(2031, 6, 3, 9, 36, tzinfo=datetime.UTC)
SENT = MADE + datetime.timedelta(days=2)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2031, 6, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def declined(db):
    """A decline waiting as a draft."""
    application = ApplicationFactory(name="Asha Patel", email="asha@example.org")
    with time_machine.travel(MADE, tick=False):
        application_set_status(
            application=application, status=ApplicationStatus.DECLINED, notify=Notify.DRAFT
        )
    return OutgoingEmail.objects.get(kind=EmailKind.DECISION_DECLINED)


@pytest.fixture
def offered(db):
    cohort = CohortFactory(
        programme=ProgrammeFactory(offer_valid_for=datetime.timedelta(days=7)), name="Group 1"
    )
    application = ApplicationFactory(programme=cohort.programme, name="Ben Okri", email="ben@example.org")
    with time_machine.travel(MADE, tick=False):
        applications_offer(
            applications=[application], cohort=cohort, notify=Notify.DRAFT, offer_expires_at=at(10, 23, 59)
        )
    return OutgoingEmail.objects.get(kind=EmailKind.DECISION_OFFERED)


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory())
    return client


def edit_url(email) -> str:
    return reverse("mail:outbox_email_edit", kwargs={"pk": email.pk})


def test_staff_edit_a_draft_and_the_sent_email_is_the_edited_text(
    staff_client, declined, django_capture_on_commit_callbacks
):
    text = (
        "Dear Asha,\n\nThank you for applying. This time we could not offer you a place: the group is full.\n"
    )

    response = staff_client.post(edit_url(declined), {"subject": "About your application", "body_text": text})
    declined.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sent = emails_send_drafts(email_ids=[declined.pk])

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("mail:outbox_email", kwargs={"pk": declined.pk}),
    )
    assert (declined.subject, declined.body_text, declined.status) == (
        "About your application",
        text,
        EmailStatus.DRAFT,
    )
    assert sent == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["asha@example.org"], "About your application", text)
    ]
    assert OutgoingEmail.objects.get(pk=declined.pk).status == EmailStatus.SENT


def test_an_edit_is_kept_with_the_programmes_wording_beside_it_and_can_be_undone(staff_client, declined):
    original = (declined.subject, declined.body_text)
    staff_client.post(edit_url(declined), {"subject": "Edited", "body_text": "Dear Asha,\n\nEdited.\n"})
    staff_client.post(edit_url(declined), {"subject": "Edited twice", "body_text": "Dear Asha,\n\nTwice.\n"})
    declined.refresh_from_db()
    kept = (declined.subject, declined.body_text, declined.original_subject, declined.original_text)

    staff_client.post(edit_url(declined), {"action": "undo"})
    declined.refresh_from_db()

    assert kept == ("Edited twice", "Dear Asha,\n\nTwice.\n", *original)
    assert (declined.subject, declined.body_text, declined.edited_at) == (*original, None)


def test_an_empty_text_is_refused_next_to_the_field_and_what_was_typed_stays(staff_client, declined):
    response = staff_client.post(edit_url(declined), {"subject": "Kept subject", "body_text": ""})

    assert response.status_code == 400
    assert response.context["form"].errors == {"body_text": ["This field is required."]}
    assert 'value="Kept subject"' in response.content.decode()
    declined.refresh_from_db()
    assert declined.edited_at is None


def test_an_email_already_sent_cannot_be_edited(staff_client, declined, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        emails_send_drafts(email_ids=[declined.pk])

    page = staff_client.get(edit_url(declined))
    post = staff_client.post(edit_url(declined), {"subject": "Late", "body_text": "Too late.\n"})
    with pytest.raises(EditRefused):
        email_draft_edit(email=declined, subject="Late", body_text="Too late.")

    assert (page.status_code, post.status_code) == (404, 404)
    assert OutgoingEmail.objects.get(pk=declined.pk).subject != "Late"


def test_an_edited_offer_is_sent_with_its_deadline_moved_on_in_the_edited_text(
    offered, django_capture_on_commit_callbacks
):
    before = offered.body_text
    edited = before.replace("We are delighted to offer you", "We are so pleased to offer you")
    edited = "Hello from Zoë!\n\n" + edited
    email_draft_edit(email=offered, subject="Your place in Group 1", body_text=edited)

    with time_machine.travel(SENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        emails_send_drafts(email_ids=[offered.pk], now=SENT)

    (message,) = mail.outbox
    assert "Please confirm your place by " in before
    assert "Tuesday 10 June 2031" in before or "10 June" in before
    assert message.subject == "Your place in Group 1"
    assert message.body.startswith("Hello from Zoë!\n\n")
    assert "We are so pleased to offer you" in message.body
    # Sent two days later: the offer's time to answer starts now, so its date moved on by two days.
    assert "12 June" in message.body
    assert "10 June" not in message.body


def test_an_offer_whose_deadline_line_was_changed_is_not_sent_and_says_which_line(offered):
    line = next(
        line for line in offered.body_text.splitlines() if line.startswith("Please confirm your place by")
    )
    email_draft_edit(
        email=offered, subject=offered.subject, body_text=offered.body_text.replace(line, "Reply soon.")
    )

    with pytest.raises(EditRefused) as refusal:
        emails_send_drafts(email_ids=[offered.pk], now=SENT)

    assert refusal.value.message == (
        "The draft to ben@example.org was edited, and the programme fills in this line as the email is sent: "
        f"“{line}”. Edit the draft and put the line back as it was (or undo the edit), then send it."
    )
    assert OutgoingEmail.objects.get(pk=offered.pk).status == EmailStatus.DRAFT


def test_changes_are_carried_line_by_line_into_an_edited_text():
    before = "Dear Ada,\n\nReply by Monday.\n\nThanks\n"
    after = "Dear Ada,\n\nReply by Wednesday.\n\nThanks\n"

    assert carry_changes(before, after, "Hi Ada!\n\nReply by Monday.\n\nWarmly\n") == (
        "Hi Ada!\n\nReply by Wednesday.\n\nWarmly\n",
        "",
    )
    assert carry_changes(before, after, "Hi Ada!\n\nWarmly\n") == ("Hi Ada!\n\nWarmly\n", "Reply by Monday.")
    assert carry_changes(before, before, "Anything\n") == ("Anything\n", "")
    # A line the manager rewrote around the words that change: the words are changed where they stand.
    assert carry_changes(
        "Confirm your place by Tuesday 10 June",
        "Confirm your place by Thursday 12 June",
        "By Tuesday 10 June, please",
    ) == ("By Thursday 12 June, please", "")


def test_the_draft_list_links_each_draft_to_its_edit(staff_client, declined):
    url = reverse("applications:selection_emails", kwargs={"slug": declined.about.programme.slug})

    page = staff_client.get(url).content.decode()

    assert f'<a href="{edit_url(declined)}?next={url}">Edit the email to asha@example.org</a>' in page
