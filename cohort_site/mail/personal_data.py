from django.db.models import Q
from django.utils.html import escape

from cohort_site.core.data_subjects import DataSubject, erased_email, personal_data_source, rows

from .enums import EmailStatus, SkipReason
from .models import EmailOptOut, OutgoingEmail
from .services import emails_set_status

QUOTE_ERASED = "(erased)"


def _emails_to(subject: DataSubject):
    condition = Q(to__iexact=subject.email)
    if subject.user is not None:
        condition |= Q(user=subject.user)
    return OutgoingEmail.objects.filter(condition)


@personal_data_source("emails")
class EmailData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        return {
            "emails_sent_to_you": rows(
                _emails_to(subject).order_by("created_at"),
                ["kind", "to", "subject", "body_text", "status", "skip_reason", "sent_at"],
            ),
            "email_opt_outs": rows(
                EmailOptOut.objects.filter(email__iexact=subject.email), ["kind", "created_at"]
            ),
        }

    def erase(self, subject: DataSubject) -> None:
        # Messages not sent (waiting, or failed) never will be: there is no one left to send them to.
        emails_set_status(
            emails=_emails_to(subject),
            status=EmailStatus.SKIPPED,
            current=[EmailStatus.QUEUED, EmailStatus.DRAFT, EmailStatus.FAILED],
            skip_reason=SkipReason.ERASED,
        )
        for email in _emails_to(subject):
            email.to = erased_email(email.pk)
            email.subject = "(erased)"
            email.body_text = email.body_html = email.last_error = ""
            email.original_subject = email.original_text = ""
            email.secrets = {}
            email.save(
                update_fields=[
                    "to",
                    "subject",
                    "body_text",
                    "body_html",
                    "last_error",
                    "secrets",
                    "original_subject",
                    "original_text",
                ]
            )
            email.attachments.all().delete()
        EmailOptOut.objects.filter(email__iexact=subject.email).delete()

    def redact_quoted(self, texts: set[str]) -> None:
        """Others' emails that copy what the person wrote (the manager's copy of an apology, a partner's
        introduction with their challenge) keep the rest of the message."""
        condition = Q()
        for text in texts:
            condition |= (
                Q(body_text__contains=text)
                | Q(body_html__contains=text)
                | Q(subject__contains=text)
                | Q(original_text__contains=text)
                | Q(original_subject__contains=text)
            )
        quoting = ("subject", "body_text", "body_html", "original_subject", "original_text")
        for email in OutgoingEmail.objects.filter(condition):
            for field in quoting:
                value = getattr(email, field)
                for text in sorted(texts, key=len, reverse=True):
                    value = value.replace(text, QUOTE_ERASED).replace(escape(text), QUOTE_ERASED)
                setattr(email, field, value)
            email.save(update_fields=list(quoting))
