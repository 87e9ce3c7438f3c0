import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus, AvailabilityAnswer, Region, RoleType
from applications.links import application_private_url, application_token
from applications.models import Application, ApplicationStatusChange, Availability
from applications.services import APPLICANT_FIELDS

from .conftest import DEADLINE, OPENS, apply_data, london

SECOND = datetime.timedelta(seconds=1)


def apply_url(programme):
    return reverse("applications:apply", kwargs={"slug": programme.slug})


def test_apply_stores_answers_availability_and_emails_summary_with_private_link(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(programme), apply_data(programme))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:apply_thanks", kwargs={"slug": programme.slug}),
    )
    application = Application.objects.get()
    assert (
        application.name,
        application.email,
        application.organisation,
        application.role_type,
        application.region,
        application.status,
        application.commits_to_openness,
        application.commits_to_sharing,
        application.consented_at,
    ) == (
        "Asha Patel",
        "asha@example.org",
        "Leeds Befriending",
        RoleType.FRONT_LINE,
        Region.YORKSHIRE,
        ApplicationStatus.SUBMITTED,
        True,
        True,
        london(2021, 7, 1, 12),
    )
    assert sorted(
        Availability.objects.values_list("candidate_time__weekday", "answer").order_by(
            "candidate_time__weekday"
        )
    ) == [(0, AvailabilityAnswer.YES), (1, AvailabilityAnswer.YES), (2, AvailabilityAnswer.NO)]
    assert [(m.to, m.subject, m.reply_to) for m in mail.outbox] == [
        (["asha@example.org"], "We have your application: Relationships and connections", ["zoe@example.org"])
    ]
    body = mail.outbox[0].body
    assert application_private_url(application) in body
    assert "until the deadline (9:00 UK time on Wednesday 21 July 2021)" in body
    assert "Why you want to take part:\nTo learn from peers.\n" in body
    assert "Available Tuesday 14:00–16:00:\nYes\n" in body
    assert "Available Wednesday 10:00–12:00:\nNo\n" in body


REQUIRED_MESSAGES = {
    "name": ["Enter your name."],
    "email": ["Enter your email address."],
    "organisation": ["Enter your organisation."],
    "role": ["Enter your role."],
    "role_type": ["Choose whether you work in a front-line role or design front-line work."],
    "pandemic_work": ["Tell us what your organisation did during the pandemic."],
    "learning_gained": ["Tell us about some learning you or your organisation have gained."],
    "motivation": ["Tell us why you want to take part."],
    "hopes": ["Tell us what you hope to achieve."],
    "organisation_support": [
        "Tick to confirm your organisation supports you to attend: it is needed to take part."
    ],
    "commits_to_openness": ["Tick to confirm you will show up with openness, honesty and no judgement."],
    "commits_to_sharing": ["Tick to confirm you will share feedback and learning as we go."],
    "consent": ["Tick the box to agree, or we cannot consider your application."],
}


def test_apply_empty_form_gives_each_required_field_its_message(client, programme, during_applications):
    times = list(programme.candidate_times.order_by("weekday"))

    response = client.post(apply_url(programme), {"submission_token": "", "website": ""})

    assert response.status_code == 200
    expected = {
        **REQUIRED_MESSAGES,
        **{f"time_{time.pk}": [f"Choose yes, if need be or no for {time.label}."] for time in times},
    }
    assert response.context["form"].errors == expected
    assert Application.objects.count() == 0
    assert "Choose yes, if need be or no for Monday 10:00–12:00." in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter an email address like name@example.org."),
        ("role_type", "manager", "Select a valid choice. manager is not one of the available choices."),
        ("region", "mars", "Select a valid choice. mars is not one of the available choices."),
        ("name", "x" * 151, "Please shorten this to 150 characters or fewer (it has 151)."),
    ],
)
def test_apply_invalid_value_message(client, programme, during_applications, field, value, message):
    response = client.post(apply_url(programme), apply_data(programme, **{field: value}))

    assert response.context["form"].errors == {field: [message]}
    assert Application.objects.count() == 0


