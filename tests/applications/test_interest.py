import icalendar
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.models import ExpressionOfInterest

from .conftest import DEADLINE, london


def interest_url(programme):
    return reverse("applications:interest", kwargs={"slug": programme.slug})


def interest_data(**overrides):
    data = {
        "name": "Ben Okafor",
        "email": "ben@example.org",
        "organisation": "Bristol Neighbours",
        "role": "Volunteer coordinator",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_interest_confirmation_gives_drop_in_in_local_time_join_link_how_to_apply_and_ics(
    client, programme, drop_in, during_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(interest_url(programme), interest_data())

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:interest_thanks", kwargs={"slug": programme.slug}),
    )
    interest = ExpressionOfInterest.objects.get()
    assert (interest.name, interest.email, interest.organisation, interest.role, interest.consented_at) == (
        "Ben Okafor",
        "ben@example.org",
        "Bristol Neighbours",
        "Volunteer coordinator",
        london(2021, 7, 1, 12),
    )
    assert [(m.to, m.subject, m.reply_to) for m in mail.outbox] == [
        (
            ["ben@example.org"],
            "Thank you for your interest: Relationships and connections",
            ["zoe@example.org"],
        )
    ]
    message = mail.outbox[0]
    assert (
        "Wednesday 14 July 2021, 15:00–16:00 (UK time), with Zoë Cumberland\n"
        "Join the drop-in: https://meet.example.org/drop-in\n"
    ) in message.body
    assert (
        "How to apply: complete the application form by 9:00 UK time on Wednesday 21 July 2021:\n"
        "http://127.0.0.1:8000/programmes/relationships/apply/\n"
    ) in message.body
    assert [(name, mimetype) for name, _, mimetype in message.attachments] == [
        ("drop-in.ics", "text/calendar")
    ]
    calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
    [event] = calendar.walk("VEVENT")
    assert (
        str(event["uid"]),
        event["dtstart"].dt,
        event["dtstart"].params["TZID"],
        event["dtend"].dt,
        str(event["location"]),
        int(event["sequence"]),
    ) == (
        f"drop-in-{drop_in.pk}@127.0.0.1",
        london(2021, 7, 14, 15),
        "Europe/London",
        london(2021, 7, 14, 16),
        "https://meet.example.org/drop-in",
        0,
    )
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_interest_without_upcoming_drop_in_has_no_attachment(
    client, programme, drop_in, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(london(2021, 7, 15, 12), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(interest_url(programme), interest_data())

    assert [len(m.attachments) for m in mail.outbox] == [0]
    assert "drop-in" not in mail.outbox[0].body


def test_interest_after_closing_is_for_the_next_group(client, programme, django_capture_on_commit_callbacks):
    with time_machine.travel(DEADLINE, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = client.get(interest_url(programme))
        client.post(interest_url(programme), interest_data())

    assert "Applications for this group have closed." in page.content.decode()
    assert ExpressionOfInterest.objects.count() == 1
    assert "Applications for this group have closed. We will keep your details" in mail.outbox[0].body


def test_interest_twice_changes_nothing_and_looks_the_same_to_a_stranger(
    client, programme, drop_in, during_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(interest_url(programme), interest_data())
        second = client.post(interest_url(programme), interest_data(email="BEN@example.org", name="Mallory"))
        third = client.post(interest_url(programme), interest_data(email="ben@example.org", name="Mallory"))

    assert first["Location"] == second["Location"] == third["Location"]
    first_page = client.get(first["Location"]).content
    assert ExpressionOfInterest.objects.values_list("name", "email").get() == (
        "Ben Okafor",
        "ben@example.org",
    )
    # The known address alone is told, once, however many times it is tried.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ben@example.org"], "Thank you for your interest: Relationships and connections"),
        (["ben@example.org"], "You're already registered: Relationships and connections"),
    ]
    assert client.get(second["Location"]).content == first_page


REQUIRED_MESSAGES = {
    "name": ["Enter your name."],
    "email": ["Enter your email address."],
    "organisation": ["Enter your organisation."],
    "role": ["Enter your role."],
    "consent": ["Tick the box to agree, or we cannot contact you."],
}


def test_interest_each_required_field_has_its_message(client, programme, during_applications):
    response = client.post(interest_url(programme), {"website": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == REQUIRED_MESSAGES
    content = response.content.decode()
    for [message] in REQUIRED_MESSAGES.values():
        assert message in content
    assert ExpressionOfInterest.objects.count() == 0


def test_interest_invalid_email_message(client, programme, during_applications):
    response = client.post(interest_url(programme), interest_data(email="ben@"))

    assert response.context["form"].errors == {"email": ["Enter an email address like name@example.org."]}


def test_interest_honeypot_stores_nothing(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(interest_url(programme), interest_data(website="buy now"))

    assert response.status_code == 302
    assert (ExpressionOfInterest.objects.count(), len(mail.outbox)) == (0, 0)


def test_interest_rate_limit_is_per_client_address_behind_proxy(
    client, programme, during_applications, settings
):
    settings.PUBLIC_FORM_RATE_LIMIT = "3/m"
    settings.TRUSTED_PROXY_COUNT = 1

    def post(forwarded_for, n):
        return client.post(
            interest_url(programme),
            interest_data(email=f"p{n}@example.org"),
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code

    # A client cannot dodge the limit by writing its own X-Forwarded-For entries: only the proxy's counts.
    statuses = [post(f"10.0.0.{n}, 198.51.100.7", n) for n in range(4)]
    other = post("198.51.100.8", 9)

    assert statuses == [302, 302, 302, 429]
    assert other == 302
    assert ExpressionOfInterest.objects.count() == 4


def test_interest_and_apply_limits_are_counted_separately(client, programme, during_applications, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "1/h"

    interest = [client.post(interest_url(programme), interest_data()).status_code for _ in range(2)]
    apply = client.post(reverse("applications:apply", kwargs={"slug": programme.slug}), {}).status_code

    assert (interest, apply) == ([302, 429], 200)


def test_interest_limit_page_is_friendly(client, programme, during_applications, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "1/h"
    client.post(interest_url(programme), interest_data())

    response = client.post(interest_url(programme), interest_data())

    assert response.status_code == 429
    content = response.content.decode()
    assert "Nothing is wrong with your answers." in content
    assert 'href="mailto:zoe@example.org"' in content


@pytest.mark.parametrize("text", ["0/h", "ten/h", "10/w", "10"])
def test_rate_setting_must_be_sensible(text):
    from django.core.exceptions import ImproperlyConfigured

    from applications.ratelimit import parse_rate

    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_rate_setting_parses_multiples():
    from applications.ratelimit import Rate, parse_rate

    assert [parse_rate("10/h"), parse_rate("5/10m"), parse_rate("100/d")] == [
        Rate(10, 3600),
        Rate(5, 600),
        Rate(100, 86400),
    ]


def test_interest_form_suggests_member_organisations(client, programme, during_applications):
    from tests.factories import MemberOrganisationFactory

    MemberOrganisationFactory(name="Age UK Leeds")
    MemberOrganisationFactory(name="Befriending Network")

    content = client.get(interest_url(programme)).content.decode()

    assert 'list="member-organisations"' in content
    assert '<option value="Age UK Leeds">' in content
    assert '<option value="Befriending Network">' in content


def test_interest_unknown_programme_is_404(client, db):
    response = client.get(reverse("applications:interest", kwargs={"slug": "nope"}))

    assert response.status_code == 404


def test_interest_unpublished_programme_is_404(client, programme):
    programme.is_published = False
    programme.save()

    assert client.get(interest_url(programme)).status_code == 404
    assert client.get(reverse("applications:apply", kwargs={"slug": programme.slug})).status_code == 404


@pytest.mark.parametrize("field", ["name", "organisation", "role"])
def test_interest_refuses_a_text_direction_override(client, programme, during_applications, field):
    response = client.post(interest_url(programme), interest_data(**{field: "Ben\u202eOkafor"}))

    assert response.context["form"].errors == {
        field: [
            "Please remove the hidden control or text-direction character (U+202E) from this text: it can "
            "disguise what is written."
        ]
    }
    assert ExpressionOfInterest.objects.count() == 0
