"""Signing in by an emailed code, in our words, with no dead ends: how long a code lasts, how many tries are left,
what to do after a wrong code, a new code, another address, a Cancel that is not a second Confirm."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cohort_site.mail.models import OutgoingEmail
from tests.factories import ProgrammeFactory, UserFactory

REQUEST = reverse("account_request_login_code")
CONFIRM = reverse("account_confirm_login_code")
REAUTH_REQUEST = reverse("account_request_reauthentication_code")
REAUTH_CONFIRM = reverse("account_confirm_reauthentication_code")

WRONG_CODE = (
    "That code is not the one we sent. Check the latest email from us and type the code exactly as it is, "
    "or send a new code."
)


def code_in(body: str) -> str:
    return re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", body, re.MULTILINE).group(1)


def paragraphs(response) -> list[str]:
    """Each <p>, <li>, <h1>, <h2> and <button>'s text, whitespace collapsed."""
    html = response.content.decode()
    found = re.findall(r"<(p|li|h1|h2|button|a)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", inner).split()) for _, inner in found]


@pytest.fixture
def sam(db):
    return UserFactory(email="sam@example.org")


def request_code(client, email, callbacks):
    with callbacks(execute=True):
        return client.post(REQUEST, {"email": email})


def test_request_page_says_how_long_a_code_lasts_and_how_to_get_an_account(client, db):
    response = client.get(REQUEST)

    assert response.templates[0].name == "account/request_login_code.html"
    said = paragraphs(response)
    assert "Sign in with an emailed code" in said
    assert (
        "Type the email address you use with us. We email you a short code to type on the next page: no password "
        "to remember. The code works for 3 minutes."
    ) in said
    assert (
        "No account yet? You get one when you take up a place in a group. Read about the programme and how to apply."
        in said
    )
    assert "Staff: sign in with your password" in said
    assert "Email me a code" in said


def test_code_page_says_where_the_code_went_how_long_it_lasts_and_the_ways_out(
    client, sam, django_capture_on_commit_callbacks
):
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    response = client.get(CONFIRM)

    said = paragraphs(response)
    assert said[said.index("Check your email") + 1] == (
        "We have sent a sign-in code to sam@example.org. It works for 3 minutes. If it is not in your inbox, look in "
        "your junk or spam folder."
    )
    assert [m.message for m in response.context["messages"]] == [
        "We have emailed a sign-in code to sam@example.org."
    ]
    html = response.content.decode()
    # The ways out: a new code to the same address (a fresh code: its own 3 minutes, its own 3 tries), another
    # address, and a Cancel that looks like a link, not like the Sign in button.
    assert (
        f'<form method="post" action="{REQUEST}" class="mb-3">' in html
        and '<input type="hidden" name="email" value="sam@example.org">' in html
    )
    assert (
        '<button type="submit" class="btn btn-outline-primary">Send a new code to sam@example.org</button>'
        in html
    )
    assert f'<a href="{REQUEST}">Use a different email address</a>' in html
    assert '<button type="submit" class="btn btn-link p-0 align-baseline">Cancel signing in</button>' in html
    assert '<button type="submit" class="btn btn-primary">Sign in</button>' in html
    assert "You can type a code wrongly 3 times before it stops working." in " ".join(said)


def test_code_email_says_how_long_the_code_lasts(client, sam, django_capture_on_commit_callbacks):
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    code = code_in(message.body)
    assert message.subject == "Your sign-in code for Connection Coalition cohorts"
    assert message.body == (
        "Hello,\n\nHere is your code to sign in:\n\n"
        f"{code}\n\n"
        "Type it on the page that asked for it. It works for 3 minutes. If it has stopped working, ask for a new "
        "code on that page.\n\n"
        "If you did not ask for this code, you can ignore this email: nobody can sign in without it.\n\n"
        "Connection Coalition cohorts\nhttp://127.0.0.1:8000/"
    )


def test_a_wrong_code_says_what_to_do_and_how_many_tries_are_left(
    client, sam, django_capture_on_commit_callbacks
):
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    first = client.post(CONFIRM, {"code": "WRONG1"})
    second = client.post(CONFIRM, {"code": "WRONG2"})

    assert first.status_code == 200
    assert first.context["form"].errors == {"code": [WRONG_CODE]}
    html = first.content.decode()
    assert re.search(r"<title>Error: Enter your sign-in code", html)
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, flags=re.S).group(0)
    assert f'<a class="alert-link" href="#id_code">{WRONG_CODE}</a>' in summary
    assert '<p class="mb-0 mt-2">You have 2 tries left with this code.</p>' in summary
    assert '<p class="mb-0 mt-2">You have 1 try left with this code.</p>' in second.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_the_last_wrong_try_the_page_says_to_ask_for_a_new_code_now(
    client, sam, django_capture_on_commit_callbacks
):
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)
    for guess in ("WRONG1", "WRONG2"):
        client.post(CONFIRM, {"code": guess})

    response = client.post(CONFIRM, {"code": "WRONG3"}, follow=True)

    assert response.redirect_chain == [(REQUEST, 302)]
    html = response.content.decode()
    assert (
        "That code was typed wrongly 3 times, so we cancelled it to keep your account safe. Ask for a new code "
        "below: you can do this straight away."
    ) in html
    assert "Too many failed login attempts" not in html


