"""The HTML part of every email gives its links words ("Join the session", "Your schedule"), never a raw URL;
the text part keeps each URL as it is."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from cohort_site.mail.enums import EmailKind
from cohort_site.mail.links import text_to_html
from cohort_site.mail.models import OutgoingEmail
from cohort_site.mail.services import email_html, unsubscribe_url
from tests.factories import StaffFactory

SITE = "http://127.0.0.1:8000"
URL = re.compile(r"https?://|www\.|\.(org|com|uk)\b|/\w")


class Anything:
    """Whatever a template asks of it: so each kind's text can be rendered without building its whole world.
    Links are URLs (`*_url`), instants are datetimes (`*_at`), dates are dates (`*_on`)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("_") or attr in ("do_not_call_in_templates", "alters_data", "items", "keys"):
            raise AttributeError(attr)
        if attr.endswith("url"):
            return f"https://meet.example.org/{attr}"
        if attr in ("timezone", "tz"):
            return "Europe/London"
        if attr in ("pk", "id", "number"):
            return 1
        if attr.endswith("_at"):
            return datetime.datetime(2026, 3, 3, 14, 0, tzinfo=datetime.UTC)
        if attr.endswith("_on"):
            return datetime.date(2026, 3, 3)
        return Anything(attr)

    def __str__(self):
        return self._name

    def __iter__(self):
        return iter([Anything(f"{self._name} a"), Anything(f"{self._name} b")])

    def __len__(self):
        return 2


class AnyContext(dict):
    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return getattr(Anything(key), key) if key.endswith("url") or key == "tz" else Anything(key)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs)["href"], ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.links.append((self._text, self._href))
            self._href = None


