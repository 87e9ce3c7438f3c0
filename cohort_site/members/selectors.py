from django.db.models import QuerySet

from applications.models import Programme
from applications.selectors import memberships_of

from .enums import ExpenseStatus
from .models import Expense


def expenses_of(user) -> QuerySet[Expense]:
    return Expense.objects.filter(claimant=user).select_related("programme")


def expenses_for_review(*, status: str = "") -> QuerySet[Expense]:
    expenses = Expense.objects.select_related("claimant", "programme", "decided_by")
    return expenses.filter(status=status) if status else expenses


def expenses_awaiting_decision_count() -> int:
    return Expense.objects.filter(status=ExpenseStatus.SUBMITTED).count()


def programme_of_member(user) -> Programme | None:
    """The programme of the member's most recent confirmed place."""
    application = memberships_of(user).select_related("programme").order_by("-status_changed_at").first()
    return application.programme if application else None
