from django.db.models import QuerySet
from django.utils import timezone

from .enums import ApplicationStatus
from .models import Application, Cohort, Programme


def programmes_published() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def programme_current() -> Programme | None:
    """The programme the home page shows: the published one whose deadline is soonest ahead, else the latest."""
    published = programmes_published()
    upcoming = published.filter(applications_close_at__gt=timezone.now()).order_by("applications_close_at")
    return upcoming.first() or published.order_by("-applications_close_at").first()


def cohort_members(cohort: Cohort) -> QuerySet[Application]:
    """The confirmed members of a cohort, as their applications (which carry organisation and availability)."""
    return (
        Application.objects.filter(cohort=cohort, status=ApplicationStatus.CONFIRMED)
        .select_related("user")
        .order_by("name", "pk")
    )