def links_in(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def rendered(kind: EmailKind) -> OutgoingEmail:
    """The kind's text as the app renders it, with our own pages' links as the services make them."""
    programme = {"slug": "a-programme"}
    context = AnyContext(
        SITE_URL=SITE,
        url=reverse("learning:session_feedback", kwargs={"session_id": 1})
        if "feedback" in kind
        else reverse("learning:detail", kwargs={"pk": 1})
        if "sharing" in kind
        else reverse("learning:survey", kwargs={"pk": 1}),
        unsubscribe_url=unsubscribe_url(email="ada@example.org", kind=kind),
        private_url=SITE + reverse("applications:private", kwargs={"token": "a-token"}),
        apply_url=SITE + reverse("applications:apply", kwargs=programme),
        programme_url=SITE + reverse("applications:programme", kwargs=programme),
        sign_in_url=SITE + reverse("account_login"),
        selection_url=SITE + reverse("applications:selection_cohort", kwargs={"pk": 1}),
        shared_join_url="",
    )
    text = render_to_string(f"emails/{kind.template}.txt", context)
    return OutgoingEmail(
        kind=kind, to="ada@example.org", subject="A subject", body_text=text, optional=kind.optional
    )


OUR_KINDS = [kind for kind in EmailKind if not kind.startswith("account-")]

LINK_TEXTS = {
    "interest-confirmation": ["Join the drop-in", "Join the drop-in", "Apply"],
    "interest-again": ["Read about the programme", "Apply"],
    # An optional kind's unsubscribe link is said once: the text's footer has it, so the layout adds none.
    "drop-in-reminder": ["Join the drop-in", "stop these reminders"],
    "apply-reminder": ["Apply", "stop these reminders"],
    "application-received": ["See or change your application"],
    "application-updated": ["See or change your application"],
    "application-again": ["See or change your application"],
    "decision-offered": [],
    "decision-waitlisted": [],
    "decision-declined": [],
    "decision-confirmed": ["Sign in"],
    "decision-withdrawn": [],
    "decision-offer-expired": [],
    "offer-reminder": [],
    "place-freed": ["Review the waitlist"],
    "session-invite": ["Join the session", "Join the session", "Your schedule"],
    "session-update": ["Join the session", "Your schedule"],
    "session-cancel": [],
    "session-retime": ["Join the session", "Join the session", "your schedule"],
    "member-left": ["your data"],
    "session-guest-invite": ["Join the session"],
    "session-reminder": ["Join the session", "your schedule"],
    "session-apologies": ["Join the session", "Session page"],
    "coffee-introduction": ["your coffee pairs"],
    "coffee-nudge": ["your coffee pairs", "stop these reminders"],
    "coffee-change": ["your coffee pairs"],
    "alumni-coffee-introduction": ["Alumni coffee pairs"],
    "learning-session-feedback": ["Give your feedback"],
    "learning-session-feedback-reminder": ["Give your feedback", "stop these reminders"],
    "learning-survey": ["Answer the questions"],
    "learning-nudge": ["action", "stop these reminders"],
    "learning-survey-reminder": ["Answer the questions", "stop these reminders"],
    "learning-sharing-consent": ["Read the entry"],
    "learning-sharing-consent-reminder": ["Read the entry"],
    "network-event-place": ["Join the event", "Cancel your place"],
    "network-event-waitlisted": ["Leave the waitlist"],
    "network-event-reminder": ["Join the event", "Cancel your place"],
    "network-event-update": ["Join the event", "Cancel your place"],
    "network-event-left": ["Event page"],
    "network-event-cancelled": ["All sharing events"],
    "network-digest-confirm": ["Confirm your subscription"],
    # Each entry and event has its own labelled link (none here: the test's stand-ins are not URLs).
    "network-digest": ["All sharing events", "Stop the digest"],
    "expense-submitted": ["See your expenses"],
    "expense-approved": ["See your expenses"],
    "expense-rejected": ["See your expenses"],
    "expense-paid": ["See your expenses"],
    "signin-failures": ["change your password"],
}


def test_every_kind_of_ours_is_checked():
    assert sorted(LINK_TEXTS) == sorted(OUR_KINDS)


@pytest.mark.parametrize("kind", OUR_KINDS)
def test_each_link_in_an_emails_html_is_words_and_the_text_keeps_the_url(kind):
    email = rendered(kind)

    links = links_in(email_html(email))

    assert [text for text, _ in links] == LINK_TEXTS[kind]
    assert [text for text, _ in links if URL.search(text)] == []
    assert [href for _, href in links] == re.findall(r"https?://[^\s<>\"]+", email.body_text)


def test_a_short_label_before_the_url_becomes_the_link():
    assert text_to_html("Join the session: https://meet.example.org/a?b=1&c=2\n") == (
        '<a href="https://meet.example.org/a?b=1&amp;c=2">Join the session</a>\n'
    )


def test_a_url_in_a_sentence_is_named_by_the_page_it_opens():
    assert text_to_html(f"If you can no longer make it, please send apologies: {SITE}/schedule/") == (
        f'If you can no longer make it, please send apologies: <a href="{SITE}/schedule/">your schedule</a>'
    )


def test_a_url_alone_on_its_line_is_named_by_its_page_or_else_open_the_link():
    assert text_to_html(f"Here:\n{SITE}/\nhttps://elsewhere.example.com/x\n<b>") == (
        f'Here:\n<a href="{SITE}/">Visit the website</a>\n'
        '<a href="https://elsewhere.example.com/x">Open the link</a>\n&lt;b&gt;'
    )


def test_allauths_emails_link_in_words_too(db, django_capture_on_commit_callbacks):
    StaffFactory(email="manager@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": "manager@example.org"})
        Client().post(reverse("account_request_login_code"), {"email": "nobody@example.org"})

    reset, unknown = (links_in(message.alternatives[0][0]) for message in mail.outbox)

    assert [text for text, _ in reset] == ["Choose a new password", "Visit the website"]
    assert [text for text, _ in unknown] == [
        "Ask for a sign-in code",
        "Visit the website",
        "Visit the website",
    ]
    assert reset[0][1] in mail.outbox[0].body
    assert reset[0][1].startswith(f"{SITE}/accounts/password/reset/key/")
