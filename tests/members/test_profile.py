import pytest
from django.urls import reverse

from cohort_site.mail.enums import OptionalEmail
from cohort_site.mail.models import EmailOptOut
from cohort_site.mail.services import email_queue, opt_out_record
from tests.factories import UserFactory

PROFILE = {
    "name": "Sam Okafor",
    "pronouns": "they/them",
    "organisation": "Leeds Befrienders",
    "role": "Volunteer coordinator",
    "timezone": "Europe/Dublin",
    "accessibility_needs": "Captions, please",
}


@pytest.fixture
def member(client, db):
    user = UserFactory(email="sam@example.org", name="Sam O")
    client.force_login(user)
    return user


def test_profile_saves_every_field(client, member):
    response = client.post(reverse("members:profile"), {**PROFILE, "emails_wanted": OptionalEmail.values})

    assert (response.status_code, response["Location"]) == (302, reverse("members:profile"))
    member.refresh_from_db()
    assert {field: getattr(member, field) for field in PROFILE} == PROFILE
    assert list(EmailOptOut.objects.all()) == []


def test_unticking_an_email_kind_opts_out_and_ticking_opts_back_in(client, member):
    opt_out_record(email="sam@example.org", kind=OptionalEmail.SURVEY_REMINDER)
    wanted = [kind for kind in OptionalEmail.values if kind != OptionalEmail.COFFEE_NUDGE]

    client.post(reverse("members:profile"), {**PROFILE, "emails_wanted": wanted})

    assert list(EmailOptOut.objects.values_list("email", "kind")) == [("sam@example.org", "coffee-nudge")]
    form = client.get(reverse("members:profile")).context["form"]
    assert form["emails_wanted"].initial == wanted


def test_unsubscribe_link_and_profile_agree(client, member):
    opt_out_record(email="SAM@example.org", kind=OptionalEmail.FEEDBACK_REMINDER)

    form = client.get(reverse("members:profile")).context["form"]

    assert OptionalEmail.FEEDBACK_REMINDER.value not in form["emails_wanted"].initial
    assert len(form["emails_wanted"].initial) == len(OptionalEmail.values) - 1


def test_bad_timezone_is_refused_next_to_the_field_and_keeps_what_was_typed(client, member):
    response = client.post(reverse("members:profile"), {**PROFILE, "timezone": "Mars/Olympus"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"timezone": ["Choose a time zone from the list."]}
    assert response.context["form"]["name"].value() == "Sam Okafor"
    member.refresh_from_db()
    assert member.name == "Sam O"


def test_profile_needs_sign_in(client, db):
    response = client.get(reverse("members:profile"))

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/me/profile/")


def test_email_of_an_unlisted_kind_is_a_programming_error(db):
    with pytest.raises(ValueError, match="'made-up' is not a valid EmailKind"):
        email_queue(key="x:1", kind="made-up", to="a@example.org", subject="Hi")


def test_profile_refuses_a_megabyte_accessibility_note_with_a_message(client, member):
    response = client.post(
        reverse("members:profile"), {**PROFILE, "accessibility_needs": "x" * 1_000_000, "emails_wanted": []}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "accessibility_needs": ["Please shorten this to 1,000 characters or fewer (it has 1000000)."]
    }
    member.refresh_from_db()
    assert member.accessibility_needs == ""
    assert "Up to 1,000 characters." in response.content.decode()


@pytest.mark.parametrize("field", ["name", "pronouns", "organisation", "role", "accessibility_needs"])
def test_profile_refuses_control_characters(client, member, field):
    response = client.post(reverse("members:profile"), {**PROFILE, field: "Sam\x0bO", "emails_wanted": []})

    assert response.context["form"].errors == {
        field: [
            "Please remove the hidden control or text-direction character (U+000B) from this text: it can "
            "disguise what is written."
        ]
    }
    member.refresh_from_db()
    assert member.name == "Sam O"


def test_time_zone_list_offers_the_likely_zones_first_by_their_common_names(client, member):
    response = client.get(reverse("members:profile"))

    choices = response.context["form"].fields["timezone"].choices
    (empty, (likely_label, likely), (others_label, others)) = choices
    assert empty == ("", "The programme's time zone")
    assert (likely_label, others_label) == ("Most likely", "Every other time zone")
    assert [label for _, label in likely] == [
        "UK time",
        "Irish time",
        "Central European time (Paris, Berlin, Madrid, Rome)",
        "Eastern European time (Athens, Helsinki, Bucharest)",
        "US Eastern time (New York)",
        "US Central time (Chicago)",
        "US Pacific time (Los Angeles)",
        "India time",
        "Australian Eastern time (Sydney)",
    ]
    assert ("Asia/Tokyo", "Tokyo (Asia)") in others
    assert [key for key, _ in others if key in dict(likely)] == []
    html = response.content.decode()
    assert html.index('<optgroup label="Most likely">') < html.index('<option value="Europe/London"')
    assert html.index('<option value="Europe/Dublin"') < html.index(
        '<optgroup label="Every other time zone">'
    )
