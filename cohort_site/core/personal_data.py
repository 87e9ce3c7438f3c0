from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session

from cohort_site.members.personal_data import (
    ERASED_NAME,
    DataSubject,
    erased_email,
    personal_data_source,
    rows,
)


@personal_data_source("account")
class AccountData:
    erase_order = 20  # last: other sources still find the person by the account's email

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        if subject.user is None:
            return {}
        user = subject.user
        return {
            "account": [
                {
                    "email": user.email,
                    "name": user.name,
                    "pronouns": user.pronouns,
                    "organisation": user.organisation,
                    "role": user.role,
                    "timezone": user.timezone,
                    "accessibility_needs": user.accessibility_needs,
                    "date_joined": user.date_joined,
                    "last_login": user.last_login,
                }
            ],
            "email_addresses": rows(EmailAddress.objects.filter(user=user), ["email", "verified", "primary"]),
        }

    def erase(self, subject: DataSubject) -> None:
        # Sign-in attempt logs record the address typed, with or without an account.
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=subject.email).delete()
        user = subject.user
        if user is None:
            return
        # The admin's history names the person in its descriptions of changes to their account.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
        ).delete()
        EmailAddress.objects.filter(user=user).delete()
        # Signing out everywhere: their sessions would otherwise outlive the account's identity.
        for session in Session.objects.all().iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                session.delete()
        user.email = erased_email(user.pk)
        user.name = ERASED_NAME
        user.pronouns = user.organisation = user.role = user.accessibility_needs = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
