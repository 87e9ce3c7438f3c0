"""The network digest: double opt-in, one email per subscriber and month however often the dispatcher runs,
unsubscribe honoured at once, and the manager's preview is what is sent."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cohort_site.mail.dispatch import reminders_dispatch
from cohort_site.mail.models import OutgoingEmail
from learning.enums import Visibility
from learning.models import DigestIssue, DigestSubscriber
from learning.network.links import confirm_token, subscriber_from
from learning.network.services import NothingToSend, digest_confirm, digest_send, digest_subscribe
from tests.factories import EntryFactory, NetworkEventFactory, StaffFactory

UTC = datetime.UTC
MARCH = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
APRIL = datetime.datetime(2031, 4, 2, 9, 0, tzinfo=UTC)
CONFIRM = re.compile(r"Confirm your subscription: (http://127.0.0.1:8000/network/digest/confirm/\S+/)")
UNSUBSCRIBE = re.compile(r"http://\S+/email/unsubscribe/\S+/")


def digests() -> list[tuple[str, str]]:
    # By address: the key holds the subscriber's id, and "10" sorts before "9" once a shared sequence passes nine.
    return list(
        OutgoingEmail.objects.filter(kind="network-digest").order_by("to", "key").values_list("to", "subject")
    )


@pytest.fixture
def content(db):
    with time_machine.travel(MARCH - datetime.timedelta(days=3), tick=False):
        entry = EntryFactory(title="Walking groups that last", visibility=Visibility.PUBLIC)
    EntryFactory(title="Group only", visibility=Visibility.GROUP)
    event = NetworkEventFactory(
        title="Befriending at a distance", starts_at=MARCH + datetime.timedelta(days=9)
    )
    return entry, event


@pytest.fixture
def staff(db):
    return StaffFactory(name="Zoë Manager")


def subscribed(email: str, now=MARCH) -> DigestSubscriber:
    return digest_confirm(subscriber=digest_subscribe(email=email, now=now), now=now)


def test_subscribing_sends_only_a_confirmation_until_it_is_confirmed(client, content, staff):
    response = client.post(reverse("learning:digest_subscribe"), {"email": "rhian@example.org"})
    subscriber = DigestSubscriber.objects.get()
    with time_machine.travel(MARCH, tick=False):
        digest_send(by=staff, now=MARCH)
    reminders_dispatch(now=MARCH)

    assert response["Location"] == reverse("learning:digest_subscribed")
    assert subscriber.status == "pending"
    confirmation = OutgoingEmail.objects.get(to="rhian@example.org")
    assert confirmation.kind == "network-digest-confirm"
    url = CONFIRM.search(confirmation.body_text)[1]
    assert subscriber_from(url.rsplit("/", 2)[1]) == (subscriber.pk, "rhian@example.org")
    assert digests() == []

    # Opening the link asks; pressing the button confirms.
    assert client.get(url).context["done"] is False
    assert client.post(url).context["done"] is True
    reminders_dispatch(now=MARCH + datetime.timedelta(minutes=1))

    assert digests() == [("rhian@example.org", "Network digest: March 2031")]


def test_a_confirmation_link_older_than_seven_days_does_not_work(client, db):
    with time_machine.travel(MARCH, tick=False):
        subscriber = digest_subscribe(email="rhian@example.org")
        token = confirm_token(subscriber)
    with time_machine.travel(MARCH + datetime.timedelta(days=8), tick=False):
        response = client.post(reverse("learning:digest_confirm", kwargs={"token": token}))

    assert response.status_code == 404
    assert DigestSubscriber.objects.get().status == "pending"


def test_subscribing_again_sends_at_most_one_confirmation_a_day(db):
    digest_subscribe(email="rhian@example.org", now=MARCH)
    digest_subscribe(email="Rhian@example.org", now=MARCH + datetime.timedelta(hours=1))
    digest_subscribe(email="rhian@example.org", now=MARCH + datetime.timedelta(days=1))

    assert DigestSubscriber.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind="network-digest-confirm").count() == 2


def test_one_digest_per_subscriber_per_month_however_often_the_dispatcher_runs(content, staff):
    subscribed("ada@example.org")
    subscribed("bea@example.org")
    with time_machine.travel(MARCH, tick=False):
        reminders_dispatch()  # nothing before the manager sends it
        assert digests() == []
        digest_send(by=staff)
        reminders_dispatch()
        reminders_dispatch()
    with time_machine.travel(MARCH + datetime.timedelta(days=20), tick=False):
        subscribed("cai@example.org", now=MARCH + datetime.timedelta(days=20))
        reminders_dispatch()  # a subscriber who confirms later in the month gets this month's
        reminders_dispatch()

    assert digests() == [
        ("ada@example.org", "Network digest: March 2031"),
        ("bea@example.org", "Network digest: March 2031"),
        ("cai@example.org", "Network digest: March 2031"),
    ]

    with time_machine.travel(APRIL, tick=False):
        reminders_dispatch()  # April's is not sent until the manager sends it
        assert len(digests()) == 3
        NetworkEventFactory(title="Spring stories", starts_at=APRIL + datetime.timedelta(days=5))
        digest_send(by=staff)
        reminders_dispatch()
        reminders_dispatch()

    assert sorted(
        OutgoingEmail.objects.filter(kind="network-digest").values_list("key", flat=True)
    ) == sorted(
        f"network-digest:{s.pk}:{month}"
        for s in DigestSubscriber.objects.all()
        for month in ("2031-03", "2031-04")
    )


def test_unsubscribing_stops_the_digest_at_once(client, content, staff, django_capture_on_commit_callbacks):
    ada = subscribed("ada@example.org")
    subscribed("bea@example.org")
    with time_machine.travel(MARCH, tick=False), django_capture_on_commit_callbacks(execute=True):
        digest_send(by=staff)
        reminders_dispatch()

    sent = next(m for m in mail.outbox if m.to == ["ada@example.org"] and "digest" in m.subject)
    link = UNSUBSCRIBE.search(sent.body)[0]
    assert link.startswith("http://127.0.0.1:8000/email/unsubscribe/")
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop the digest: {link}" in sent.body

    # The link asks; the mail client's one-click POST (no CSRF token, no sign-in) stops it.
    assert "Stop the monthly network digest to ada@example.org?" in client.get(link).content.decode()
    stopped = client.post(link)
    assert (stopped.status_code, stopped.context["done"]) == (200, True)
    with time_machine.travel(APRIL, tick=False):
        NetworkEventFactory(title="Spring stories", starts_at=APRIL + datetime.timedelta(days=5))
        digest_send(by=staff)
        reminders_dispatch()

    april = OutgoingEmail.objects.filter(kind="network-digest", key__endswith="2031-04")
    assert list(april.values_list("to", flat=True)) == ["bea@example.org"]
    # Subscribing again (and confirming) starts it again.
    digest_confirm(subscriber=digest_subscribe(email="ada@example.org", now=APRIL), now=APRIL)
    with time_machine.travel(APRIL, tick=False):
        reminders_dispatch()
    assert sorted(april.values_list("to", flat=True)) == ["ada@example.org", "bea@example.org"]
    assert ada.pk == DigestSubscriber.objects.get(email="ada@example.org").pk


def test_the_preview_is_what_is_sent(client, content, staff):
    entry, event = content
    subscribed("ada@example.org")
    with time_machine.travel(MARCH, tick=False):
        client.force_login(staff)
        preview = client.get(reverse("learning:digest"))
        response = client.post(reverse("learning:digest"))
        # Made public after she sent it: in next month's digest, not this one.
        EntryFactory(title="Too late for March", visibility=Visibility.PUBLIC)
        reminders_dispatch()
        after = client.get(reverse("learning:digest"))

    assert response["Location"] == reverse("learning:digest")
    issue = DigestIssue.objects.get()
    assert (issue.entry_ids, issue.event_ids, issue.sent_by) == ([entry.pk], [event.pk], staff)
    sent = OutgoingEmail.objects.get(kind="network-digest")
    body = preview.context["body"]
    own_link = "(each subscriber's own unsubscribe link)"
    assert body.replace(own_link, "LINK") == UNSUBSCRIBE.sub("LINK", sent.body_text.strip())
    assert "Walking groups that last" in body
    assert "Befriending at a distance: Wednesday 12 March at 09:00 (UK time)" in body
    assert "Group only" not in body
    assert "Too late for March" not in sent.body_text
    assert after.context["body"] == body
    assert preview.context["recipients"] == "1 subscriber"


def test_nothing_new_is_not_sent(db, staff):
    with pytest.raises(NothingToSend):
        digest_send(by=staff, now=MARCH)

    assert DigestIssue.objects.count() == 0


def test_a_digest_sent_in_the_last_minute_of_the_month_still_goes(content, staff):
    subscribed("ada@example.org")
    last_minute = datetime.datetime(2031, 3, 31, 22, 59, 30, tzinfo=UTC)  # 23:59:30 UK time (summer time)
    NetworkEventFactory(title="Spring stories", starts_at=APRIL + datetime.timedelta(days=5))
    with time_machine.travel(last_minute, tick=False):
        digest_send(by=staff)
    reminders_dispatch(now=last_minute + datetime.timedelta(minutes=1))  # 1 April
    reminders_dispatch(now=last_minute + datetime.timedelta(hours=2))

    assert digests() == [("ada@example.org", "Network digest: March 2031")]
