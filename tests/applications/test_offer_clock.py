"""An offer's terms: it lapses at the same local time of day however it was made, and its clock starts when its
email is sent, not when a draft of it is saved."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus, Notify
from applications.selectors import offer_counts, offers_drafted, offers_sent, places_and_offers_of
from applications.services import (
    application_set_status,
    applications_offer,
    current_offer,
    offer_expiry_default,
    waitlist_promote,
)
from cohort_site.dashboards.selectors import manager_actions, member_offers
from cohort_site.mail.enums import EmailKind, EmailStatus, SkipReason
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import emails_send_drafts
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, StaffFactory, application_in

S = ApplicationStatus
LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Tuesday morning, 10:36 in London (British Summer Time).
MADE = datetime.datetime(2031, 6, 3, 9, 36, tzinfo=datetime.UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2031, 6, day, hour, minute, tzinfo=LONDON)


def test_an_offer_made_without_a_day_lapses_at_the_end_of_its_last_day(db):
    programme = ProgrammeFactory(offer_valid_for=datetime.timedelta(days=7))

    assert offer_expiry_default(programme=programme, now=MADE) == at(10, 23, 59)


def test_a_promoted_offer_lapses_at_2359_local_like_the_others(db):
    """A place offered from the waitlist once lapsed at the minute it was made (10:36), the others at 23:59."""
    programme = ProgrammeFactory(offer_valid_for=datetime.timedelta(days=7))
    cohort = CohortFactory(programme=programme, size=2)
    waiting = application_in(S.WAITLISTED, programme=programme)

    with time_machine.travel(MADE, tick=False):
        offered = waitlist_promote(cohort=cohort, notify=Notify.NONE)

    assert offered == waiting
    assert offered.offer_expires_at == at(10, 23, 59)


def test_an_offer_in_a_time_zone_lapses_at_2359_there(db):
    programme = ProgrammeFactory(timezone="America/New_York", offer_valid_for=datetime.timedelta(days=2))
    cohort = CohortFactory(programme=programme)
    application = ApplicationFactory(programme=programme)

    with time_machine.travel(MADE, tick=False):
        application_set_status(application=application, status=S.OFFERED, cohort=cohort, notify=Notify.NONE)

    assert application.offer_expires_at == datetime.datetime(
        2031, 6, 5, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )


def draft_offer(cohort, **fields):
    application = ApplicationFactory(programme=cohort.programme, **fields)
    with time_machine.travel(MADE, tick=False):
        applications_offer(
            applications=[application], cohort=cohort, notify=Notify.DRAFT, offer_expires_at=at(10, 23, 59)
        )
    application.refresh_from_db()
    return application


def offer_email_of(application) -> OutgoingEmail:
    return OutgoingEmail.objects.get(kind=EmailKind.DECISION_OFFERED, to=application.email)


def test_a_draft_sent_days_later_gives_the_applicant_the_days_the_manager_gave(
    db, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(programme__offer_valid_for=datetime.timedelta(days=7))
    application = draft_offer(cohort, email="sam@example.org")
    email = offer_email_of(application)
    assert (email.subject, "Tuesday 10 June at 23:59" in email.body_text) == (
        "[Action required] Confirm your place by Tuesday 10 June",
        True,
    )

    # Travel too: the email says a date's year only when it is not the reader's year.
    with time_machine.travel(at(6, 16), tick=False), django_capture_on_commit_callbacks(execute=True):
        sent = emails_send_drafts(email_ids=[email.pk], now=at(6, 16))

    application.refresh_from_db()
    email.refresh_from_db()
    [message] = mail.outbox
    assert sent == 1
    assert application.offer_expires_at == at(13, 23, 59)
    assert (email.status, email.subject) == (
        EmailStatus.SENT,
        "[Action required] Confirm your place by Friday 13 June",
    )
    assert (message.subject, "Please confirm your place by Friday 13 June at 23:59" in message.body) == (
        "[Action required] Confirm your place by Friday 13 June",
        True,
    )
    assert "Tuesday 10 June" not in message.body


def test_a_draft_sent_the_same_day_keeps_its_deadline(db, django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    application = draft_offer(cohort)
    email = offer_email_of(application)

    with time_machine.travel(at(3, 22), tick=False), django_capture_on_commit_callbacks(execute=True):
        emails_send_drafts(email_ids=[email.pk], now=at(3, 22))

    application.refresh_from_db()
    email.refresh_from_db()
    assert application.offer_expires_at == at(10, 23, 59)
    assert (email.subject, "Please confirm your place by Tuesday 10 June at 23:59" in email.body_text) == (
        "[Action required] Confirm your place by Tuesday 10 June",
        True,
    )


def test_the_outbox_sending_a_draft_offer_starts_its_clock_too(
    client, db, django_capture_on_commit_callbacks
):
    cohort = CohortFactory()
    application = draft_offer(cohort)
    email = offer_email_of(application)
    with time_machine.travel(at(5, 9), tick=False), django_capture_on_commit_callbacks(execute=True):
        client.force_login(StaffFactory())
        response = client.post(reverse("mail:outbox"), {"emails": [email.pk], "action": "send_drafts"})

    assert response.status_code == 302

    application.refresh_from_db()
    assert application.offer_expires_at == at(12, 23, 59)
    assert offer_email_of(application).status == EmailStatus.SENT


def test_a_draft_of_an_offer_taken_back_is_not_sent(db, django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    application = draft_offer(cohort)
    other = draft_offer(cohort)
    email = offer_email_of(application)
    application_set_status(application=application, status=S.DECLINED, notify=Notify.NONE)

    with django_capture_on_commit_callbacks(execute=True):
        sent = emails_send_drafts(email_ids=[email.pk, offer_email_of(other).pk], now=at(6, 16))

    application.refresh_from_db()
    email.refresh_from_db()
    assert sent == 1
    assert (application.status, application.offer_expires_at) == (S.DECLINED, None)
    assert (email.status, email.skip_reason) == (EmailStatus.SKIPPED, SkipReason.OUT_OF_DATE)
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_offers_drafted_and_sent_are_told_apart(db, django_assert_num_queries):
    cohort = CohortFactory(size=5)
    drafted = draft_offer(cohort)
    emailed = ApplicationFactory(programme=cohort.programme)
    with time_machine.travel(MADE, tick=False):
        application_set_status(
            application=emailed, status=S.OFFERED, cohort=cohort, offer_expires_at=at(4, 23, 59)
        )

    with django_assert_num_queries(1):
        counts = offer_counts(expiring_before=at(5, 0))

    assert counts == {"unanswered": 1, "expiring": 1, "drafted": 1}
    assert (list(offers_drafted()), list(offers_sent())) == ([drafted], [emailed])
    assert current_offer(drafted) is not None


def test_the_manager_dashboard_shows_offers_still_in_drafts(db):
    cohort = CohortFactory(size=5)
    draft_offer(cohort)
    draft_offer(cohort)

    actions = [(a.count, a.label, a.url) for a in manager_actions(now=MADE)]

    assert actions[:2] == [
        (
            2,
            "offers not emailed yet: saved as drafts, their time to answer starts when sent",
            "/staff/outbox/?status=draft&kind=decision-offered",
        ),
        (2, "decision emails waiting as drafts", "/staff/outbox/?status=draft"),
    ]


@pytest.mark.parametrize("drafted", [True, False])
def test_the_group_page_marks_a_draft_offer(client, db, drafted):
    cohort = CohortFactory(size=5)
    if drafted:
        draft_offer(cohort, name="Sam Okafor")
    else:
        application_in(S.OFFERED, cohort=cohort, name="Sam Okafor")
    client.force_login(StaffFactory())

    page = client.get(reverse("applications:selection_cohort", args=[cohort.pk])).content.decode()

    assert (
        '<span class="badge text-bg-warning">Draft</span> Offered, but not emailed yet' in page
    ) == drafted
    assert (page.count("Offered, until ") == 1) == (not drafted)


def test_the_member_dashboard_shows_only_offers_that_were_emailed(db):
    cohort = CohortFactory(size=5)
    user = StaffFactory(is_staff=False, email="sam@example.org")
    drafted = draft_offer(cohort, email="sam@example.org", user=user)
    assert member_offers(places_and_offers_of(user)[1]) == []

    emails_send_drafts(email_ids=[offer_email_of(drafted).pk], now=at(4, 9))

    assert [offer.application for offer in member_offers(places_and_offers_of(user)[1])] == [drafted]


def test_the_decision_emails_page_says_when_an_offers_clock_starts(client, db):
    cohort = CohortFactory()
    draft_offer(cohort)
    client.force_login(StaffFactory())

    page = client.get(reverse("applications:selection_emails", args=[cohort.programme.slug])).content.decode()

    assert (
        " ".join(page.split()).count(
            "An offer's time to answer starts when its email is sent: if it has waited here for days, its deadline "
            "moves on by as many days as it is sent, and the email says the new date."
        )
        == 1
    )
