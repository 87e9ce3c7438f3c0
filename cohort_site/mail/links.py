"""Link text in the HTML part of an email: words, never the raw URL (GOV.UK: "link text should describe where
the link goes"). The text part keeps each URL as it is, for mail clients that show text only.

A line "Label: URL" becomes a link whose text is the label ("See your expenses", "Join the session"). Any other
URL is named by the page it opens (`LINK_WORDS`, by URL name; the names are strings, so this lower layer imports
nothing from the apps that own the pages), or else "Open the link"."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The words a link to each of our pages carries, by URL name.
LINK_WORDS = {
    "core:home": "Visit the website",
    "account_login": "Sign in",
    "account_request_login_code": "Ask for a sign-in code",
    "account_change_password": "Change your password",
    "account_reset_password": "Reset your password",
    "account_reset_password_from_key": "Choose a new password",
    "account_confirm_email": "Confirm your email address",
    "mail:unsubscribe": "Stop these reminders",
    "applications:programme": "Read about the programme",
    "applications:apply": "Apply",
    "applications:private": "See or change your application",
    "applications:selection_cohort": "Review the waitlist",
    "sessions:join": "Join the session",
    "sessions:my_schedule": "Your schedule",
    "sessions:session": "The session's page",
    "pairings:my_pairs": "Your coffee pairs",
    "members:expenses": "Your expenses",
    "members:my_data": "Your data",
    "learning:session_feedback": "Give your feedback",
    "learning:survey": "Answer the questions",
    "learning:detail": "Read the entry",
}
FALLBACK = "Open the link"

URL = re.compile(r"https?://[^\s<>\"]+")
# A short label (a few words, no sentence in it) before the URL that ends the line.
LABELLED = re.compile(r"^(?P<label>[^\s:,.!?][^:,.!?]{0,40}): (?P<url>https?://[^\s<>\"]+?)[.,;)]?$")


def link_words(url: str) -> str:
    """What a link to `url` says when no label stands before it: the page it opens, or FALLBACK."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return FALLBACK
    try:
        match = resolve(parts.path)
    except Resolver404:
        return FALLBACK
    return LINK_WORDS.get(match.view_name, FALLBACK)


def _link(url: str, words: str) -> str:
    return format_html('<a href="{}">{}</a>', url, words)


def _line_html(line: str) -> str:
    labelled = LABELLED.match(line)
    if labelled and len(labelled["label"].split()) <= 6:
        return _link(labelled["url"], labelled["label"]) + escape(line[labelled.end("url") :])
    html, start = [], 0
    for match in URL.finditer(line):
        url = match.group().rstrip(".,;:)")
        words = link_words(url)
        if line[: match.start()].strip():  # inside a sentence: "... send your apologies: your schedule"
            words = words[0].lower() + words[1:]
        html += [escape(line[start : match.start()]), _link(url, words)]
        start = match.start() + len(url)
    html.append(escape(line[start:]))
    return "".join(html)


def text_to_html(text: str) -> SafeString:
    """An email's text, escaped, with each URL a link in words (see the module's docstring)."""
    return mark_safe("\n".join(_line_html(line) for line in text.split("\n")))  # noqa: S308  # each part escaped
