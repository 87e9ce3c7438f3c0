"""A sharing event's calendar file, attached to the email that gives someone a place, to each update of its time,
length or link, and to each cancellation (core's calendar building)."""

from django.conf import settings

from cohort_site.core.calendar import CalendarEvent, build_calendar, uid_domain

from ..models import NetworkEvent


def event_calendar(event: NetworkEvent, *, method: str = "PUBLISH") -> bytes:
    """The event with its one UID and its current SEQUENCE: a first file and an update (a new time, length or
    link) are PUBLISH and replace the event in place; a cancellation (theirs or ours) is CANCEL."""
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
    return build_calendar([item], method=method)
