"""Each member's one join link: the same address in every invite, reminder, calendar event and on their
dashboard. From JOIN_OPENS_BEFORE a session until its end it takes them to that session's video link (and
records them as joined); at any other time it shows when their next session is.

The token names the member's place in their group (the application) and is bound to their calendar feed's
secret, so resetting the calendar feed (on their schedule page) changes this link too and the old one stops
working. It is signed without a timestamp, so the link is the same every time it is written out."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from applications.models import Application

SALT = "sessions.join-link"
JOIN_OPENS_BEFORE = datetime.timedelta(minutes=15)


class JoinLinkInvalid(Exception):
    """Not a token we made, or one made before the member's calendar feed (and so this link) was reset."""


def _check(member: Application) -> str:
    secret = member.user.calendar_token if member.user_id else member.email.lower()  # type: ignore[union-attr]
    return salted_hmac(SALT, f"{member.pk}:{secret}").hexdigest()[:16]


def join_token(member: Application) -> str:
    return signing.Signer(salt=SALT).sign(f"{member.pk}.{_check(member)}")


def join_path(member: Application) -> str:
    return reverse("sessions:join", kwargs={"token": join_token(member)})


def join_url(member: Application) -> str:
    return f"{settings.SITE_URL}{join_path(member)}"


def member_from_join_token(token: str) -> Application:
    """The place the link was made for, whatever has become of it since (the view tells a leaver so)."""
    try:
        pk, check = signing.Signer(salt=SALT).unsign(token).split(".", 1)
        member = (
            Application.objects.select_related("user", "programme", "cohort__programme")
            .filter(pk=int(pk))
            .first()
        )
    except (signing.BadSignature, ValueError):
        raise JoinLinkInvalid from None
    if member is None or not constant_time_compare(_check(member), check):
        raise JoinLinkInvalid
    return member
