"""Which recruitment emails belong to a programme (the outbox's "Programme" filter, `cohort_site.mail.programmes`)."""

from cohort_site.mail.programmes import programme_rows

from .models import Application, Cohort, ExpressionOfInterest


@programme_rows("applications.application")
def applications_of(programme):
    return Application.objects.filter(programme=programme).values("pk")


@programme_rows("applications.expressionofinterest")
def interest_in(programme):
    return ExpressionOfInterest.objects.filter(programme=programme).values("pk")


@programme_rows("applications.cohort")
def groups_of(programme):
    return Cohort.objects.filter(programme=programme).values("pk")
