"""Coffee catch-up windows in each member's private calendar feed (the schedule app loads this module)."""

from cohort_site.core.calendar import CalendarEvent, uid_domain
from sessions_app.calendar import calendar_source

from .selectors import catch_up_windows_for


@calendar_source("coffee")
def coffee_windows(user):
    for window in catch_up_windows_for(user):
        programme = window.round.cohort.programme
        partners = ", ".join(window.partner_names)
        yield CalendarEvent(
            uid=f"coffee-round-{window.round.pk}-{user.pk}@{uid_domain()}",
            summary=f"Coffee pair: meet {partners}",
            starts_at=window.opens_at,
            ends_at=window.closes_at,
            tzid=programme.timezone,
            description=f"Any time in this window: half an hour with your coffee pair, {partners}.",
        )
