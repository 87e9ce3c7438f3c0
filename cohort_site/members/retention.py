"""Retention rules of the members app (applied by `enforce_retention`; see core/retention.py)."""

import datetime

from django.conf import settings
from django.db.models.functions import Coalesce

from cohort_site.core.retention import Counts, retention_rule

from .enums import ExpenseStatus
from .models import Expense


@retention_rule(
    "expense_receipts",
    order=30,
    setting="EXPENSE_RECEIPT_RETENTION",
    kept="receipts of paid or rejected expense claims",
    after="the claim was paid or rejected",
)
def expense_receipts(now: datetime.datetime, dry_run: bool) -> Counts:
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
