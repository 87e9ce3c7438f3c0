"""The waitlist's order, promotion when a place comes free, further groups, and offers that run out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from applications.enums import ApplicationStatus, Notify, WaitlistPromotion
from applications.models import Application, Cohort
from applications.reminders import offer_expiries, offer_reminders
from applications.services import (
    application_set_status,
    applications_set_status,
    cohort_create_next,
    waitlist_move,
    waitlist_offer_into,
    waitlist_promote,
)
from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import emails_queue_many
from tests.factories import ApplicationFactory, CohortFactory, MemberFactory, ProgrammeFactory

S = ApplicationStatus


def names_waiting(programme):
    return list(
        Application.objects.filter(programme=programme, status=S.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("name", "waitlist_position")
    )


def waitlist_people(programme, *names):
    people = [ApplicationFactory(programme=programme, name=name) for name in names]
    applications_set_status(applications=people, status=S.WAITLISTED, notify=Notify.NONE)
    return people


def test_waitlisting_puts_people_at_the_end_in_order(db):
    programme = ProgrammeFactory()

    waitlist_people(programme, "Ann", "Bo", "Cy")

    assert names_waiting(programme) == [("Ann", 1), ("Bo", 2), ("Cy", 3)]


def test_waitlist_order_can_be_changed(db):
    programme = ProgrammeFactory()
    ann, bo, cy = waitlist_people(programme, "Ann", "Bo", "Cy")

    waitlist_move(application=cy, up=True)  # Ann, Cy, Bo
    waitlist_move(application=ann, up=False)  # Cy, Ann, Bo
    waitlist_move(application=bo, up=False)  # last already: nothing changes
    waitlist_move(application=cy, up=True)  # first already: nothing changes

    assert names_waiting(programme) == [("Cy", 1), ("Ann", 2), ("Bo", 3)]


def test_withdrawal_offers_the_place_to_the_first_waiting_when_automatic(
    db, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(waitlist_promotion=WaitlistPromotion.AUTOMATIC)
    cohort = CohortFactory(programme=programme, size=2)
    leaver, _ = MemberFactory.create_batch(2, cohort=cohort)
    ann, _ = waitlist_people(programme, "Ann", "Bo")

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(application=leaver, status=S.WITHDRAWN, notify=Notify.NONE)

    ann.refresh_from_db()
    assert (ann.status, ann.cohort, ann.waitlist_position) == (S.OFFERED, cohort, None)
    assert names_waiting(programme) == [("Bo", 2)]
    assert [m.to for m in mail.outbox] == [[ann.email]]
    assert (
        ann.status_changes.get(to_status=S.OFFERED).note
        == f"Offered automatically: {leaver.name}'s place came free (withdrawn)."
    )


def test_second_withdrawal_offers_the_next_in_line(db):
    programme = ProgrammeFactory(waitlist_promotion=WaitlistPromotion.AUTOMATIC)
    cohort = CohortFactory(programme=programme, size=2)
    first, second = MemberFactory.create_batch(2, cohort=cohort)
    *_, cy = waitlist_people(programme, "Ann", "Bo", "Cy")
    waitlist_move(application=cy, up=True)  # Ann, Cy, Bo

    application_set_status(application=first, status=S.WITHDRAWN, notify=Notify.NONE)
    application_set_status(application=second, status=S.WITHDRAWN, notify=Notify.NONE)

    offered = list(
        Application.objects.filter(status=S.OFFERED)
        .order_by("status_changed_at", "pk")
        .values_list("name", flat=True)
    )
    assert offered == ["Ann", "Cy"]
    assert names_waiting(programme) == [("Bo", 3)]


def test_withdrawal_proposes_the_next_to_the_manager_when_set_to_propose(
    db, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(
        waitlist_promotion=WaitlistPromotion.PROPOSED, contact_email="zoe@example.org"
    )
    cohort = CohortFactory(programme=programme, size=2, name="Group 1")
    leaver = MemberFactory(cohort=cohort, name="Lee Smith")
    waitlist_people(programme, "Ann")

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(application=leaver, status=S.WITHDRAWN, notify=Notify.NONE)

    assert names_waiting(programme) == [("Ann", 1)]
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["zoe@example.org"],
        "A place is free in Group 1: offer it to the next person on the waitlist?",
    )

    offered = waitlist_promote(cohort=cohort, notify=Notify.NONE)

    assert (offered.name, offered.status, names_waiting(programme)) == ("Ann", S.OFFERED, [])


def test_promotion_into_a_full_cohort_offers_nobody(db):
    programme = ProgrammeFactory()
    cohort = CohortFactory(programme=programme, size=2)
    MemberFactory.create_batch(2, cohort=cohort)
    waitlist_people(programme, "Ann")

    assert waitlist_promote(cohort=cohort) is None
    assert names_waiting(programme) == [("Ann", 1)]


def test_next_group_runs_after_the_last_and_takes_the_waitlist_in_order(db):
    programme = ProgrammeFactory(group_size=20, session_count=6)
    first = CohortFactory(programme=programme, number=1, size=20)
    waitlist_people(programme, "Ann", "Bo", "Cy")

    second = cohort_create_next(programme=programme)
    outcome = waitlist_offer_into(cohort=second, count=2, notify=Notify.NONE)

    assert (second.number, second.name, second.size, second.first_session_week) == (
        2,
        "Group 2",
        20,
        first.first_session_week + timedelta(weeks=6),
    )
    assert [a.name for a in outcome.changed] == ["Ann", "Bo"]
    assert list(Application.objects.filter(cohort=second).order_by("name").values_list("name", "status")) == [
        ("Ann", S.OFFERED),
        ("Bo", S.OFFERED),
    ]
    assert names_waiting(programme) == [("Cy", 3)]
    assert Cohort.objects.filter(programme=programme).count() == 2


def offered_with_email(cohort, *, expires_in, draft=False, **fields):
    application = ApplicationFactory(programme=cohort.programme, **fields)
    application_set_status(
        application=application,
        status=S.OFFERED,
        cohort=cohort,
        notify=Notify.DRAFT if draft else Notify.SEND,
        offer_expires_at=timezone.now() + expires_in,
    )
    application.refresh_from_db()
    return application


def test_offer_reminder_is_sent_once_before_expiry(db, django_capture_on_commit_callbacks):
    cohort = CohortFactory(programme__offer_reminder_lead=timedelta(days=2))
    soon = offered_with_email(cohort, expires_in=timedelta(days=1), email="soon@example.org")
    offered_with_email(cohort, expires_in=timedelta(days=5), email="later@example.org")
    offered_with_email(cohort, expires_in=timedelta(days=1), draft=True, email="draft@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        emails_queue_many(offer_reminders(timezone.now()))
        emails_queue_many(offer_reminders(timezone.now() + timedelta(minutes=5)))

    reminders = OutgoingEmail.objects.filter(kind="offer-reminder")
    assert list(reminders.values_list("to", "subject")) == [
        ("soon@example.org", f"Reminder: confirm your place in {cohort.programme.title}")
    ]
    assert soon.status == S.OFFERED


def test_unanswered_offer_expires_and_the_place_moves_on(db, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(waitlist_promotion=WaitlistPromotion.AUTOMATIC)
    cohort = CohortFactory(programme=programme, size=1)
    lapsing = offered_with_email(cohort, expires_in=timedelta(hours=1), email="lapsing@example.org")
    ann = waitlist_people(programme, "Ann")[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        failed = reminders_dispatch(now=timezone.now() + timedelta(hours=2))

    lapsing.refresh_from_db()
    ann.refresh_from_db()
    assert failed == []
    assert (lapsing.status, lapsing.cohort) == (S.OFFER_EXPIRED, None)
    assert (ann.status, ann.cohort) == (S.OFFERED, cohort)
    assert sorted(m.to[0] for m in mail.outbox) == [ann.email, "lapsing@example.org"]


def test_an_offer_still_in_drafts_does_not_expire(db):
    cohort = CohortFactory()
    drafted = offered_with_email(cohort, expires_in=timedelta(hours=1), draft=True)

    offer_expiries(timezone.now() + timedelta(hours=2))

    drafted.refresh_from_db()
    assert drafted.status == S.OFFERED
    assert OutgoingEmail.objects.get(kind="decision-offered").status == EmailStatus.DRAFT


@pytest.mark.parametrize(
    ("notify", "status", "outbox"), [(Notify.SEND, EmailStatus.SENT, 1), (Notify.DRAFT, EmailStatus.DRAFT, 0)]
)
def test_decision_email_sent_at_once_or_kept_as_draft(
    db, django_capture_on_commit_callbacks, notify, status, outbox
):
    application = ApplicationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(application=application, status=S.WAITLISTED, notify=notify)

    email = OutgoingEmail.objects.get()
    assert (email.kind, email.status, email.about, len(mail.outbox)) == (
        "decision-waitlisted",
        status,
        application,
        outbox,
    )


@pytest.mark.parametrize(
    ("promotion", "promise"),
    [
        (
            WaitlistPromotion.AUTOMATIC,
            "If a place comes free, we will email you an offer straight away, in your turn on the waitlist;",
        ),
        (
            WaitlistPromotion.PROPOSED,
            "If a place comes free, we will look at the waitlist in order and email you if we can offer you a place;",
        ),
    ],
)
def test_the_waitlist_email_promises_what_the_programme_does(db, promotion, promise):
    programme = ProgrammeFactory(waitlist_promotion=promotion)
    application = ApplicationFactory(programme=programme)

    application_set_status(application=application, status=S.WAITLISTED)

    body = OutgoingEmail.objects.get(kind="decision-waitlisted").body_text
    assert [line for line in body.splitlines() if line.startswith("We have put you on the waitlist.")] == [
        f"We have put you on the waitlist. {promise} you then have a few days to confirm it. If we run another "
        "group, we will let you know. There is nothing you need to do now."
    ]
