"""Which coffee pair emails belong to a programme (the outbox's "Programme" filter, `cohort_site.mail.programmes`).
The monthly alumni coffee pairs mix groups, so they belong to no one programme."""

from cohort_site.mail.programmes import programme_rows

from .models import Pair


@programme_rows("pairings.pair")
def pairs_of(programme):
    return Pair.objects.filter(round__cohort__programme=programme).values("pk")
