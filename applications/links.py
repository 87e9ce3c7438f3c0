"""The three signed links an applicant is sent, each encoded, decoded and judged here.

- The private link (in the confirmation email): bound to the application and its email. It changes answers until
  the deadline; after that it still shows the application's status and lets the applicant
  withdraw, download or erase their data, until applications not taken forward are deleted (RECRUITMENT_RETENTION
  after the deadline): a waitlisted or declined applicant keeps their rights over what is held about them.
- The offer link (in the offer email): names the application and the offer it answers.
- The next-group link (in a waitlist email): registers interest in a later group.
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Application, ApplicationStatusChange

SALT = "applications.private-link"


class LinkInvalid(Exception):
    """The token was not made by us (tampered, truncated) or names an application that no longer exists."""


class LinkExpired(Exception):
    """A genuine link, used after the recruitment records it opens were due to be deleted."""

    def __init__(self, application: Application):
        super().__init__("This link stopped working when applications not taken forward were deleted.")
        self.application = application


def link_valid_until(programme) -> datetime.datetime:
    """When unsuccessful applications are deleted (enforce_retention): the link has nothing to show after."""
    return programme.applications_close_at + settings.RECRUITMENT_RETENTION


def _email_check(email: str) -> str:
    """Binds the link to the address without putting the address in the (readable, only signed) token."""
    return salted_hmac(SALT, email.lower()).hexdigest()[:16]


def application_token(application: Application) -> str:
    return signing.dumps({"a": application.pk, "e": _email_check(application.email)}, salt=SALT)


def application_private_url(application: Application) -> str:
    path = reverse("applications:private", kwargs={"token": application_token(application)})
    return f"{settings.SITE_URL}{path}"


def application_from_token(token: str, *, now: datetime.datetime | None = None) -> Application:
    now = now or timezone.now()
    try:
        payload = signing.loads(token, salt=SALT)
        application = Application.objects.select_related("programme").filter(pk=payload["a"]).first()
        matches = application is not None and constant_time_compare(
            _email_check(application.email), payload["e"]
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid from None
    if not matches:
        raise LinkInvalid
    if now >= link_valid_until(application.programme):
        raise LinkExpired(application)
    return application


# --- The offer and next-group links ---------------------------------------------------------------------------

OFFER_LINK_SALT = "applications.offer-response"
NEXT_GROUP_LINK_SALT = "applications.next-group"
# A signed link stops working after this long whatever the offer says (the offer's own expiry is shorter).
LINK_MAX_AGE = timedelta(days=120)


def offer_token(*, application: Application, offer: ApplicationStatusChange) -> str:
    return signing.dumps({"a": application.pk, "o": offer.pk}, salt=OFFER_LINK_SALT)


def offer_url(*, application: Application, offer: ApplicationStatusChange) -> str:
    token = offer_token(application=application, offer=offer)
    return settings.SITE_URL + reverse("applications:offer_respond", kwargs={"token": token})


def next_group_url(*, application: Application) -> str:
    token = signing.dumps({"a": application.pk}, salt=NEXT_GROUP_LINK_SALT)
    return settings.SITE_URL + reverse("applications:next_group", kwargs={"token": token})


def _payload(token: str, salt: str) -> tuple[dict | None, str | None]:
    """The link's payload and no problem, or no payload and "expired" or "invalid"."""
    try:
        return signing.loads(token, salt=salt, max_age=LINK_MAX_AGE), None
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"


def offer_link_payload(token: str) -> tuple[dict | None, str | None]:
    return _payload(token, OFFER_LINK_SALT)


def next_group_link_payload(token: str) -> tuple[dict | None, str | None]:
    return _payload(token, NEXT_GROUP_LINK_SALT)
