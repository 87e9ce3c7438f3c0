"""A sharing event's calendar file, attached to the email that gives someone a place (core's calendar building)."""

from django.conf import settings

from cohort_site.core.calendar import CalendarEvent, build_calendar, uid_domain

from ..models import NetworkEvent


def event_calendar(event: NetworkEvent) -> bytes:
    page = settings.SITE_URL + event.get_absolute_url()
    item = CalendarEvent(
        uid=f"sharing-event-{event.pk}@{uid_domain()}",
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        tzid=settings.TIME_ZONE,
        sequence=event.sequence,
        description=f"A sharing event for the Connection Coalition network.\nJoin: {event.video_link}\n{page}",
        location=event.video_link,
        url=page,
    )
    return build_calendar([item], method="PUBLISH")