def test_a_new_code_starts_afresh_and_signs_in(client, sam, django_capture_on_commit_callbacks):
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)
    old = code_in(mail.outbox[0].body)
    client.post(CONFIRM, {"code": "WRONG1"})
    client.post(CONFIRM, {"code": "WRONG2"})

    # "Send a new code" posts the address back to the request page.
    response = request_code(client, "sam@example.org", django_capture_on_commit_callbacks)
    new = code_in(mail.outbox[1].body)
    wrong = client.post(CONFIRM, {"code": old if old != new else "WRONG3"})

    assert response["Location"] == CONFIRM
    assert '<p class="mb-0 mt-2">You have 2 tries left with this code.</p>' in wrong.content.decode()
    signed_in = client.post(CONFIRM, {"code": new})
    assert signed_in["Location"] == reverse("core:after_login")
    assert int(client.session["_auth_user_id"]) == sam.pk


def test_asking_for_codes_too_often_says_how_long_to_wait(client, sam, django_capture_on_commit_callbacks):
    for _ in range(3):
        request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    response = client.post(REQUEST, {"email": "sam@example.org"})

    assert response.context["form"].errors == {
        "email": [
            "You have asked for several codes for this email address in a short time. Wait 1 minute, then ask "
            "again. The last code we sent still works for 3 minutes after it was sent."
        ]
    }


def test_an_empty_or_malformed_address_says_how_to_fix_it(client, db):
    empty = client.post(REQUEST, {"email": ""})
    malformed = client.post(REQUEST, {"email": "sam at example"})

    assert empty.context["form"].errors == {"email": ["Enter your email address"]}
    assert malformed.context["form"].errors == {
        "email": ["Enter an email address in the correct format, like name@example.org"]
    }
    assert '<a class="alert-link" href="#id_email">Enter your email address</a>' in empty.content.decode()


def test_an_unknown_address_gets_a_kind_email_saying_how_to_apply_and_whom_to_ask(
    client, db, django_capture_on_commit_callbacks
):
    ProgrammeFactory(is_published=True)

    response = request_code(client, "stranger@example.org", django_capture_on_commit_callbacks)

    # The page is the same as for a member (nobody learns who has an account).
    assert response["Location"] == CONFIRM
    message = mail.outbox[0]
    assert message.subject == "Signing in to Connection Coalition cohorts"
    assert message.body == (
        "Hello,\n\n"
        "Someone, probably you, asked for a sign-in code for stranger@example.org. We do not have an account for "
        "this email address, so we have not sent a code.\n\n"
        "If you are a member of a group, you may have given us a different email address. You can ask for a code "
        "for that address here:\n"
        f"http://127.0.0.1:8000{REQUEST}\n\n"
        "If you are not a member yet: accounts come with a place in a group. To find out about the programme and "
        "how to apply, go to:\n"
        "http://127.0.0.1:8000/\n\n"
        "Any questions? Write to Zoë Cumberland at zoe@example.org.\n\n"
        "If you did not ask for a code, you can ignore this email.\n\n"
        "Connection Coalition cohorts\nhttp://127.0.0.1:8000/"
    )
    assert "signup" not in message.body
    assert OutgoingEmail.objects.get().kind == "account-unknown-account"


def test_reauthentication_pages_use_the_same_words(client, sam, django_capture_on_commit_callbacks):
    client.force_login(sam)
    asked = client.get(REAUTH_REQUEST)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REAUTH_REQUEST, {"recipient": "sam@example.org"})

    wrong = client.post(REAUTH_CONFIRM, {"code": "WRONG1"})

    said = paragraphs(asked)
    assert "Confirm it is you" in said
    assert (
        "Before you change your email address or password, we check it is really you: we email you a short code "
        "to type on the next page. The code works for 3 minutes."
    ) in said
    assert mail.outbox[0].body.startswith("Hello,\n\nHere is your code to confirm it is you:\n")
    html = wrong.content.decode()
    assert f'<a class="alert-link" href="#id_code">{WRONG_CODE}</a>' in html
    assert '<p class="mb-0 mt-2">You have 2 tries left with this code.</p>' in html
    assert '<input type="hidden" name="recipient" value="sam@example.org">' in html
    assert '<button type="submit" class="btn btn-primary">Confirm</button>' in html
    assert f'<a href="{reverse("core:after_login")}">Cancel</a>' in html


def test_with_a_code_pending_the_sign_in_pages_still_open(client, sam, django_capture_on_commit_callbacks):
    """allauth alone sent both back to the code page: "Use a different email address" and "Sign in" led nowhere."""
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    pages = [client.get(path) for path in (REQUEST, reverse("account_login"))]

    assert [(p.status_code, p.templates[0].name) for p in pages] == [
        (200, "account/request_login_code.html"),
        (200, "account/login.html"),
    ]


def test_another_address_replaces_the_pending_code(client, sam, django_capture_on_commit_callbacks):
    other = UserFactory(email="sam.home@example.org")
    request_code(client, "sam@example.org", django_capture_on_commit_callbacks)

    request_code(client, "sam.home@example.org", django_capture_on_commit_callbacks)
    response = client.post(CONFIRM, {"code": code_in(mail.outbox[1].body)})

    assert [m.to for m in mail.outbox] == [["sam@example.org"], ["sam.home@example.org"]]
    assert response["Location"] == reverse("core:after_login")
    assert int(client.session["_auth_user_id"]) == other.pk
