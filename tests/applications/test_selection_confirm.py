"""The applicant's answer through the signed link in the offer email."""

import re
from datetime import timedelta

import time_machine
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus, Notify, WaitlistPromotion
from applications.links import OFFER_LINK_SALT, offer_token
from applications.services import application_set_status, current_offer
from cohort_site.core.models import User
from tests.factories import ApplicationFactory, CohortFactory, StaffFactory, UserFactory, application_in

S = ApplicationStatus


def offer(application, cohort, **kwargs):
    application_set_status(
        application=application, status=S.OFFERED, cohort=cohort, notify=Notify.NONE, **kwargs
    )
    application.refresh_from_db()
    return reverse(
        "applications:offer_respond",
        kwargs={"token": offer_token(application=application, offer=current_offer(application))},
    )


def test_offer_email_carries_the_signed_link_and_deadline(db, django_capture_on_commit_callbacks):
    cohort = CohortFactory(name="Group 1")
    application = ApplicationFactory(programme=cohort.programme, name="Sam Okafor", email="sam@example.org")
    expires = timezone.now().replace(microsecond=0) + timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(
            application=application, status=S.OFFERED, cohort=cohort, offer_expires_at=expires
        )

    local = timezone.localtime(expires, cohort.programme.tz)
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["sam@example.org"],
        f"[Action required] Confirm your place by {local:%A} {local.day} {local:%B}",
    )
    link = re.search(r"http://\S+/offer/(\S+)/", message.body).group(1)
    assert signing.loads(link, salt=OFFER_LINK_SALT) == {
        "a": application.pk,
        "o": current_offer(application).pk,
    }


def test_showing_the_link_changes_nothing(client, db):
    cohort = CohortFactory(name="Group 1")
    application = ApplicationFactory(programme=cohort.programme)
    url = offer(application, cohort)

    response = client.get(url)

    application.refresh_from_db()
    assert (response.status_code, response.context["state"], application.status) == (200, "open", S.OFFERED)
    assert "Confirm my place" in response.content.decode()


def test_confirming_makes_a_verified_account_signs_in_and_lands_on_my_place(
    client, db, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(name="Group 1")
    application = ApplicationFactory(
        programme=cohort.programme, name="Sam Okafor", email="Sam@Example.org", organisation="Age Concern"
    )
    url = offer(application, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "confirm"})

    application.refresh_from_db()
    user = User.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("applications:my_place"))
    assert (application.status, application.user, application.cohort) == (S.CONFIRMED, user, cohort)
    assert (user.email, user.name, user.organisation, user.has_usable_password()) == (
        "sam@example.org",
        "Sam Okafor",
        "Age Concern",
        False,
    )
    assert list(EmailAddress.objects.values_list("user", "email", "verified", "primary")) == [
        (user.pk, "sam@example.org", True, True)
    ]
    assert int(client.session["_auth_user_id"]) == user.pk
    assert [m.subject for m in mail.outbox] == ["Welcome to Group 1: your place is confirmed"]
    landing = client.get(response["Location"])
    assert "You are a member of Group 1." in landing.content.decode()


def test_confirming_twice_is_harmless(client, db, django_capture_on_commit_callbacks):
    cohort = CohortFactory()
    application = ApplicationFactory(programme=cohort.programme)
    url = offer(application, cohort)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": "confirm"})

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"answer": "confirm"})

    assert (again.status_code, again["Location"]) == (302, reverse("applications:my_place"))
    assert (User.objects.count(), EmailAddress.objects.count(), len(mail.outbox)) == (1, 1, 1)
    assert application.status_changes.filter(to_status=S.CONFIRMED).count() == 1


def test_a_reused_link_shows_the_place_but_signs_nobody_in(client, db):
    cohort = CohortFactory(name="Group 1")
    application = ApplicationFactory(programme=cohort.programme)
    url = offer(application, cohort)
    client.post(url, {"answer": "confirm"})
    client.logout()

    again = client.post(url, {"answer": "confirm"})
    shown = client.get(url)

    assert (again.status_code, again.context["state"]) == (200, "confirmed")
    assert (shown.status_code, shown.context["state"]) == (200, "confirmed")
    assert "_auth_user_id" not in client.session
    assert "Your place is confirmed" in shown.content.decode()


