"""Which learning emails belong to a programme (the outbox's "Programme" filter, `cohort_site.mail.programmes`).
Sharing events and the digest belong to the wider network, not to a programme."""

from cohort_site.mail.programmes import programme_rows

from .models import Entry


@programme_rows("learning.entry")
def entries_of(programme):
    return Entry.objects.filter(programme=programme).values("pk")
