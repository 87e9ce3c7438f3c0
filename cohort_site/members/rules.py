from applications.selectors import is_member
from cohort_site.core.rules import is_active_staff

from .models import Expense


def can_claim_expenses(user) -> bool:
    return is_member(user)


def can_view_expense(user, expense: Expense) -> bool:
    """The claimant and staff; nobody else learns the claim exists."""
    return is_active_staff(user) or (user.is_authenticated and expense.claimant_id == user.pk)