ANSWERS = ("pandemic_work", "learning_gained", "motivation", "hopes", "challenge", "accessibility_needs")
MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize("field", ANSWERS)
def test_apply_refuses_a_megabyte_answer_and_says_how_long_it_may_be(
    client, programme, during_applications, field
):
    response = client.post(apply_url(programme), apply_data(programme, **{field: MEGABYTE}))

    limit = {"accessibility_needs": "1,000"}.get(field, "3,000")
    assert response.context["form"].errors == {
        field: [f"Please shorten this to {limit} characters or fewer (it has 1000000)."]
    }
    assert Application.objects.count() == 0


def test_apply_form_shows_each_answer_box_its_limit(client, programme, during_applications):
    page = client.get(apply_url(programme)).content.decode()

    assert page.count('maxlength="3000"') == 5
    assert page.count("Up to 3,000 characters.") == 5
    assert page.count('maxlength="1000"') == page.count("Up to 1,000 characters.") == 1
    assert '<script src="/static/js/text-limit.js"></script>' in page


def test_apply_counts_a_line_break_once_as_the_browser_does(client, programme, during_applications):
    """Browsers send each line break as CR LF but count it as one character against `maxlength`."""
    response = client.post(apply_url(programme), apply_data(programme, motivation="a\r\n" * 1499 + "ab"))

    assert response.status_code == 302
    assert Application.objects.get().motivation == "a\n" * 1499 + "ab"


def test_confirmation_email_quotes_only_an_excerpt_of_each_answer(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    """Anyone may type any address: what we send there is bounded, whatever was written."""
    answers = {field: "y" * Application._meta.get_field(field).max_length for field in ANSWERS}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(programme), apply_data(programme, **answers))

    assert response.status_code == 302
    body = mail.outbox[0].body
    assert f"Why you want to take part:\n{'y' * 199}…\n" in body
    assert (
        "Long answers are shortened here (to 200 characters); your private link shows them in full." in body
    )
    assert len(body) < 4000


RLO_MESSAGE = (
    "Please remove the hidden control or text-direction character (U+202E) from this text: it can disguise "
    "what is written."
)


@pytest.mark.parametrize("field", ["name", "organisation", "role", *ANSWERS])
def test_apply_refuses_control_and_text_direction_characters(client, programme, during_applications, field):
    response = client.post(apply_url(programme), apply_data(programme, **{field: "Ada\u202egnp.exe"}))

    assert response.context["form"].errors == {field: [RLO_MESSAGE]}
    assert Application.objects.count() == 0


@pytest.mark.parametrize("character", ["\x0b", "\x85"])
def test_apply_refuses_a_control_character_in_a_name(client, programme, during_applications, character):
    response = client.post(apply_url(programme), apply_data(programme, name=f"Asha{character}Patel"))

    code = f"U+{ord(character):04X}"
    assert response.context["form"].errors == {
        "name": [
            f"Please remove the hidden control or text-direction character ({code}) from this text: it can "
            "disguise what is written."
        ]
    }


def test_apply_optional_fields_may_be_empty(client, programme, during_applications):
    data = apply_data(
        programme,
        challenge="",
        accessibility_needs="",
        team_open_to_ideas=None,
        share_challenge_with_partners=None,
        region="",
    )

    response = client.post(apply_url(programme), data)

    assert response.status_code == 302
    assert Application.objects.values_list("challenge", "team_open_to_ideas", "region").get() == (
        "",
        False,
        "",
    )


