"""An offer's terms, one owner for each: when it lapses (the end of a day in the programme's time zone, however the
offer was made: chosen on the selection page, promoted from the waitlist, or moved on when a draft is sent) and
what its email says."""

import datetime

from django.utils import timezone

from cohort_site.core.dates import DAY, DAY_AT_TIME, date_text, local_text

from ..group_times import cohort_confirmed_time
from ..links import offer_url
from ..models import Application, ApplicationStatusChange, Programme

# Offers lapse at this local time on their last day.
OFFER_LAPSES_AT = datetime.time(23, 59)


def offer_expiry_on(*, programme: Programme, day: datetime.date) -> datetime.datetime:
    """The moment an offer whose last day is `day` lapses."""
    return datetime.datetime.combine(day, OFFER_LAPSES_AT, tzinfo=programme.tz)


def offer_expiry_default(*, programme: Programme, now: datetime.datetime) -> datetime.datetime:
    """An offer made at `now` without a chosen day: the programme's `offer_valid_for`, to the end of that day."""
    return offer_expiry_on(
        programme=programme, day=timezone.localdate(now + programme.offer_valid_for, programme.tz)
    )


def offer_expiry_after_wait(
    *,
    programme: Programme,
    expires_at: datetime.datetime,
    drafted_at: datetime.datetime,
    now: datetime.datetime,
) -> datetime.datetime:
    """An offer's clock starts when its email is sent: a draft sent days after it was made gives the applicant
    the same number of days to answer, so its last day moves on by the days the draft waited."""
    tz = programme.tz
    waited = timezone.localdate(now, tz) - timezone.localdate(drafted_at, tz)
    if waited.days <= 0:
        return expires_at
    return offer_expiry_on(programme=programme, day=timezone.localdate(expires_at, tz) + waited)


def offer_email(*, application: Application, change: ApplicationStatusChange) -> tuple[str, dict]:
    """The offer email's subject and its template's context (what it says when made, and again when a draft of
    it is sent days later)."""
    programme = application.programme
    cohort = change.cohort
    expires = application.offer_expires_at
    subject = f"[Action required] Confirm your place by {local_text(expires, programme.tz, DAY)}"
    weekly = cohort_confirmed_time(cohort) if cohort else None
    return subject, {
        "application": application,
        "programme": programme,
        "cohort": cohort,
        "first_session_week": date_text(cohort.first_session_week) if cohort else "",
        # "Tuesdays at 14:00" when the group's weekly time is known (composed with it, or confirmed); else "".
        "weekly_time": weekly.label if weekly else "",
        "deadline": local_text(expires, programme.tz, DAY_AT_TIME),
        "link": offer_url(application=application, offer=change),
    }
