"""Retention rules of the applications app (applied by `enforce_retention`; see core/retention.py)."""

import datetime

from cohort_site.core.retention import Counts, retention_rule

from .personal_data import APPLICATION_FREE_TEXT
from .services import recruitment_purge


@retention_rule(
    "recruitment",
    order=10,
    setting="RECRUITMENT_RETENTION",
    kept="unsuccessful applications and all expressions of interest",
    after="the programme's application deadline",
)
def recruitment(now: datetime.datetime, dry_run: bool) -> Counts:
    result = recruitment_purge(now=now, dry_run=dry_run)
    return {"unsuccessful applications": result.applications, "expressions of interest": result.interests}


def member_answer_fields() -> list[str]:
    """The application's free text, less organisation and role: those stay with the member's name."""
    return [field for field in APPLICATION_FREE_TEXT if field not in ("organisation", "role")]
