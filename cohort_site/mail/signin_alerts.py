"""Telling an account's owner that someone keeps failing to sign in as them.

Password sign-in locks a client address, not an account (settings.AXES_LOCKOUT_PARAMETERS), so a stranger
cannot lock the manager out; the owner hears of repeated failures instead. Every failed password sign-in (the
admin's and allauth's, both through django.contrib.auth.authenticate) is counted per address signed in with,
from anywhere, for an hour; at AXES_FAILURE_LIMIT failures the account's owner is emailed, at most once an hour.
Nothing is sent for an address with no account.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from cohort_site.core.lockout import client_username

from .enums import EmailKind
from .services import email_queue

WINDOW = timedelta(hours=1)


def failed_sign_in_count(username: str) -> int:
    """Count one failure for this address and return how many there have been in its current hour."""
    key = f"signin-failures:{hashlib.sha256(username.encode()).hexdigest()}"
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new hour starts with this failure
        cache.set(key, 1, timeout=int(WINDOW.total_seconds()))
        return 1


def failed_sign_in_noted(sender, credentials: dict, request=None, **kwargs) -> None:
    """Django's user_login_failed receiver (connected in MailConfig.ready)."""
    username = client_username(request, credentials)
    if not username or failed_sign_in_count(username) != settings.AXES_FAILURE_LIMIT:
        return
    owner = get_user_model().objects.filter(email__iexact=username, is_active=True).first()
    if owner is None:
        return
    now = timezone.now()
    email_queue(
        key=f"signin-failures:{owner.pk}:{now:%Y-%m-%dT%H}",
        kind=EmailKind.SIGNIN_FAILURES,
        to=owner.email,
        subject=f"Someone is trying to sign in to your account on {settings.SITE_NAME}",
        context={
            "owner": owner,
            "failures": settings.AXES_FAILURE_LIMIT,
            "site_name": settings.SITE_NAME,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        user=owner,
    )
