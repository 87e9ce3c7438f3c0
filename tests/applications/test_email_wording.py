"""Her own wording (issue 20): a programme's staff reword its decision emails, with placeholders checked on
save (the reason given), a preview with a real applicant, and the wording used for that programme only."""

import datetime
import importlib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.models import EmailWording
from applications.services import application_set_status, applications_offer
from applications.wording import PLACEHOLDER, PLACEHOLDERS, programme_wording, wording_errors, wording_preview
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import emails_send_drafts
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, StaffFactory

DECLINE = (
    "Dear {name},\n\nThank you for applying to {programme}. We are sorry: the group is full.\n\n"
    "Ask for the next group: {next_group_link}\n\n{contact_name}\n"
)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(title="Volunteering that lasts", contact_name="Zoë Cumberland")


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def save(client, programme, kind, subject, body):
    return client.post(
        reverse("admin:applications_emailwording_add"),
        {"programme": programme.pk, "kind": kind, "subject": subject, "body": body},
    )


def test_a_bad_placeholder_is_refused_on_save_with_the_reason_and_the_text_kept(staff_client, programme):
    response = save(staff_client, programme, EmailKind.DECISION_DECLINED, "Hello {nmae}", "Dear {name} {")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "subject": [
            "{nmae} is not a placeholder this email can use. It can use: {name}, {programme}, {contact_name}, "
            "{contact_email}, {next_group_link}."
        ],
        "body": ["A brace is not paired: write a placeholder as a name in braces, such as {name}."],
    }
    assert "Dear {name} {</textarea>" in response.content.decode()
    assert EmailWording.objects.count() == 0


def test_an_offer_must_keep_its_link_and_deadline():
    assert wording_errors(
        EmailKind.DECISION_OFFERED, "Dear {name}, welcome to {group}.", check_required=True
    ) == [
        "This email must give the date and time to answer by: put {deadline} in the text.",
        "This email must give the link to confirm or turn down the place: put {link} in the text.",
    ]


def test_the_saved_wording_is_what_the_programmes_applicants_are_sent(
    staff_client, programme, django_capture_on_commit_callbacks
):
    saved = save(staff_client, programme, EmailKind.DECISION_DECLINED, "About {programme}", DECLINE)
    ours = ApplicationFactory(programme=programme, name="Asha Patel")
    theirs = ApplicationFactory(programme=ProgrammeFactory(title="Another call"), name="Ben Okri")

    with django_capture_on_commit_callbacks(execute=True):
        for application in (ours, theirs):
            application_set_status(
                application=application, status=ApplicationStatus.DECLINED, notify=Notify.SEND
            )

    (worded,) = [m for m in mail.outbox if m.to == [ours.email]]
    (default,) = [m for m in mail.outbox if m.to == [theirs.email]]
    assert saved.status_code == 302
    assert worded.subject == "About Volunteering that lasts"
    assert worded.body.startswith(
        "Dear Asha Patel,\n\nThank you for applying to Volunteering that lasts. We are sorry: the group is full."
        "\n\nAsk for the next group: http"
    )
    assert worded.body.endswith("\n\nZoë Cumberland\n")
    assert default.subject == "Your application to Another call"


def test_the_admin_lists_the_placeholders_and_previews_with_a_real_applicant(staff_client, programme):
    ApplicationFactory(programme=programme, name="Asha Patel")
    wording = EmailWording.objects.create(
        programme=programme, kind=EmailKind.DECISION_DECLINED, subject="About {programme}", body=DECLINE
    )

    page = staff_client.get(
        reverse("admin:applications_emailwording_change", args=[wording.pk])
    ).content.decode()

    assert "{name}: the applicant&#x27;s name; {programme}: the programme&#x27;s title" in page
    assert (
        "<p>As Asha Patel would receive it:</p><p><strong>About Volunteering that lasts</strong></p>" in page
    )
    assert "Ask for the next group: [their own link to ask for the next group]" in page


def test_a_placeholder_saved_outside_the_form_is_left_as_written_and_the_decision_still_goes(
    programme, django_capture_on_commit_callbacks
):
    EmailWording.objects.create(
        programme=programme,
        kind=EmailKind.DECISION_WAITLISTED,
        subject="Waitlist",
        body="Dear {name}, {oops}.",
    )
    application = ApplicationFactory(programme=programme, name="Asha Patel")

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(
            application=application, status=ApplicationStatus.WAITLISTED, notify=Notify.SEND
        )

    assert [(m.subject, m.body) for m in mail.outbox] == [("Waitlist", "Dear Asha Patel, {oops}.\n")]


def test_the_offer_reminder_can_be_worded_too(programme):
    cohort = CohortFactory(programme=programme, name="Group 1")
    application = ApplicationFactory(programme=programme, name="Asha Patel", cohort=cohort)
    EmailWording.objects.create(
        programme=programme,
        kind=EmailKind.OFFER_REMINDER,
        subject="{group} is waiting for you",
        body="Dear {name}, answer by {deadline}: {link}",
    )
    # The context applications/reminders.py gives the offer reminder.
    context = {
        "application": application,
        "programme": programme,
        "cohort": cohort,
        "deadline": "23:59 on Friday 6 June",
        "link": "https://example.org/offer/x/",
    }

    assert programme_wording(EmailKind.OFFER_REMINDER, context) == (
        "Group 1 is waiting for you",
        "Dear Asha Patel, answer by 23:59 on Friday 6 June: https://example.org/offer/x/",
    )
    assert programme_wording(EmailKind.SESSION_REMINDER, context) is None


