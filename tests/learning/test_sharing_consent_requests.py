"""Sharing beyond the group never depends on one email: each co-author is asked by email and on their dashboard,
reminded once after three days, and whoever proposed it sees who has not answered."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cohort_site.dashboards.selectors import member_dashboard
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import emails_queue_many
from learning import services
from learning.enums import EntryKind, Visibility
from learning.reminders import sharing_consent_requests
from learning.selectors import consent_awaited, consent_requests_for
from tests.factories import MemberFactory, StaffFactory

CONSENT = EmailKind.LEARNING_SHARING_CONSENT
REMINDER = EmailKind.LEARNING_SHARING_CONSENT_REMINDER


@pytest.fixture
def authors(cohort):
    return [
        MemberFactory(cohort=cohort, name=name, email=f"{name.lower()}@example.org").user
        for name in ("Ada", "Ben", "Cy")
    ]


@pytest.fixture
def entry(cohort, authors):
    """Written by Ada with Ben and Cy, shared with the group."""
    ada, ben, cy = authors
    draft = services.entry_create(
        cohort=cohort,
        created_by=ada,
        kind=EntryKind.BLOG,
        title="Walking groups",
        body="Start small.",
        authors=[ben, cy],
    )
    return services.entry_publish(entry=draft, by=ada)


def sent(kind):
    return list(OutgoingEmail.objects.filter(kind=kind).order_by("to").values_list("to", "subject"))


def test_proposing_emails_each_co_author_but_the_proposer(entry, authors):
    ada, _, _ = authors

    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)

    assert sent(CONSENT) == [
        ("ben@example.org", "May we share “Walking groups” more widely? Your consent is needed"),
        ("cy@example.org", "May we share “Walking groups” more widely? Your consent is needed"),
    ]
    body = OutgoingEmail.objects.filter(kind=CONSENT).first().body_text
    assert body.splitlines()[2] == (
        "Ada has proposed sharing “Walking groups”, which you wrote with others in Group 1, beyond your group: "
        "with the members of every group of the programme."
    )
    assert f"http://127.0.0.1:8000{entry.get_absolute_url()}\n" in body


def test_the_manager_proposing_emails_every_author(entry, authors):
    services.entry_sharing_request(entry=entry, by=StaffFactory(name="Zoë"), audience=Visibility.PUBLIC)

    assert [to for to, _ in sent(CONSENT)] == ["ada@example.org", "ben@example.org", "cy@example.org"]


def test_an_author_who_already_consented_is_not_asked(entry, authors):
    ada, ben, _ = authors
    services.entry_consent_give(entry=entry, user=ben, audience=Visibility.PUBLIC)

    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)

    assert [to for to, _ in sent(CONSENT)] == ["cy@example.org"]


def test_an_edit_that_clears_consents_asks_the_others_again(entry, authors):
    ada, ben, cy = authors
    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=entry, user=ben, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=entry, user=cy, audience=Visibility.NETWORK)

    services.entry_update(
        entry=entry, by=ben, title="Walking groups", body="Start small, then grow.", authors=[ada, ben, cy]
    )

    assert [to for to, _ in sent(CONSENT)] == [
        "ada@example.org",
        "ben@example.org",
        "cy@example.org",
        "cy@example.org",
    ]


def test_the_dashboard_asks_each_awaited_author(entry, authors):
    ada, ben, cy = authors
    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=entry, user=ben, audience=Visibility.NETWORK)

    todos = {user.name: member_dashboard(user, now=timezone.now()).todo.consents_due for user in authors}

    assert todos == {"Ada": [], "Ben": [], "Cy": [entry]}
    assert consent_requests_for(cy) == [entry]


def test_a_declined_proposal_asks_nobody_any_more(entry, authors):
    ada, _, cy = authors
    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)

    services.entry_sharing_decline(entry=entry, by=StaffFactory())

    entry.refresh_from_db()
    assert (consent_requests_for(cy), consent_awaited(entry)) == ([], [])


def test_one_reminder_three_days_later_to_those_who_have_not_answered(entry, authors):
    ada, ben, _ = authors
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)
    services.entry_consent_give(entry=entry, user=ben, audience=Visibility.NETWORK)

    early = emails_queue_many(sharing_consent_requests(start + datetime.timedelta(days=2, hours=23)))
    due = emails_queue_many(sharing_consent_requests(start + datetime.timedelta(days=3, minutes=1)))
    again = emails_queue_many(sharing_consent_requests(start + datetime.timedelta(days=9)))

    assert (early, due, again) == (0, 1, 0)
    assert sent(REMINDER) == [("cy@example.org", "Reminder: may we share “Walking groups” more widely?")]


def test_the_dispatcher_asks_anyone_the_service_did_not(entry, authors):
    ada, _, _ = authors
    services.entry_sharing_request(entry=entry, by=ada, audience=Visibility.NETWORK)
    OutgoingEmail.objects.filter(kind=CONSENT, to="cy@example.org").delete()

    asked = emails_queue_many(sharing_consent_requests(timezone.now()))

    assert asked == 1
    assert [to for to, _ in sent(CONSENT)] == ["ben@example.org", "cy@example.org"]


def test_the_proposer_sees_who_has_not_answered(client, entry, authors):
    ada, ben, _ = authors
    client.force_login(ada)

    response = client.post(
        reverse("learning:share", kwargs={"pk": entry.pk}),
        {"action": "request", "audience": "network"},
        follow=True,
    )
    client.force_login(ben)
    client.post(
        reverse("learning:share", kwargs={"pk": entry.pk}), {"action": "consent", "audience": "network"}
    )
    client.force_login(ada)
    page = " ".join(client.get(entry.get_absolute_url()).content.decode().split())

    assert [str(m) for m in response.context["messages"]] == [
        "Proposed. It goes wider once every author has consented and the manager has approved.",
        "We have emailed Ben and Cy to ask for their consent.",
    ]
    assert (
        "<strong>Not answered yet:</strong> Cy. We have emailed them, and remind them once after three days."
        in page
    )
