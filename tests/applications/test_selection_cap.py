"""A cohort never holds more than its size of offered + confirmed places, however the offers race."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.cap_trigger import FUNCTION, TRIGGER, cohort_cap_body, cohort_cap_sql
from applications.enums import PLACE_HOLDING_STATUSES, ApplicationStatus, Notify
from applications.models import Application, ApplicationStatusChange
from applications.services import TransitionRefused, application_set_status, applications_offer
from cohort_site.mail.models import OutgoingEmail
from tests.factories import ApplicationFactory, CohortFactory, MemberFactory, StaffFactory, application_in

S = ApplicationStatus


def held(cohort) -> int:
    return Application.objects.filter(cohort=cohort, status__in=[S.OFFERED, S.CONFIRMED]).count()


def test_bulk_offer_beyond_the_cap_is_refused_whole(db):
    cohort = CohortFactory(name="Group 1", size=20)
    MemberFactory.create_batch(17, cohort=cohort)
    chosen = ApplicationFactory.create_batch(5, programme=cohort.programme)

    with pytest.raises(TransitionRefused) as refused:
        applications_offer(applications=chosen, cohort=cohort, notify=Notify.NONE)

    assert refused.value.reason == "3 places left in Group 1; you selected 5."
    assert held(cohort) == 17
    assert ApplicationStatusChange.objects.count() == 0


def test_bulk_offer_up_to_the_cap_fills_it(db):
    cohort = CohortFactory(name="Group 1", size=20)
    MemberFactory.create_batch(17, cohort=cohort)
    chosen = ApplicationFactory.create_batch(3, programme=cohort.programme)

    outcome = applications_offer(applications=chosen, cohort=cohort, notify=Notify.NONE)

    assert (sorted(a.pk for a in outcome.changed), outcome.refused) == (sorted(a.pk for a in chosen), [])
    assert held(cohort) == 20


def test_bulk_offer_skips_those_already_offered_and_says_why(db):
    cohort = CohortFactory(name="Group 1", size=20)
    already = application_in(S.OFFERED, cohort=cohort, name="Asha Patel")
    fresh = ApplicationFactory(programme=cohort.programme)

    outcome = applications_offer(applications=[already, fresh], cohort=cohort, notify=Notify.NONE)

    assert [a.pk for a in outcome.changed] == [fresh.pk]
    assert [(a.name, reason) for a, reason in outcome.refused] == [
        ("Asha Patel", "The application is already offered a place.")
    ]


def test_single_offer_into_a_full_cohort_is_refused(db):
    cohort = CohortFactory(name="Group 1", size=2)
    MemberFactory.create_batch(2, cohort=cohort)
    application = ApplicationFactory(programme=cohort.programme)

    with pytest.raises(TransitionRefused) as refused:
        application_set_status(application=application, status=S.OFFERED, cohort=cohort)

    assert refused.value.reason == "No places left in Group 1: 2 of 2 are taken."


def test_a_confirmation_in_a_full_cohort_is_allowed(db):
    cohort = CohortFactory(size=2)
    MemberFactory(cohort=cohort)
    offered = application_in(S.OFFERED, cohort=cohort)

    application_set_status(application=offered, status=S.CONFIRMED, notify=Notify.NONE)

    assert held(cohort) == 2


@pytest.mark.postgres
def test_database_refuses_overfilling_even_without_the_service(db):
    cohort = CohortFactory(size=2)
    MemberFactory.create_batch(2, cohort=cohort)
    application = ApplicationFactory(programme=cohort.programme)

    with pytest.raises(IntegrityError, match="is full"), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            status=S.OFFERED, cohort=cohort, offer_expires_at=timezone.now() + timedelta(days=1)
        )


# --- Races on PostgreSQL: every thread has its own connection and commits for real ------------------------------


def run_at_once(functions) -> list:
    """Start the functions together in threads; return what each returned (or raised)."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post_offer(manager, application, cohort):
    def post():
        client = Client()
        client.force_login(manager)
        response = client.post(
            reverse("applications:selection_decide", args=["offer"]) + f"?ids={application.pk}",
            {
                "cohort": cohort.pk,
                "expires_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
                "notify": Notify.SEND,
            },
        )
        return response.status_code, response.content.decode()

    return post