def test_every_email_a_programme_may_word_has_its_placeholders_and_a_preview():
    from applications.enums import WORDED_EMAILS
    from applications.wording import PREVIEWS

    assert (set(PLACEHOLDERS), set(PREVIEWS)) == (set(WORDED_EMAILS), set(WORDED_EMAILS))


def test_every_placeholder_of_every_kind_is_filled_in_its_preview(db):
    from learning.services import surveys_ensure_defaults
    from tests.factories import DropInFactory, ExpressionOfInterestFactory
    from tests.world import group_world

    world = group_world(3)
    ExpressionOfInterestFactory(programme=world.programme, name="Ivy Interested")
    DropInFactory(programme=world.programme)
    surveys_ensure_defaults(programme=world.programme)
    unfilled = {}
    for kind, placeholders in PLACEHOLDERS.items():
        body = "\n".join(f"{{{p.name}}}" for p in placeholders)
        wording = EmailWording(programme=world.programme, kind=kind, subject="{name}", body=body)
        name, subject, text = wording_preview(wording)
        if subject != name or PLACEHOLDER.search(text):
            unfilled[kind] = text

    assert unfilled == {}


# Browsers send a text box's line breaks as CR LF.
OFFER_TYPED = (
    "Dear {name},\r\n\r\nThere is a place for you in {group}.\r\n\r\n"
    "Please tell us by {deadline} whether you will take it.\r\nAnswer here: {link}\r\n\r\n{contact_name}"
)


def test_a_wording_typed_in_the_admin_is_kept_with_plain_line_breaks(staff_client, programme):
    saved = save(staff_client, programme, EmailKind.DECISION_OFFERED, "A place in {group}", OFFER_TYPED)

    assert saved.status_code == 302
    assert EmailWording.objects.get().body == OFFER_TYPED.replace("\r\n", "\n")


def test_an_offer_in_the_programmes_wording_edited_as_a_draft_is_sent_days_later_with_its_date_moved_on(
    staff_client, programme, django_capture_on_commit_callbacks
):
    """The date and the link stand on two lines of her wording; both change as the offer goes two days later.
    The lines she kept in her edit are found and brought up to date (a wording stored with CR LF, as typed,
    did not match the edited text's lines, and the draft was refused as if she had changed them)."""
    made = datetime.datetime(2031, 6, 3, 9, 36, tzinfo=datetime.UTC)
    sent = made + datetime.timedelta(days=2)
    save(staff_client, programme, EmailKind.DECISION_OFFERED, "A place in {group}", OFFER_TYPED)
    cohort = CohortFactory(programme=programme, name="Group 1")
    application = ApplicationFactory(programme=programme, name="Asha Patel", email="asha@example.org")
    with time_machine.travel(made, tick=False):
        applications_offer(
            applications=[application],
            cohort=cohort,
            notify=Notify.DRAFT,
            offer_expires_at=datetime.datetime(2031, 6, 10, 23, 59, tzinfo=ZoneInfo("Europe/London")),
        )
    draft = OutgoingEmail.objects.get(kind=EmailKind.DECISION_OFFERED)
    # The edit page shows the text in a text box, which reads each line break as one.
    shown = draft.body_text.replace("\r\n", "\n")
    edited = shown.replace("There is a place for you", "We would love you to join us")
    saved = staff_client.post(
        reverse("mail:outbox_email_edit", kwargs={"pk": draft.pk}),
        {"subject": draft.subject, "body_text": edited.replace("\n", "\r\n")},
    )

    with time_machine.travel(sent, tick=False), django_capture_on_commit_callbacks(execute=True):
        emails_send_drafts(email_ids=[draft.pk], now=sent)

    (message,) = mail.outbox
    assert saved.status_code == 302
    assert (
        "Please tell us by Tuesday 10 June at 23:59 whether you will take it.\nAnswer here: "
        in draft.body_text
    )
    assert re.sub(r"/offer/[^/\s]+/", "/offer/…/", message.body) == (
        "Dear Asha Patel,\n\nWe would love you to join us in Group 1.\n\n"
        "Please tell us by Thursday 12 June at 23:59 whether you will take it.\n"
        "Answer here: http://127.0.0.1:8000/offer/…/\n\nZoë Cumberland\n"
    )


def test_wordings_saved_with_the_browsers_line_breaks_are_given_line_feeds_once(db):
    """Migration 0020: wordings typed before the form kept LF hold CR LF; an outbox edit of a draft made from one
    was refused as if its date lines had changed."""
    programme = ProgrammeFactory()
    old = EmailWording.objects.create(
        programme=programme,
        kind=EmailKind.DECISION_OFFERED,
        subject="A place",
        body="Dear {name},\r\n\r\nYes.\r\n",
    )
    new = EmailWording.objects.create(
        programme=programme, kind=EmailKind.DECISION_DECLINED, subject="Sorry", body="Dear {name},\n\nNo.\n"
    )
    migration = importlib.import_module("applications.migrations.0020_email_wording_line_feeds")

    migration.line_feeds(apps, None)
    migration.line_feeds(apps, None)

    assert list(EmailWording.objects.order_by("pk").values_list("pk", "body")) == [
        (old.pk, "Dear {name},\n\nYes.\n"),
        (new.pk, "Dear {name},\n\nNo.\n"),
    ]
