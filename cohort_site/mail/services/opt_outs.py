"""Who asked for no more of an optional kind: unsubscribe links (signed, no sign-in) and the profile's choices."""

from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from ..enums import OptionalEmail
from ..models import EmailOptOut

UNSUBSCRIBE_SALT = "mail.unsubscribe"


def unsubscribe_token(*, email: str, kind: str) -> str:
    return signing.dumps({"email": email.lower(), "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, email: str, kind: str) -> str:
    path = reverse("mail:unsubscribe", kwargs={"token": unsubscribe_token(email=email, kind=kind)})
    return f"{settings.SITE_URL}{path}"


def has_unsubscribe_link(text: str) -> bool:
    """Whether `text` already carries an unsubscribe link. Compared up to the token, which is signed with the time
    and so differs between the text (made when queued) and a link made when sent or shown."""
    before_token = reverse("mail:unsubscribe", kwargs={"token": "TOKEN"}).rsplit("TOKEN", 1)[0]
    return f"{settings.SITE_URL}{before_token}" in text


def is_opted_out(*, email: str, kind: str) -> bool:
    return EmailOptOut.objects.filter(email__iexact=email, kind=kind).exists()


def opted_out_addresses(*, kind: str) -> set[str]:
    """Every address (lower-case) that opted out of `kind`: read once for a batch of messages."""
    return {email.lower() for email in EmailOptOut.objects.filter(kind=kind).values_list("email", flat=True)}


def opt_out_record(*, email: str, kind: str) -> EmailOptOut:
    opt_out = EmailOptOut.objects.filter(email__iexact=email, kind=kind).first()
    if opt_out is not None:
        return opt_out
    try:
        with transaction.atomic():
            return EmailOptOut.objects.create(email=email.lower(), kind=kind)
    except IntegrityError:
        return EmailOptOut.objects.get(email__iexact=email, kind=kind)


def opt_out_remove(*, email: str, kind: str) -> int:
    """Opt the address back in to `kind` (they asked for it again, and confirmed). Returns how many went."""
    return EmailOptOut.objects.filter(email__iexact=email, kind=kind).delete()[0]


def opted_out_kinds(*, email: str) -> set[str]:
    return set(EmailOptOut.objects.filter(email__iexact=email).values_list("kind", flat=True))


@transaction.atomic
def email_preferences_set(*, email: str, wanted: Iterable[str]) -> None:
    """Opt the address out of every optional kind not in `wanted`, and back in to those that are."""
    wanted = set(wanted)
    EmailOptOut.objects.filter(email__iexact=email, kind__in=wanted).delete()
    for kind in set(OptionalEmail.values) - wanted:
        opt_out_record(email=email, kind=kind)