@pytest.mark.postgres
def test_forty_concurrent_offers_for_the_last_twenty_places(transactional_db):
    cohort = CohortFactory(name="Group 1", size=30)
    MemberFactory.create_batch(10, cohort=cohort)
    applicants = ApplicationFactory.create_batch(40, programme=cohort.programme)
    manager = StaffFactory()

    results = run_at_once([post_offer(manager, a, cohort) for a in applicants])

    statuses = sorted(code for code, _ in results)
    assert statuses == [302] * 20 + [409] * 20
    refusals = {
        body.count("0 places left in Group 1; you selected 1.") for code, body in results if code == 409
    }
    assert refusals == {1}
    assert held(cohort) == 30
    assert Application.objects.filter(pk__in=[a.pk for a in applicants], status=S.OFFERED).count() == 20
    assert OutgoingEmail.objects.filter(kind="decision-offered").count() == 20
    assert len(mail.outbox) == 20


def unlocked_offer(application, cohort):
    """The naive way: count, then write, with no lock. Here only to show the race the lock prevents."""

    def offer():
        with transaction.atomic():
            taken = held(cohort)
            time.sleep(0.05)  # widen the window between the count and the write, as a busy server would
            if taken >= cohort.size:
                return "full"
            Application.objects.filter(pk=application.pk).update(
                status=S.OFFERED, cohort=cohort, offer_expires_at=timezone.now() + timedelta(days=7)
            )
            return "offered"

    return offer


@pytest.mark.postgres
def test_control_without_any_lock_the_cohort_overfills(transactional_db):
    cohort = CohortFactory(size=30)
    MemberFactory.create_batch(10, cohort=cohort)
    applicants = ApplicationFactory.create_batch(40, programme=cohort.programme)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE applications_application DISABLE TRIGGER applications_cohort_cap")
    try:
        results = run_at_once([unlocked_offer(a, cohort) for a in applicants])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE applications_application ENABLE TRIGGER applications_cohort_cap")

    assert results.count("offered") > 20
    assert held(cohort) > 30


@pytest.mark.postgres
def test_control_without_the_service_lock_the_database_rule_still_holds(transactional_db):
    cohort = CohortFactory(size=30)
    MemberFactory.create_batch(10, cohort=cohort)
    applicants = ApplicationFactory.create_batch(40, programme=cohort.programme)

    results = run_at_once([unlocked_offer(a, cohort) for a in applicants])

    assert held(cohort) == 30
    assert results.count("offered") == 20
    assert all(isinstance(r, IntegrityError) or r == "full" for r in results if r != "offered")


@pytest.mark.postgres
def test_two_managers_offering_the_same_applicant_at_once_make_one_offer_and_one_email(transactional_db):
    cohort = CohortFactory(size=20)
    applicant = ApplicationFactory(programme=cohort.programme, email="sam@example.org")
    managers = StaffFactory.create_batch(2)

    results = run_at_once([post_offer(m, applicant, cohort) for m in managers])

    assert sorted(code for code, _ in results) == [302, 302]
    assert ApplicationStatusChange.objects.filter(application=applicant).count() == 1
    assert OutgoingEmail.objects.filter(kind="decision-offered").count() == 1
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]


@pytest.mark.postgres
def test_cap_trigger_constraint_and_service_hold_the_same_statuses(db):
    """The trigger the migrations installed is the one applications/cap_trigger.py builds from
    PLACE_HOLDING_STATUSES today, as the check constraint and the service's count use them, or one of them would
    let a place through that the others count. (Changing the statuses fails here until a migration installs the
    trigger again.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, p.proname, p.prosrc, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = 'applications_application'::regclass AND NOT t.tgisinternal"
        )
        triggers = cursor.fetchall()
    assert triggers == [
        (
            TRIGGER,
            FUNCTION,
            cohort_cap_body(PLACE_HOLDING_STATUSES),
            f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF status, cohort_id ON public.applications_application "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
        )
    ]
    expected = sorted(PLACE_HOLDING_STATUSES)

    (constraint,) = [c for c in Application._meta.constraints if c.name == "application_place_needs_cohort"]
    (negated_in, _cohort_set) = constraint.condition.children
    assert sorted(negated_in.children[0][1]) == expected


def test_cap_trigger_sql_names_the_statuses_it_is_given_and_refuses_anything_else():
    sql = cohort_cap_sql(["offered", "confirmed", "on_hold"])

    assert sql.count("IN ('offered', 'confirmed', 'on_hold')") == 3
    assert sql.startswith(f"\nCREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$\nDECLARE")
    for bad in (["offered'); DROP TABLE x; --"], [], ["Offered"]):
        with pytest.raises(ValueError):
            cohort_cap_sql(bad)