def test_an_expired_offer_gets_a_clear_page(client, db):
    cohort = CohortFactory()
    application = ApplicationFactory(programme=cohort.programme)
    url = offer(application, cohort, offer_expires_at=timezone.now() + timedelta(days=1))

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.post(url, {"answer": "confirm"})

    application.refresh_from_db()
    assert (response.status_code, response.context["state"], application.status) == (
        410,
        "expired",
        S.OFFERED,
    )
    assert "This offer has expired" in response.content.decode()
    assert User.objects.count() == 0


def test_a_tampered_link_gets_a_clear_page(client, db):
    cohort = CohortFactory()
    application = ApplicationFactory(programme=cohort.programme)
    url = offer(application, cohort)
    forged = signing.dumps({"a": application.pk, "o": 1}, salt="something-else")

    for bad in (url[:-3] + "xx/", reverse("applications:offer_respond", kwargs={"token": forged})):
        response = client.post(bad, {"answer": "confirm"})
        assert (response.status_code, response.context["state"]) == (404, "invalid")
        assert "This link does not work" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_a_link_from_an_earlier_offer_cannot_answer_a_later_one(client, db):
    cohort = CohortFactory()
    application = ApplicationFactory(programme=cohort.programme)
    first = offer(application, cohort)
    application_set_status(application=application, status=S.OFFER_EXPIRED, notify=Notify.NONE)
    offer(application, cohort)

    response = client.post(first, {"answer": "confirm"})

    application.refresh_from_db()
    assert (response.status_code, response.context["state"], application.status) == (
        410,
        "superseded",
        S.OFFERED,
    )


def test_declining_frees_the_place_for_the_next_on_the_waitlist(
    client, db, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(size=1, programme__waitlist_promotion=WaitlistPromotion.AUTOMATIC)
    application = ApplicationFactory(programme=cohort.programme, email="first@example.org")
    url = offer(application, cohort)
    waiting = application_in(S.WAITLISTED, programme=cohort.programme, email="next@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "decline"})

    application.refresh_from_db()
    waiting.refresh_from_db()
    assert (response.status_code, response.context["state"]) == (200, "declined")
    assert (application.status, application.cohort) == (S.WITHDRAWN, None)
    assert (waiting.status, waiting.cohort) == (S.OFFERED, cohort)
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("first@example.org", f"You have withdrawn from {cohort.programme.title}"),
        ("next@example.org", m_subject(waiting)),
    ]
    assert "_auth_user_id" not in client.session


def m_subject(application):
    local = timezone.localtime(application.offer_expires_at, application.programme.tz)
    return f"[Action required] Confirm your place by {local:%A} {local.day} {local:%B}"


def test_a_staff_account_is_not_signed_in_by_the_link(client, db):
    cohort = CohortFactory()
    staff = StaffFactory(email="zoe@example.org")
    application = ApplicationFactory(programme=cohort.programme, email="zoe@example.org")
    url = offer(application, cohort)

    response = client.post(url, {"answer": "confirm"})

    application.refresh_from_db()
    assert (response.status_code, response.context["state"], application.user) == (200, "confirmed", staff)
    assert "_auth_user_id" not in client.session


def test_an_existing_account_is_reused_and_its_address_verified(client, db):
    cohort = CohortFactory()
    user = UserFactory(email="sam@example.org", verified=False)
    application = ApplicationFactory(programme=cohort.programme, email="sam@example.org")
    url = offer(application, cohort)

    client.post(url, {"answer": "confirm"})

    application.refresh_from_db()
    assert (application.user, User.objects.count()) == (user, 1)
    assert list(EmailAddress.objects.values_list("email", "verified")) == [("sam@example.org", True)]


def test_next_group_link_records_interest_once(client, db, django_capture_on_commit_callbacks):
    application = ApplicationFactory(email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application_set_status(application=application, status=S.DECLINED)
    [message] = mail.outbox
    path = re.search(r"http://[^/]+(/next-group/\S+/)", message.body).group(1)

    asked = client.get(path)
    done = client.post(path)
    first_time = application.__class__.objects.get(pk=application.pk).next_group_interest_at
    client.post(path)

    assert (asked.context["state"], done.context["state"]) == ("ask", "done")
    assert application.__class__.objects.get(pk=application.pk).next_group_interest_at == first_time
    assert first_time is not None
    assert client.get(path[:-4] + "zz/").status_code == 404
