"""The signed links of the network pages: a registrant's cancel link and a digest subscriber's confirmation link.
The token is the permission (no account); a registrant's link names only their own registration."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

CANCEL_SALT = "learning.network.cancel"
CONFIRM_SALT = "learning.network.digest-confirm"
# How long a digest confirmation link works; an unconfirmed sign-up is deleted soon after (retention.py).
CONFIRM_MAX_AGE = datetime.timedelta(days=7)


def cancel_token(registration) -> str:
    return signing.dumps({"r": registration.pk}, salt=CANCEL_SALT)


def cancel_url(registration) -> str:
    return settings.SITE_URL + reverse("learning:event_cancel", kwargs={"token": cancel_token(registration)})


def registration_id_from(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CANCEL_SALT)["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def confirm_token(subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email.lower()}, salt=CONFIRM_SALT)


def confirm_url(subscriber) -> str:
    return settings.SITE_URL + reverse("learning:digest_confirm", kwargs={"token": confirm_token(subscriber)})


def subscriber_from(token: str) -> tuple[int, str] | None:
    """(subscriber id, address) from a confirmation token still within CONFIRM_MAX_AGE, else None."""
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return int(payload["s"]), str(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