def test_apply_with_too_few_yes_answers_is_refused_and_says_how_many(client, programme, during_applications):
    data = apply_data(programme)
    _monday, tuesday, _wednesday = programme.candidate_times.order_by("weekday")
    data[f"time_{tuesday.pk}"] = "if_need_be"

    response = client.post(apply_url(programme), data)

    message = (
        "Please answer “yes” to at least 2 of the times, so we can find a time that suits the group. "
        "You answered “yes” to 1."
    )
    assert response.context["form"].errors == {"__all__": [message]}
    assert response.content.decode().count(message) == 2  # the summary at the top and the grid itself
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("moment", "stored"),
    [
        (DEADLINE - SECOND, 1),
        (DEADLINE, 0),
        (DEADLINE + SECOND, 0),
    ],
)
def test_apply_deadline_is_enforced_at_submission_in_british_summer_time(client, programme, moment, stored):
    # 9:00 on 21 July in London is 08:00 UTC (BST).
    assert datetime.datetime(2021, 7, 21, 8, tzinfo=datetime.UTC) == DEADLINE
    with time_machine.travel(DEADLINE - datetime.timedelta(minutes=30), tick=False):
        form_page = client.get(apply_url(programme))
    token = str(form_page.context["form"]["submission_token"].value())
    data = apply_data(programme, submission_token=token)

    with time_machine.travel(moment, tick=False):
        response = client.post(apply_url(programme), data)

    assert Application.objects.count() == stored
    if stored:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        content = response.content.decode()
        assert response.context["form"].errors == {
            "__all__": [
                "Applications closed at 9:00 UK time on Wednesday 21 July 2021, so we could not accept this. "
                "Your answers are still below if you want to keep a copy; please email zoe@example.org if "
                "something went wrong."
            ]
        }
        # Every answer is still on screen.
        for value in ("Asha Patel", "asha@example.org", "Leeds Befriending", "Telephone befriending"):
            assert value in content
        assert {key: response.context["form"].data[key] for key in data} == data


@pytest.mark.parametrize(("offset", "stored"), [(-SECOND, 1), (SECOND, 0)])
def test_apply_deadline_in_greenwich_mean_time(client, programme, offset, stored):
    # In January London is on GMT: 9:00 local is 09:00 UTC.
    programme.applications_open_at = london(2022, 1, 3, 9)
    programme.applications_close_at = london(2022, 1, 19, 9)
    programme.save()
    assert programme.applications_close_at == datetime.datetime(2022, 1, 19, 9, tzinfo=datetime.UTC)

    with time_machine.travel(programme.applications_close_at + offset, tick=False):
        client.post(apply_url(programme), apply_data(programme))

    assert Application.objects.count() == stored


def test_apply_before_opening_shows_a_clear_page_without_form(client, programme):
    with time_machine.travel(OPENS - SECOND, tick=False):
        page = client.get(apply_url(programme))
        posted = client.post(apply_url(programme), apply_data(programme))

    assert (page.status_code, next(t.name for t in page.templates)) == (200, "applications/not_open.html")
    assert "form" not in page.context
    content = page.content.decode()
    assert "<h1>Applications are not open yet</h1>" in content
    assert "Applications open at 9:00 on Monday 28 June 2021" in content
    assert 'method="post"' not in content
    assert (posted.status_code, next(t.name for t in posted.templates)) == (200, "applications/not_open.html")
    assert Application.objects.count() == 0


def test_apply_after_closing_get_shows_closed_page(client, programme):
    with time_machine.travel(DEADLINE, tick=False):
        page = client.get(apply_url(programme))

    assert next(t.name for t in page.templates) == "applications/not_open.html"
    assert "<h1>Applications have closed</h1>" in page.content.decode()


def test_apply_double_submit_makes_one_row_and_one_email(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    data = apply_data(programme)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(apply_url(programme), data)
        second = client.post(apply_url(programme), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1
    assert Availability.objects.count() == 3
    assert [m.subject for m in mail.outbox] == ["We have your application: Relationships and connections"]


def test_apply_again_with_same_address_keeps_the_first_and_emails_that_address_its_link(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    client.post(apply_url(programme), apply_data(programme))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(programme),
            apply_data(
                programme,
                email="ASHA@example.org",
                name="Someone Else",
                submission_token="11111111-2222-3333-4444-555555555555",
            ),
        )

    assert response.status_code == 302
    assert Application.objects.values_list("name", flat=True).get() == "Asha Patel"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["asha@example.org"], "You have already applied: Relationships and connections")
    ]
    assert application_private_url(Application.objects.get()) in mail.outbox[0].body


