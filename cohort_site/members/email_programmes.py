"""Which expense emails belong to a programme (the outbox's "Programme" filter, `cohort_site.mail.programmes`)."""

from cohort_site.mail.programmes import programme_rows

from .models import Expense


@programme_rows("members.expense")
def expenses_of_programme(programme):
    return Expense.objects.filter(programme=programme).values("pk")
