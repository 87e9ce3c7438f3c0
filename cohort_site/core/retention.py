"""How long each kind of personal data is kept: the rules the privacy page states and `enforce_retention` applies.

Each app registers the rules for the data it holds in its own `retention.py` (core's AppConfig.ready imports them);
core's own rule, for sign-in records, is at the end of this module:

    @retention_rule(
        "expense_receipts",
        order=30,
        setting="EXPENSE_RECEIPT_RETENTION",
        kept="receipts of paid or rejected expense claims",
        after="the claim was paid or rejected",
    )
    def expense_receipts(now, dry_run) -> dict[str, int]: ...   # what went (or would go): label -> count

Each rule reads its period from settings (so the page and the command can never disagree), touches only rows whose
period has passed (strictly: a row exactly at the end of its period stays), and is idempotent: a second run on the
same day finds nothing more. Anonymous counts (statuses, ratings, attendance, "we met" dates, amounts) stay.
`order` places the rule in the command's report and in `retention_rules()`, whatever order the apps load in.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

Counts = dict[str, int]
Enforce = Callable[[datetime.datetime, bool], Counts]


@dataclass(frozen=True)
class RetentionRule:
    key: str
    order: int
    setting: str  # the timedelta in settings; its environment variable is <setting>_DAYS
    kept: str  # what goes when the period ends, for the command's report
    after: str  # the moment the period starts from
    enforce: Enforce

    @property
    def period(self) -> datetime.timedelta:
        return getattr(settings, self.setting)

    @property
    def days(self) -> int:
        return self.period.days


_RULES: dict[str, RetentionRule] = {}


def retention_rule(
    key: str, *, order: int, setting: str, kept: str, after: str
) -> Callable[[Enforce], Enforce]:
    def register(enforce: Enforce) -> Enforce:
        _RULES[key] = RetentionRule(
            key=key, order=order, setting=setting, kept=kept, after=after, enforce=enforce
        )
        return enforce

    return register


def retention_rules() -> dict[str, RetentionRule]:
    return {rule.key: rule for rule in sorted(_RULES.values(), key=lambda rule: (rule.order, rule.key))}


def retention_enforce(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[tuple[RetentionRule, Counts]]:
    """Apply every rule; returns what each removed (or would remove, with `dry_run`)."""
    now = now or timezone.now()
    return [(rule, rule.enforce(now, dry_run)) for rule in retention_rules().values()]


@retention_rule(
    "signin_logs",
    order=50,
    setting="SIGNIN_LOG_RETENTION",
    kept="records of sign-in attempts and lockouts",
    after="the attempt",
)
def signin_logs(now: datetime.datetime, dry_run: bool) -> Counts:
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
