"""Which schedule emails belong to a programme (the outbox's "Programme" filter, `cohort_site.mail.programmes`)."""

from cohort_site.mail.programmes import programme_rows

from .models import Session


@programme_rows("sessions_app.session")
def sessions_of(programme):
    return Session.objects.filter(cohort__programme=programme).values("pk")
