"""The demo's two accounts, offered on the sign-in page so a visitor sees both dashboards in two clicks.

Only while DEBUG is on and the demo has been seeded: with DEBUG off nothing here signs anyone in, whatever is in the
database (seed_demo --force can create these accounts on a real site).
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from applications.models import Programme
from cohort_site.demo import open_call
from cohort_site.demo.pilot import MEMBER_EMAIL
from cohort_site.demo.pilot import SLUG as PILOT_SLUG

DEMO_ACCOUNT_EMAILS = {"manager": open_call.MANAGER_EMAIL, "member": MEMBER_EMAIL}


def demo_is_seeded() -> bool:
    return Programme.objects.filter(slug__in=[open_call.SLUG, PILOT_SLUG]).count() == 2


def demo_account(role: str):
    """The active demo account for `role` ("manager" or "member"), or None when the shortcut must not exist."""
    email = DEMO_ACCOUNT_EMAILS.get(role)
    if not settings.DEBUG or email is None or not demo_is_seeded():
        return None
    return get_user_model().objects.filter(email__iexact=email, is_active=True).first()


def demo_sign_in_offered() -> bool:
    return settings.DEBUG and demo_is_seeded()
