"""The applicant's answer to an offer (accept, decline, interest in a later group) and offers that run out."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cohort_site.core.dates import DAY_AT_TIME, local_text

from ..models import (
    Application,
    ApplicationStatusChange,
)
from .offer_terms import offer_email, offer_expiry_after_wait
from .status import S, TransitionRefused, application_set_status, current_offer

# --- The applicant's answer -------------------------------------------------------------------------------------


class OfferNotCurrent(Exception):
    """The link is for an earlier offer than the application's latest."""


def _member_account(application: Application):
    """The applicant's account, made on confirming; the click on the emailed link verifies the address."""
    User = get_user_model()
    user = application.user or User.objects.filter(email__iexact=application.email).first()
    if user is None:
        user = User.objects.create_user(
            email=application.email,
            name=application.name,
            organisation=application.organisation,
            role=application.role,
            accessibility_needs=application.accessibility_needs,
        )
    address = EmailAddress.objects.filter(user=user, email__iexact=application.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


@transaction.atomic
def offer_accept(
    *, application: Application, offer_id: int, now: datetime.datetime | None = None
) -> Application:
    """The applicant confirms their place: they become a member, with an account whose address is verified."""
    now = now or timezone.now()
    if application.offer_expires_at is not None and application.offer_expires_at <= now:
        raise TransitionRefused("This offer has expired.")
    confirmed = application_set_status(
        application=application,
        status=S.CONFIRMED,
        note="Confirmed through the emailed link.",
        now=now,
    )
    latest = (
        ApplicationStatusChange.objects.filter(application=confirmed, to_status=S.OFFERED)
        .order_by("-changed_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != offer_id:
        raise OfferNotCurrent()
    confirmed.user = _member_account(confirmed)
    confirmed.save(update_fields=["user", "updated_at"])
    application.user = confirmed.user
    return confirmed


@transaction.atomic
def offer_decline(*, application: Application, offer_id: int) -> Application:
    """The applicant turns the place down; it goes to the next person on the waitlist."""
    withdrawn = application_set_status(
        application=application,
        status=S.WITHDRAWN,
        note="Declined the offered place through the emailed link.",
    )
    latest = current_offer(withdrawn)
    if latest is None or latest.pk != offer_id:
        raise OfferNotCurrent()
    return withdrawn


def next_group_interest_record(*, application: Application) -> Application:
    """A declined applicant asks to be considered for a later group (once; a second click changes nothing)."""
    Application.objects.filter(pk=application.pk, next_group_interest_at__isnull=True).update(
        next_group_interest_at=timezone.now()
    )
    application.refresh_from_db(fields=["next_group_interest_at"])
    return application


# --- Offers that run out (called by the reminder kinds) ----------------------------------------------------------


def offer_expire(*, application: Application, now: datetime.datetime) -> Application:
    expired = local_text(application.offer_expires_at, application.programme.tz, DAY_AT_TIME)
    return application_set_status(
        application=application,
        status=S.OFFER_EXPIRED,
        note=f"No reply by {expired}.",
        now=now,
    )


# --- An offer whose email waited in the drafts ---------------------------------------------------------------------


@transaction.atomic
def offer_clock_start(
    *, offer: ApplicationStatusChange, now: datetime.datetime | None = None
) -> tuple[str, dict] | None:
    """The offer's email is being sent (it waited in the manager's drafts): the offer's last day moves on by the
    days it waited, so the applicant has the time the manager gave. Returns the email's subject and context as
    they now read, or None when the application has moved on from this offer (its email is out of date)."""
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "cohort")
        .get(pk=offer.application_id)
    )
    latest = current_offer(application)
    if (
        application.status != S.OFFERED
        or application.offer_expires_at is None
        or latest is None
        or latest.pk != offer.pk
    ):
        return None
    expires = offer_expiry_after_wait(
        programme=application.programme,
        expires_at=application.offer_expires_at,
        drafted_at=offer.changed_at,
        now=now,
    )
    if expires != application.offer_expires_at:
        application.offer_expires_at = expires
        application.save(update_fields=["offer_expires_at", "updated_at"])
    return offer_email(application=application, change=offer)
