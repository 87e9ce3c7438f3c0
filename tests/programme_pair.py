"""Two programmes running at once, each with one of every row the staff pages filter by programme: a group with
a session to come, an offer awaiting an answer, an expense to review, an entry awaiting sharing approval, a failed
email about its offer. For the tests of `?programme=<slug>` (cohort_site/core/programme_filter.py)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, Cohort, Programme
from cohort_site.mail.enums import EmailStatus
from cohort_site.mail.models import OutgoingEmail
from cohort_site.members.models import Expense
from learning.enums import Visibility
from learning.models import Entry
from sessions_app.models import Session
from tests.factories import (
    CohortFactory,
    EntryFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
    application_in,
)
from tests.mail.test_queue import queue_plain
from tests.world import expense_claimed


@dataclass
class ProgrammeRows:
    programme: Programme
    cohort: Cohort
    session: Session
    offered: Application
    expense: Expense
    entry: Entry
    failed_email: OutgoingEmail


def programme_rows(title: str, slug: str, *, opened_days_ago: int) -> ProgrammeRows:
    now = timezone.now()
    programme = ProgrammeFactory(
        title=title, slug=slug, applications_open_at=now - datetime.timedelta(days=opened_days_ago)
    )
    cohort = CohortFactory(programme=programme, number=1, name=f"{title} group")
    session = SessionFactory(cohort=cohort, number=1, starts_at=now + datetime.timedelta(days=10))
    offered = application_in(ApplicationStatus.OFFERED, cohort=cohort, name=f"Offered in {title}")
    expense = expense_claimed(
        claimant=UserFactory(),
        programme=programme,
        amount=Decimal("12.50"),
        spent_on=now.date(),
        description=f"Train to {title}",
    )
    entry = EntryFactory(
        cohort=cohort,
        title=f"Story of {title}",
        visibility=Visibility.GROUP,
        audience_requested=Visibility.PUBLIC,
    )
    failed = queue_plain(
        key=f"failed:{slug}", to=f"{slug}@example.org", subject=f"About {title}", about=offered
    )
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED)
    failed.refresh_from_db()
    return ProgrammeRows(programme, cohort, session, offered, expense, entry, failed)


def two_programmes() -> tuple[ProgrammeRows, ProgrammeRows]:
    """ "Newer" (applications opened 3 days ago) and "Older" (30 days ago): newest first in the select."""
    older = programme_rows("Older programme", "older", opened_days_ago=30)
    newer = programme_rows("Newer programme", "newer", opened_days_ago=3)
    return newer, older
