"""Coffee rounds follow the group's sessions (the schedule app loads this module: see sessions_app/changes.py)."""

from applications.models import Cohort
from sessions_app.changes import schedule_listener

from .models import Round
from .services import rounds_sync


@schedule_listener("coffee-rounds")
def rounds_follow_sessions(cohort: Cohort) -> None:
    """Once a group's coffee rounds exist, each opens and closes with the sessions around it, wherever they
    have moved; before the manager plans any, nothing is created."""
    if Round.objects.filter(cohort=cohort).exists():
        rounds_sync(cohort=cohort)
