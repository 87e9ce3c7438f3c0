"""The schedule tells selection the weekly time a group meets (see applications.group_times)."""

from applications.group_times import ConfirmedTime, confirmed_time_source
from applications.models import Cohort

from .models import CohortSchedule


@confirmed_time_source
def from_the_schedule(cohort: Cohort) -> ConfirmedTime | None:
    schedule = CohortSchedule.objects.filter(cohort=cohort).select_related("candidate_time").first()
    if schedule is None:
        return None
    return ConfirmedTime(
        weekday=schedule.weekday,
        start_time=schedule.start_time,
        candidate_time_id=schedule.candidate_time_id,
        candidate=schedule.candidate_time,
    )
