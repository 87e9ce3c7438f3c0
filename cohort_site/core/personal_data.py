from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from .data_subjects import (
    ERASED_NAME,
    DataSubject,
    erased_email,
    personal_data_records,
    personal_data_source,
    rows,
)


@personal_data_source("account")
class AccountData:
    erase_order = 20  # last: other sources still find the person by the account's email

    def names(self, subject: DataSubject) -> set[str]:
        return {subject.user.name, subject.user.email} if subject.user is not None else set()

    def admin_records(self, subject: DataSubject) -> list[tuple[type, list[int]]]:
        return [(get_user_model(), [subject.user.pk])] if subject.user is not None else []

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        # Sign-in attempts record the address typed, with or without an account.
        data = {
            "sign_ins": rows(
                AccessLog.objects.filter(username__iexact=subject.email).order_by("attempt_time", "pk"),
                ["attempt_time", "logout_time", "ip_address", "user_agent"],
            ),
            "failed_sign_ins": rows(
                AccessFailureLog.objects.filter(username__iexact=subject.email).order_by(
                    "attempt_time", "pk"
                ),
                ["attempt_time", "ip_address", "user_agent", "locked_out"],
            ),
            "sign_in_lockouts": rows(
                AccessAttempt.objects.filter(username__iexact=subject.email).order_by("attempt_time", "pk"),
                ["attempt_time", "ip_address", "user_agent", "failures_since_start"],
            ),
        }
        if subject.user is None:
            return data
        user = subject.user
        return data | {
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


def _admin_entries_about(subject: DataSubject):
    """The admin's history of changes to the records held about the person (account, applications, interests)."""
    condition = Q(pk__in=[])
    for model, pks in personal_data_records(subject):
        if pks:
            condition |= Q(
                content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
            )
    return LogEntry.objects.filter(condition)


@personal_data_source("admin_history")
class AdminHistoryData:
    # Before the applications source: it finds the applications by the address that source then erases.
    erase_order = 0

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        data = {
            "admin_changes_about_you": [
                {
                    "at": entry.action_time,
                    "action": entry.get_action_flag_display(),
                    "record": entry.object_repr,
                    "change": entry.get_change_message(),
                }
                for entry in _admin_entries_about(subject).order_by("action_time", "pk")
            ]
        }
        if subject.user is not None:
            data["your_admin_actions"] = [
                {
                    "at": entry.action_time,
                    "action": entry.get_action_flag_display(),
                    "record": entry.object_repr,
                    "change": entry.get_change_message(),
                }
                for entry in LogEntry.objects.filter(user=subject.user).order_by("action_time", "pk")
            ]
        return data

    def erase(self, subject: DataSubject) -> None:
        # Descriptions of changes to the person's records name them; what staff did to others' records stays.
        _admin_entries_about(subject).delete()
