"""How long the network pages keep what people gave them (applied by `enforce_retention`; core/retention.py)."""

import datetime

from django.conf import settings
from django.db import transaction

from cohort_site.core.data_subjects import ERASED_NAME
from cohort_site.core.retention import Counts, retention_rule
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import opted_out_addresses

from .enums import SubscriberStatus
from .models import DigestSubscriber, EventRegistration
from .services import registrations_erase


@retention_rule(
    "network",
    order=25,
    setting="RECRUITMENT_RETENTION",
    kept="sharing event registrations (names, organisations, addresses), digest sign-ups never confirmed, and "
    "the addresses of digest subscribers who unsubscribed",
    after="the event, or the sign-up",
)
def network_data(now: datetime.datetime, dry_run: bool) -> Counts:
    cutoff = now - settings.RECRUITMENT_RETENTION
    registrations = EventRegistration.objects.filter(event__starts_at__lt=cutoff).exclude(name=ERASED_NAME)
    unconfirmed = DigestSubscriber.objects.filter(status=SubscriberStatus.PENDING, created_at__lt=cutoff)
    gone = opted_out_addresses(kind=EmailKind.NETWORK_DIGEST)
    unsubscribed = [
        s.pk for s in DigestSubscriber.objects.filter(created_at__lt=cutoff) if s.email.lower() in gone
    ]
    counts = {
        "sharing event registrations": registrations.count(),
        "digest sign-ups never confirmed": unconfirmed.count(),
        "digest subscribers who unsubscribed": len(unsubscribed),
    }
    if not dry_run:
        with transaction.atomic():
            registrations_erase(registrations)
            unconfirmed.delete()
            DigestSubscriber.objects.filter(pk__in=unsubscribed).delete()
    return counts
