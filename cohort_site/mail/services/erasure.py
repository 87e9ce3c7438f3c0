"""Stored emails outlive what they were about: when a record is erased, the copies of it in emails go too."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from ..models import EmailAttachment, OutgoingEmail

ERASED_BODY = "(Deleted: this message held personal data that has since been erased.)"


@transaction.atomic
def emails_about_erase(*, model: type[models.Model], ids: Iterable[int]) -> int:
    """Blank the text and delete the attachments of every email about the given rows of `model` (an
    application's confirmation quotes its answers). The rows stay, with their keys, so nothing is sent twice.
    Returns how many emails were blanked."""
    ids = list(ids)
    about = {"about_type": ContentType.objects.get_for_model(model), "about_id__in": ids}
    EmailAttachment.objects.filter(**{f"email__{field}": value for field, value in about.items()}).delete()
    return OutgoingEmail.objects.filter(**about).update(body_text=ERASED_BODY, body_html="", original_text="")
