"""What the applications app's drafts become as the manager sends them (see cohort_site.mail.drafts)."""

import datetime

from cohort_site.mail.drafts import DraftSent, Redraft, before_draft_sent
from cohort_site.mail.enums import EmailKind

from .enums import ApplicationStatus
from .models import ApplicationStatusChange
from .services import offer_clock_start


@before_draft_sent(EmailKind.DECISION_OFFERED)
def offers_start_their_clock(drafts: list[DraftSent], now: datetime.datetime) -> dict[int, Redraft | None]:
    """An offer's clock starts when its email is sent: its deadline moves on by the days the draft waited, and
    the email states the new one. An offer taken back (or answered) before its email went is out of date: the
    email is not sent. Its key is the status change that made the offer (`decision:<pk>`)."""
    by_offer = {int(d.key.removeprefix("decision:")): d for d in drafts if d.key.startswith("decision:")}
    offers = ApplicationStatusChange.objects.filter(pk__in=by_offer, to_status=ApplicationStatus.OFFERED)
    redrafts: dict[int, Redraft | None] = {}
    for offer in offers.select_related("cohort").order_by("pk"):
        message = offer_clock_start(offer=offer, now=now)
        email_id = by_offer[offer.pk].email_id
        redrafts[email_id] = Redraft(subject=message[0], context=message[1]) if message is not None else None
    return redrafts
