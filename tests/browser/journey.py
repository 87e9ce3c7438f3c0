"""Helpers for the end-to-end programme journey (tests/browser/test_programme_journey.py).

- `Inbox`: what each person has been emailed (OutgoingEmail rows, each delivered once through the outbox) against
  what the journey expects by now, as {address: sorted kinds}.
- `FormPoster`: posts a page's real form with Django's test Client, as a browser would (every field the page
  renders, with its default value, plus the person's answers). Used for the bulk of the 25 people; every kind of
  action is also done at least once in Chromium.
- `Browser`: one Chromium page, switched between people, saving a screenshot of each page kind and collecting
  console errors (a CSP violation is a console error).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.test import Client

from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail

# --- Emails ---------------------------------------------------------------------------------------------------


def emails_by_person() -> dict[str, list[str]]:
    """{address: sorted kinds of every email that has gone to it} (drafts wait for the manager: not received)."""
    found: dict[str, list[str]] = defaultdict(list)
    for to, kind in OutgoingEmail.objects.exclude(status=EmailStatus.DRAFT).values_list("to", "kind"):
        found[to.lower()].append(kind)
    return {to: sorted(kinds) for to, kinds in sorted(found.items())}


class Inbox:
    """The emails each person should have received by now, built up step by step."""

    def __init__(self):
        self.expected: dict[str, Counter] = defaultdict(Counter)

    def expect(self, kind: str, *addresses: str) -> None:
        for address in addresses:
            self.expected[address.lower()][kind] += 1

    def as_dict(self) -> dict[str, list[str]]:
        return {
            to: sorted(kinds.elements()) for to, kinds in sorted(self.expected.items()) if sum(kinds.values())
        }

    def check(self, step: str) -> None:
        """Exactly the expected emails exist, each sent once: stored, delivered, and in the outbox once."""
        received, expected = emails_by_person(), self.as_dict()
        differences = {
            to: {"received": received.get(to, []), "expected": expected.get(to, [])}
            for to in sorted(set(received) | set(expected))
            if received.get(to) != expected.get(to)
        }
        assert (step, differences) == (step, {})
        gone = OutgoingEmail.objects.exclude(status=EmailStatus.DRAFT)
        statuses = Counter(gone.values_list("status", flat=True))
        assert (step, dict(statuses)) == (step, {EmailStatus.SENT: len(mail.outbox)} if mail.outbox else {})
        delivered = Counter((m.to[0].lower(), m.subject) for m in mail.outbox)
        stored = Counter((to.lower(), subject) for to, subject in gone.values_list("to", "subject"))
        assert (step, delivered) == (step, stored)


def latest_email(to: str, kind: str) -> OutgoingEmail:
    return OutgoingEmail.objects.filter(to__iexact=to, kind=kind).order_by("-created_at", "-pk").first()


def link_in(email: OutgoingEmail, path_start: str) -> str:
    """The path of the first link in the email's text that starts with `path_start` (as a person clicks it)."""
    match = re.search(
        re.escape(settings.SITE_URL) + r"(" + re.escape(path_start) + r"[^\s>)\]]*)", email.body_text
    )
    assert match is not None, f"No {path_start} link in {email.kind} to {email.to}:\n{email.body_text}"
    return match.group(1)


# --- Posting real forms with the test Client ------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every <form method=post> of a page: its action and the values a browser would submit by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": defaultdict(list), "names": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            self._form["names"].add(name)
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][name].append(a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "button" and name:
            self._form["names"].add(name)
        elif tag == "textarea" and name:
            self._form["names"].add(name)
            self._textarea = name
            self._form["fields"][name].append("")
        elif tag == "select" and name:
            self._form["names"].add(name)
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            self._form["fields"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            if chosen is not None:
                self._form["fields"][self._select["name"]].append(chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class FormPoster:
    """One person's browser-like HTTP client: GET the page, fill its form, POST it back to the form's action."""

    def __init__(self, address: str, user=None):
        self.client = Client(REMOTE_ADDR=address)
        if user is not None:
            self.client.force_login(user)

    def get(self, path: str):
        response = self.client.get(path, follow=True)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def submit(self, path: str, answers: dict, *, containing: str, expect_status: int = 200):
        """Fill the form on `path` that has a field or button named `containing` and post it; follow redirects."""
        page = self.get(path)
        forms = [f for f in page_forms(page.content.decode()) if containing in f["names"]]
        assert forms, f"No form with {containing} on {path}"
        form = forms[0]
        data = {name: list(values) for name, values in form["fields"].items()}
        for name, value in answers.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value if isinstance(value, list) else [value]
        action = form["action"] or page.request["PATH_INFO"]
        response = self.client.post(action, data, follow=True)
        assert response.status_code == expect_status, (path, response.status_code, response.content[:2000])
        return response


# --- The browser ----------------------------------------------------------------------------------------------


MAX_SHOT_HEIGHT = 6000  # px: Browser.shot keeps the top of a taller page


class Browser:
    def __init__(self, page, live_server, screenshot_dir: Path):
        self.page = page
        self.base = live_server.url
        self.dir = screenshot_dir
        self.console_errors: list[str] = []
        self.shots: list[str] = []
        self.expected_refusals: set[str] = set()  # pages visited on purpose that answer 4xx
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        # The admin links no favicon, so Chromium asks for /favicon.ico; a refused page we expect says so too.
        if source.endswith("/favicon.ico") or source in self.expected_refusals:
            return
        self.console_errors.append(f"{self.page.url} ({source}): {message.text}")

    def as_person(self, user) -> None:
        """Sign `user` in (or no one, with None): a fresh session cookie, as after signing in."""
        self.page.context.clear_cookies()
        if user is None:
            return
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base}])

    def go(self, path: str, shot: str | None = None, status: int = 200):
        if status >= 400:
            self.expected_refusals.add(self.base + path)
        response = self.page.goto(self.base + path)
        assert (path, response.status) == (path, status)
        if shot:
            self.shot(shot)
        return response

    def shot(self, name: str) -> None:
        self.page.wait_for_load_state()
        index = len(self.shots) + 1
        self.shots.append(name)
        # The top of a very tall page only: Chromium failed to capture the 20 decision emails (10,300 px) once
        # on a loaded machine ("Unable to capture screenshot"), and a picture is for reading, not for asserting.
        height = min(self.page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
        width = self.page.viewport_size["width"] if self.page.viewport_size else 1280
        self.page.screenshot(
            path=self.dir / f"{index:02d}-{name}.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
        )

    def h1(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def messages(self) -> list[str]:
        return [
            text.strip()
            for text in self.page.locator(".messages .alert, ul.messagelist li").all_inner_texts()
        ]
