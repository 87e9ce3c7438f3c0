"""Her own wording (issue 20) for the recruitment emails: interest confirmations, application receipts and the
drop-in and apply reminders use the programme's wording with its placeholders filled in, another programme keeps
the default, a bad placeholder is refused on save, the preview shows a real person, and a batch of reminders
costs the same queries with wordings as without."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from applications.links import application_private_url
from applications.reminders import apply_reminders, drop_in_reminders
from applications.services import application_update, interest_register
from applications.services.recruitment import APPLICANT_FIELDS
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import emails_queue_many
from tests.factories import ExpressionOfInterestFactory, ProgrammeFactory
from tests.wording import as_manager, word, wording_preview, wording_refused

from .conftest import DEADLINE, DROP_IN_STARTS, apply_data, london

DEADLINE_TEXT = "9:00 UK time on Wednesday 21 July 2021"


@pytest.fixture
def other(db):
    return ProgrammeFactory(
        title="Another call", applications_open_at=london(2021, 6, 1), applications_close_at=DEADLINE
    )


def apply_link(programme):
    return settings.SITE_URL + reverse("applications:apply", kwargs={"slug": programme.slug})


def sent_to(address):
    return [(m.subject, m.body) for m in mail.outbox if m.to == [address]]


def test_interest_confirmation_and_interest_again_use_the_programmes_wording(
    programme, other, during_applications, django_capture_on_commit_callbacks
):
    word(
        programme,
        EmailKind.INTEREST_CONFIRMATION,
        "Welcome, {name}",
        "Apply to {programme} by {deadline}: {apply_link}",
    )
    word(
        programme,
        EmailKind.INTEREST_AGAIN,
        "Still here, {name}",
        "Write to {contact_name} at {contact_email}.",
    )
    person = {"name": "Asha Patel", "organisation": "Leeds Befriending", "role": "Connector"}

    with django_capture_on_commit_callbacks(execute=True):
        interest_register(programme=programme, email="asha@example.org", **person)
        interest_register(programme=programme, email="asha@example.org", **person)
        interest_register(programme=other, email="ben@example.org", **person)

    assert sent_to("asha@example.org") == [
        (
            "Welcome, Asha Patel",
            f"Apply to Relationships and connections by {DEADLINE_TEXT}: {apply_link(programme)}\n",
        ),
        ("Still here, Asha Patel", "Write to Zoë Cumberland at zoe@example.org.\n"),
    ]
    ((default_subject, _),) = sent_to("ben@example.org")
    assert default_subject == "Thank you for your interest: Another call"


def test_application_received_again_and_updated_use_the_programmes_wording(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    for kind, subject in [
        (EmailKind.APPLICATION_RECEIVED, "Received, {name}"),
        (EmailKind.APPLICATION_AGAIN, "Again, {name}"),
        (EmailKind.APPLICATION_UPDATED, "Updated, {name}"),
    ]:
        word(programme, kind, subject, "{programme} closes at {deadline}. Yours: {private_link}")
    url = reverse("applications:apply", kwargs={"slug": programme.slug})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, apply_data(programme))
        client.post(url, apply_data(programme, submission_token="1d8f3c1e-2f43-4a8e-9a3b-5c1d2e3f4a5b"))
        application = programme.applications.get()
        application_update(
            application=application,
            answers={field: getattr(application, field) for field in APPLICANT_FIELDS},
            availability={a.candidate_time_id: a.answer for a in application.availability.all()},
        )

    body = f"Relationships and connections closes at {DEADLINE_TEXT}. Yours: {application_private_url(application)}\n"
    assert sent_to("asha@example.org") == [
        ("Received, Asha Patel", body),
        ("Again, Asha Patel", body),
        ("Updated, Asha Patel", body),
    ]


def test_drop_in_and_apply_reminders_use_the_wording_and_keep_the_unsubscribe_line(
    programme, other, drop_in, django_capture_on_commit_callbacks
):
    word(programme, EmailKind.DROP_IN_REMINDER, "Soon: {programme}", "Dear {name},\n\n{drop_in}")
    word(programme, EmailKind.APPLY_REMINDER, "Apply, {name}", "Before {deadline}: {apply_link}")
    ExpressionOfInterestFactory(
        programme=programme, name="Asha Patel", email="asha@example.org", created_at=london(2021, 7, 1)
    )
    ExpressionOfInterestFactory(
        programme=other, name="Ben Okri", email="ben@example.org", created_at=london(2021, 7, 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(drop_in_reminders(DROP_IN_STARTS - datetime.timedelta(hours=1)))
        emails_queue_many(apply_reminders(DEADLINE - programme.apply_reminder_lead))

    ((drop_in_subject, drop_in_body), (apply_subject, apply_body)) = sent_to("asha@example.org")
    assert drop_in_subject == "Soon: Relationships and connections"
    assert drop_in_body.startswith(
        "Dear Asha Patel,\n\nWednesday 14 July 2021, 15:00–16:00 (UK time), with Zoë Cumberland\n"
        "Join the drop-in: https://meet.example.org/drop-in\n\n--\n"
        "You are receiving this optional reminder. To stop these, open: http"
    )
    assert apply_subject == "Apply, Asha Patel"
    assert apply_body.startswith(
        f"Before {DEADLINE_TEXT}: {apply_link(programme)}\n\n--\n"
        "You are receiving this optional reminder. To stop these, open: http"
    )
    assert [subject for subject, _ in sent_to("ben@example.org")] == [
        f"Applications close at {DEADLINE_TEXT}"
    ]


def three_waiting(programme, other):
    for n in range(3):
        for p in (programme, other):
            ExpressionOfInterestFactory(
                programme=p, email=f"p{n}-{p.pk}@example.org", created_at=london(2021, 7, 1)
            )


def test_a_batch_of_apply_reminders_reads_each_programmes_wording_once(
    programme, other, django_assert_num_queries, django_capture_on_commit_callbacks
):
    three_waiting(programme, other)
    at = DEADLINE - programme.apply_reminder_lead
    due = list(apply_reminders(at))

    # keys stored, opt-outs, each programme's wordings (2), then savepoint, insert, queued ids, release
    with django_assert_num_queries(8), django_capture_on_commit_callbacks(execute=False):
        assert emails_queue_many(due) == 6


def test_the_same_batch_with_wordings_costs_the_same_queries(
    programme, other, django_assert_num_queries, django_capture_on_commit_callbacks
):
    three_waiting(programme, other)
    word(programme, EmailKind.APPLY_REMINDER, "Apply, {name}", "Before {deadline}: {apply_link}")
    word(other, EmailKind.APPLY_REMINDER, "Go on, {name}", "{apply_link}")
    word(other, EmailKind.DROP_IN_REMINDER, "Soon", "{drop_in}")
    at = DEADLINE - programme.apply_reminder_lead
    due = list(apply_reminders(at))

    with django_assert_num_queries(8), django_capture_on_commit_callbacks(execute=False):
        assert emails_queue_many(due) == 6


def test_a_placeholder_the_reminder_does_not_know_is_refused_with_the_reason(client, programme):
    errors = wording_refused(
        client, programme, EmailKind.APPLY_REMINDER, subject="Apply", body="Your session: {session}"
    )

    assert errors == {
        "body": [
            "{session} is not a placeholder this email can use. It can use: {name}, {programme}, {contact_name}, "
            "{contact_email}, {deadline}, {apply_link}.",
            "This email must give the link to the application form: put {apply_link} in the text.",
        ]
    }


def test_the_preview_shows_a_real_person_who_registered_interest(client, programme, drop_in):
    ExpressionOfInterestFactory(programme=programme, name="Asha Patel", created_at=london(2021, 7, 1))
    wording = word(
        programme, EmailKind.DROP_IN_REMINDER, "Soon: {programme}", "Dear {name}, see you:\n{drop_in}"
    )

    assert wording_preview(client, wording) == (
        "<p>As Asha Patel would receive it:</p><p><strong>Soon: Relationships and connections</strong></p>"
        "<pre>Dear Asha Patel, see you:\nWednesday 14 July 2021, 15:00–16:00 (UK time), with Zoë Cumberland\n"
        "Join the drop-in: https://meet.example.org/drop-in</pre>"
    )


def test_the_preview_says_when_no_one_has_applied_yet(client, programme):
    wording = word(programme, EmailKind.APPLICATION_RECEIVED, "Received", "{private_link}")

    page = as_manager(client).get(reverse("admin:applications_emailwording_change", args=[wording.pk]))

    assert (
        '<div class="readonly">No one in this programme is sent this email yet: the preview shows a real '
        "person&#x27;s email.</div>"
    ) in page.content.decode()
