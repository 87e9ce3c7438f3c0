"""Retention rules of the mail app (applied by `enforce_retention`; see core/retention.py)."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from cohort_site.core.data_subjects import ERASED_DOMAIN
from cohort_site.core.retention import Counts, retention_rule

from .enums import EmailStatus
from .models import EmailAttachment, OutgoingEmail

REMOVED_SUBJECT = "(removed after its retention period)"


@retention_rule(
    "email_bodies",
    order=40,
    setting="EMAIL_BODY_RETENTION",
    kept="the address, subject, text and attachments of sent emails",
    after="the email was sent (or failed)",
)
def email_bodies(now: datetime.datetime, dry_run: bool) -> Counts:
    cutoff = now - settings.EMAIL_BODY_RETENTION
    emails = OutgoingEmail.objects.filter(
        status__in=[EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.SKIPPED], status_changed_at__lt=cutoff
    ).exclude(to__iendswith=f"@{ERASED_DOMAIN}", body_text="", body_html="", reply_to="")
    count = emails.count()
    if not dry_run:
        with transaction.atomic():
            EmailAttachment.objects.filter(email__in=emails).delete()
            # The row stays (a message of this kind went, when, to which account): unique keys keep it from
            # ever being sent again.
            emails.update(
                to=Concat(
                    models.Value("erased-"), Cast("pk", models.CharField()), models.Value(f"@{ERASED_DOMAIN}")
                ),
                reply_to="",
                subject=REMOVED_SUBJECT,
                body_text="",
                body_html="",
                last_error="",
                secrets={},
            )
    return {"emails": count}