def test_apply_honeypot_filled_stores_nothing_and_sends_nothing(
    client, programme, during_applications, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(programme), apply_data(programme, website="http://spam.example"))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:apply_thanks", kwargs={"slug": programme.slug}),
    )
    assert (Application.objects.count(), len(mail.outbox)) == (0, 0)


def test_apply_rate_limit_gives_friendly_429(client, programme, during_applications, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    data = apply_data(programme, name="")

    statuses = [client.post(apply_url(programme), data).status_code for _ in range(3)]
    other_address = client.post(apply_url(programme), data, REMOTE_ADDR="203.0.113.9")

    assert statuses == [200, 200, 429]
    assert other_address.status_code == 200
    blocked = client.post(apply_url(programme), apply_data(programme))
    assert blocked.status_code == 429
    assert "<h1>Please wait a little before trying again</h1>" in blocked.content.decode()
    assert Application.objects.count() == 0


def test_rate_limit_window_resets(client, programme, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "1/h"
    with time_machine.travel(london(2021, 7, 1, 12, 0, 1), tick=False):
        first = client.post(apply_url(programme), apply_data(programme, name=""))
        second = client.post(apply_url(programme), apply_data(programme, name=""))
    with time_machine.travel(london(2021, 7, 1, 13, 0, 1), tick=False):
        third = client.post(apply_url(programme), apply_data(programme))

    assert (first.status_code, second.status_code, third.status_code) == (200, 429, 302)


# --- The private link ------------------------------------------------------------------------------


@pytest.fixture
def application(client, programme, during_applications):
    client.post(apply_url(programme), apply_data(programme))
    return Application.objects.get()


def test_private_link_shows_answers(client, application):
    response = client.get(reverse("applications:private", kwargs={"token": application_token(application)}))

    content = response.content.decode()
    assert (response.status_code, "<h1>Your application</h1>" in content) == (200, True)
    assert "Telephone befriending for isolated older people." in content
    assert (response["Cache-Control"], response["Referrer-Policy"]) == (
        "max-age=0, no-cache, no-store, must-revalidate, private",
        "same-origin",
    )


def test_private_link_edit_changes_answers_and_emails_a_copy(
    client, programme, application, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    token = application_token(application)
    data = apply_data(
        programme, hopes="Connections with other befriending services.", region="north_east", email=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:edit", kwargs={"token": token}), data)

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("applications:private", kwargs={"token": token}),
    )
    application.refresh_from_db()
    assert (application.hopes, application.region, application.email) == (
        "Connections with other befriending services.",
        Region.NORTH_EAST,
        "asha@example.org",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["asha@example.org"], "Your application is updated: Relationships and connections")
    ]
    assert "What you hope to achieve:\nConnections with other befriending services.\n" in mail.outbox[0].body
    assert "Where you work:\nNorth East England\n" in mail.outbox[0].body


def test_private_link_edit_cannot_change_the_email(client, programme, application):
    token = application_token(application)

    client.post(
        reverse("applications:edit", kwargs={"token": token}),
        apply_data(programme, email="other@example.org"),
    )

    application.refresh_from_db()
    assert application.email == "asha@example.org"


def test_after_the_deadline_the_link_shows_the_status_and_still_withdraws(client, programme, application):
    token = application_token(application)

    with time_machine.travel(DEADLINE, tick=False):
        page = client.get(reverse("applications:private", kwargs={"token": token}))
        edit = client.get(reverse("applications:edit", kwargs={"token": token}), follow=True)
        withdrawn = client.post(reverse("applications:withdraw", kwargs={"token": token}))

    content = page.content.decode()
    assert (page.status_code, "Status: Submitted." in content, "Change my answers" in content) == (
        200,
        True,
        False,
    )
    assert edit.redirect_chain == [(reverse("applications:private", kwargs={"token": token}), 302)]
    assert [str(m) for m in edit.context["messages"]] == [
        "Applications closed at 9:00 UK time on Wednesday 21 July 2021: your answers are as you last saved them."
    ]
    assert withdrawn.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_decided_application_cannot_be_withdrawn_twice(client, programme, application):
    token = application_token(application)
    client.post(reverse("applications:withdraw", kwargs={"token": token}))

    page = client.get(reverse("applications:private", kwargs={"token": token}))
    again = client.get(reverse("applications:withdraw", kwargs={"token": token}))

    assert "Withdraw my application" not in page.content.decode()
    assert (again.status_code, again["Location"]) == (
        302,
        reverse("applications:private", kwargs={"token": token}),
    )


@pytest.mark.parametrize("view", ["private", "edit", "withdraw"])
def test_private_link_is_refused_clearly_once_the_records_are_due_for_deletion(
    client, programme, application, settings, view
):
    token = application_token(application)
    purge_at = application.programme.applications_close_at + settings.RECRUITMENT_RETENTION  # UTC, as stored

    with time_machine.travel(purge_at - SECOND, tick=False):
        before = client.get(reverse("applications:private", kwargs={"token": token}))
    with time_machine.travel(purge_at, tick=False):
        response = client.get(reverse(f"applications:{view}", kwargs={"token": token}))

    assert (before.status_code, response.status_code) == (200, 410)
    content = response.content.decode()
    assert "<h1>This link has expired</h1>" in content
    assert (
        "Applications closed at 9:00 UK time on Wednesday 21 July 2021. The links in applicants' emails work "
        "until the applications we did not take forward are deleted, 180 days later"
    ) in " ".join(content.split())


def test_private_link_posted_after_deadline_changes_nothing(client, programme, application):
    token = application_token(application)

    with time_machine.travel(DEADLINE + SECOND, tick=False):
        response = client.post(
            reverse("applications:edit", kwargs={"token": token}), apply_data(programme, hopes="Changed")
        )

    application.refresh_from_db()
    assert (response.status_code, application.hopes) == (302, "New ideas for our volunteers.")


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "nonsense"])
@pytest.mark.parametrize("view", ["private", "edit", "withdraw"])
def test_private_link_tampered_is_refused_as_not_found(client, application, mangle, view):
    token = mangle(application_token(application))

    response = client.get(reverse(f"applications:{view}", kwargs={"token": token}))

    assert response.status_code == 404
    assert "<h1>This link does not work</h1>" in response.content.decode()


