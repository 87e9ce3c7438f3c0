import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from applications.models import Programme
from cohort_site.core.fields import BoundedTextField

from .enums import ExpenseCategory, ExpenseStatus


def receipt_path(expense: "Expense", filename: str) -> str:
    # The name the person gave the file is not trusted, nor kept on disk.
    extension = filename.rsplit(".", 1)[-1].lower()
    # MEDIA_ROOT is never served by URL: receipts reach people only through the permission-checked view.
    return f"private/receipts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Expense(models.Model):
    """An expense a member claims back: "free to join with expenses available where relevant"."""

    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expenses")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="expenses")
    category = models.CharField(max_length=12, choices=ExpenseCategory.choices)
    amount = models.DecimalField(
        "amount (£)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    spent_on = models.DateField("date of the expense")
    description = BoundedTextField(max_length=1000)
    receipt = models.FileField(upload_to=receipt_path, max_length=200)
    receipt_mimetype = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.SUBMITTED)
    rejection_reason = BoundedTextField(max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A double click or a resubmitted form sends the same token: the claim is stored once.
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"£{self.amount} {self.get_category_display().lower()} for {self.claimant}"
