"""What members hold about a person: expense claims and their receipts (see core/data_subjects.py)."""

from cohort_site.core.data_subjects import DataSubject, personal_data_source, rows

from .models import Expense


@personal_data_source("expenses")
class ExpenseData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        if subject.user is None:
            return {}
        return {
            "expense_claims": rows(
                Expense.objects.filter(claimant=subject.user),
                [
                    "pk",
                    "category",
                    "amount",
                    "spent_on",
                    "description",
                    "status",
                    "rejection_reason",
                    "created_at",
                ],
            )
        }

    def files(self, subject: DataSubject):
        if subject.user is None:
            return []
        return [
            (f"receipts/claim-{expense.pk}.{expense.receipt.name.rsplit('.', 1)[-1]}", expense.receipt)
            for expense in Expense.objects.filter(claimant=subject.user)
        ]

    def erase(self, subject: DataSubject) -> None:
        if subject.user is None:
            return
        # Amounts and dates stay for the accounts; what identifies the person and the receipts go.
        for expense in Expense.objects.filter(claimant=subject.user):
            expense.receipt.delete(save=False)
            expense.description = expense.rejection_reason = ""
            expense.receipt = ""
            expense.save(update_fields=["description", "rejection_reason", "receipt"])
