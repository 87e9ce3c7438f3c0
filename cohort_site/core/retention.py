"""How long each kind of personal data is kept: the rules the privacy page states and `enforce_retention` applies.

Each rule reads its period from settings (so the page and the command can never disagree), touches only rows whose
period has passed (strictly: a row exactly at the end of its period stays), and is idempotent: a second run on the
same day finds nothing more. Anonymous counts (statuses, ratings, attendance, "we met" dates, amounts) stay.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from .data_subjects import ERASED_DOMAIN

Counts = dict[str, int]


@dataclass(frozen=True)
class RetentionRule:
    key: str
    setting: str  # the timedelta in settings; its environment variable is <setting>_DAYS
    kept: str  # what goes when the period ends, for the command's report
    after: str  # the moment the period starts from
    enforce: Callable[[datetime.datetime, bool], Counts]

    @property
    def period(self) -> datetime.timedelta:
        return getattr(settings, self.setting)

    @property
    def days(self) -> int:
        return self.period.days


def _recruitment(now: datetime.datetime, dry_run: bool) -> Counts:
    from applications.services import recruitment_purge

    result = recruitment_purge(now=now, dry_run=dry_run)
    return {"unsuccessful applications": result.applications, "expressions of interest": result.interests}


def member_answer_fields() -> list[str]:
    """The application's free text, less organisation and role: those stay with the member's name."""
    from applications.personal_data import APPLICATION_FREE_TEXT

    return [field for field in APPLICATION_FREE_TEXT if field not in ("organisation", "role")]


def _member_data(now: datetime.datetime, dry_run: bool) -> Counts:
    from applications.models import Application
    from learning.models import SessionFeedback, SurveyAnswer
    from sessions_app.models import Attendance, Session

    cutoff = now - settings.MEMBER_DATA_RETENTION
    finished = (
        Session.objects.values("cohort")
        .annotate(last=models.Max("ends_at"))
        .filter(last__lt=cutoff)
        .values("cohort")
    )
    answer_fields = member_answer_fields()
    answered = models.Q()
    for field in answer_fields:
        answered |= ~models.Q(**{field: ""})
    applications = Application.objects.filter(answered, cohort__in=finished)
    notes = Attendance.objects.filter(session__cohort__in=finished).exclude(note="")
    feedback = SessionFeedback.objects.filter(session__cohort__in=finished).exclude(
        what_worked="", what_to_change=""
    )
    answers = SurveyAnswer.objects.filter(response__member__cohort__in=finished).exclude(text="")
    counts = {
        "members' written answers": applications.count(),
        "attendance notes": notes.count(),
        "feedback comments": feedback.count(),
        "survey comments": answers.count(),
    }
    if not dry_run:
        with transaction.atomic():
            applications.update(**dict.fromkeys(answer_fields, ""))
            notes.update(note="")
            feedback.update(what_worked="", what_to_change="")
            answers.update(text="")
    return counts


def _expense_receipts(now: datetime.datetime, dry_run: bool) -> Counts:
    from cohort_site.members.enums import ExpenseStatus
    from cohort_site.members.models import Expense

    cutoff = now - settings.EXPENSE_RECEIPT_RETENTION
    expenses = (
        Expense.objects.filter(status__in=[ExpenseStatus.PAID, ExpenseStatus.REJECTED])
        .exclude(receipt="")
        .annotate(settled_at=Coalesce("paid_at", "decided_at"))
        .filter(settled_at__lt=cutoff)
    )
    count = expenses.count()
    if not dry_run:
        for expense in expenses:
            expense.receipt.delete(save=False)
            Expense.objects.filter(pk=expense.pk).update(receipt="")
    return {"receipts": count}


REMOVED_SUBJECT = "(removed after its retention period)"


def _email_bodies(now: datetime.datetime, dry_run: bool) -> Counts:
    from cohort_site.mail.enums import EmailStatus
    from cohort_site.mail.models import EmailAttachment, OutgoingEmail

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
            )
    return {"emails": count}


def _signin_logs(now: datetime.datetime, dry_run: bool) -> Counts:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    cutoff = now - settings.SIGNIN_LOG_RETENTION
    logs = [
        model.objects.filter(attempt_time__lt=cutoff)
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    ]
    sessions = Session.objects.filter(expire_date__lt=now)
    counts = {
        "sign-in records": sum(queryset.count() for queryset in logs),
        "expired sessions": sessions.count(),
    }
    if not dry_run:
        with transaction.atomic():
            for queryset in logs:
                queryset.delete()
            sessions.delete()
    return counts


RULES = [
    RetentionRule(
        "recruitment",
        "RECRUITMENT_RETENTION",
        "unsuccessful applications and all expressions of interest",
        "the programme's application deadline",
        _recruitment,
    ),
    RetentionRule(
        "member_data",
        "MEMBER_DATA_RETENTION",
        "members' written answers, attendance notes, feedback and survey comments",
        "their group's last session",
        _member_data,
    ),
    RetentionRule(
        "expense_receipts",
        "EXPENSE_RECEIPT_RETENTION",
        "receipts of paid or rejected expense claims",
        "the claim was paid or rejected",
        _expense_receipts,
    ),
    RetentionRule(
        "email_bodies",
        "EMAIL_BODY_RETENTION",
        "the address, subject, text and attachments of sent emails",
        "the email was sent (or failed)",
        _email_bodies,
    ),
    RetentionRule(
        "signin_logs",
        "SIGNIN_LOG_RETENTION",
        "records of sign-in attempts and lockouts",
        "the attempt",
        _signin_logs,
    ),
]


def retention_rules() -> dict[str, RetentionRule]:
    return {rule.key: rule for rule in RULES}


def retention_enforce(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[tuple[RetentionRule, Counts]]:
    """Apply every rule; returns what each removed (or would remove, with `dry_run`)."""
    now = now or timezone.now()
    return [(rule, rule.enforce(now, dry_run)) for rule in RULES]