def test_private_link_signed_for_another_purpose_is_refused(client, application):
    from django.core import signing

    from applications.links import _email_check

    forged = signing.dumps(
        {"a": application.pk, "e": _email_check(application.email)}, salt="mail.unsubscribe"
    )

    response = client.get(reverse("applications:private", kwargs={"token": forged}))

    assert response.status_code == 404


def test_private_link_does_not_carry_the_address_and_dies_with_the_application(client, application):
    import base64

    token = application_token(application)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    application.delete()

    response = client.get(reverse("applications:private", kwargs={"token": token}))

    assert "asha" not in decoded
    assert response.status_code == 404


def test_withdraw_goes_through_the_status_service_and_keeps_the_answers(client, application):
    token = application_token(application)

    response = client.post(reverse("applications:withdraw", kwargs={"token": token}))

    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, ApplicationStatus.WITHDRAWN)
    assert list(ApplicationStatusChange.objects.values_list("from_status", "to_status", "note")) == [
        ("submitted", "withdrawn", "Withdrawn by the applicant through their private link.")
    ]
    page = client.get(reverse("applications:private", kwargs={"token": token}))
    assert "You have withdrawn this application." in page.content.decode()
    edit = client.get(reverse("applications:edit", kwargs={"token": token}))
    assert (edit.status_code, edit["Location"]) == (
        302,
        reverse("applications:private", kwargs={"token": token}),
    )


