"""Every HTML page of the permission-matrix world (tests/security/world.py), as each role, walked in Chromium.

The pages come from the permission table itself (tests/security/test_permissions.py's EXPECTED): each URL a role
may open (200) and that answers with HTML. A new page therefore joins these checks the day it joins the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from tests.security.test_permissions import EXPECTED, url_of
from tests.security.world import ROLES

# --- Colour contrast (WCAG 2.x relative luminance) ---------------------------------------------------------------

_COLOUR = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")

Rgba = tuple[float, float, float, float]


def parse_colour(text: str) -> Rgba:
    """A computed colour ("rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)") as (r, g, b, alpha)."""
    if text in ("transparent", ""):
        return (0.0, 0.0, 0.0, 0.0)
    match = _COLOUR.fullmatch(text.strip())
    assert match is not None, f"Unexpected computed colour {text!r}"
    r, g, b, alpha = match.groups()
    if alpha is None:
        a = 1.0
    elif alpha.endswith("%"):
        a = float(alpha[:-1]) / 100
    else:
        a = float(alpha)
    return (float(r), float(g), float(b), a)


def over(top: Rgba, below: tuple[float, float, float]) -> tuple[float, float, float]:
    """`top` painted over the opaque colour `below`."""
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))


def backdrop(layers: list[str]) -> tuple[float, float, float]:
    """What is seen behind an element: its ancestors' backgrounds (nearest first) painted over white."""
    colour = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        colour = over(parse_colour(layer), colour)
    return colour


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- The pages ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageVisit:
    role: str
    name: str
    path: str

    @property
    def label(self) -> str:
        return f"{self.role} {self.name}"


def html_pages(world) -> list[PageVisit]:
    """Each (role, page) of the world that answers 200 with HTML (not a CSV, a feed or a file)."""
    visits = []
    for index, role in enumerate(ROLES):
        client = Client()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        for name, row in sorted(EXPECTED.items()):
            if row[index] != 200:
                continue
            path = url_of(world, name)
            response = client.get(path)
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and content_type.startswith("text/html") and not _is_email(name):
                visits.append(PageVisit(role, name, path))
    return visits


def _is_email(name: str) -> bool:
    """The outbox's HTML preview of an email is the email, not a page of the site."""
    return name == "mail:outbox_email_html"


def sign_in_as(page, base_url: str, user) -> None:
    """A fresh session cookie for `user` (or none, signed out), as after signing in."""
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
