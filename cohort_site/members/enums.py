from django.db import models


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", "Travel"
    CARE = "care", "Care (childcare or caring for someone)"
    EQUIPMENT = "equipment", "Equipment"
    OTHER = "other", "Other"


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"