def test_withdraw_with_erasure_deletes_answers_and_blanks_stored_emails(
    client, application, django_capture_on_commit_callbacks
):
    from cohort_site.mail.models import OutgoingEmail
    from tests.mail.test_queue import queue_plain

    token = application_token(application)
    with django_capture_on_commit_callbacks(execute=False):
        queue_plain(key="x", to=application.email, about=application)

    response = client.post(reverse("applications:withdraw", kwargs={"token": token}), {"erase": "on"})

    assert response.status_code == 200
    assert "Your application is withdrawn and deleted" in response.content.decode()
    assert (
        Application.objects.count(),
        Availability.objects.count(),
        ApplicationStatusChange.objects.count(),
    ) == (
        0,
        0,
        0,
    )
    assert set(OutgoingEmail.objects.values_list("body_text", flat=True)) == {
        "(Deleted: this message held personal data that has since been erased.)"
    }
    again = client.get(reverse("applications:private", kwargs={"token": token}))
    assert again.status_code == 404


def test_apply_invalid_and_late_says_it_is_closed_too(client, programme):
    with time_machine.travel(DEADLINE + SECOND, tick=False):
        response = client.post(apply_url(programme), apply_data(programme, name=""))

    assert response.context["form"].errors["__all__"] == [
        "Applications closed at 9:00 UK time on Wednesday 21 July 2021, so we could not accept this. Your answers "
        "are still below if you want to keep a copy; please email zoe@example.org if something went wrong."
    ]


def test_error_summary_lists_errors_in_the_order_of_the_form(client, programme, during_applications):
    response = client.post(apply_url(programme), {"submission_token": "", "website": ""})

    assert list(response.context["form"].errors)[:3] == ["name", "email", "organisation"]
    assert list(response.context["form"].errors)[-2:] == ["commits_to_sharing", "consent"]


# --- One rule, one wording: the form, the view and the service ask the same function -----------------------------


def test_service_refuses_too_few_yes_answers_with_the_forms_words(programme, application):
    from django.core.exceptions import ValidationError

    from applications.services import application_update

    monday, tuesday, wednesday = programme.candidate_times.order_by("weekday")
    answers = {field: getattr(application, field) for field in APPLICANT_FIELDS}
    availability = {monday.pk: "yes", tuesday.pk: "if_need_be", wednesday.pk: "no"}

    with pytest.raises(ValidationError) as refused:
        application_update(application=application, answers=answers, availability=availability)

    assert refused.value.messages == [
        "Please answer “yes” to at least 2 of the times, so we can find a time that suits the group. "
        "You answered “yes” to 1."
    ]


def test_a_decided_application_says_why_it_cannot_be_edited_in_the_page_and_the_service(
    client, programme, application
):
    from applications.services import ApplicationsNotOpen, application_set_status, application_update

    application_set_status(application=application, status="declined", notify="none")
    token = application_token(application)
    reason = "Your application has been considered, so its answers can no longer be changed."

    response = client.get(reverse("applications:edit", kwargs={"token": token}), follow=True)
    with pytest.raises(ApplicationsNotOpen) as refused:
        application_update(application=application, answers={}, availability={})

    assert [str(m) for m in response.context["messages"]] == [reason]
    assert refused.value.messages == [reason]


@pytest.mark.parametrize(("zone", "words"), [("Europe/London", "UK time"), ("Europe/Dublin", "Irish time")])
def test_apply_form_names_the_programmes_zone_for_the_weekly_times(
    client, programme, during_applications, zone, words
):
    programme.timezone = zone
    programme.save(update_fields=["timezone"])

    page = client.get(apply_url(programme)).content.decode()

    assert f"For each time ({words}), say whether it suits you." in page
