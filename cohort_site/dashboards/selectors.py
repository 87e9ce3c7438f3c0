"""Reads for the two dashboards. Each section comes from the selector its own app already uses for its pages,
so a dashboard never disagrees with the page it links to."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import current_offer, offer_url
from cohort_site.members.enums import ExpenseStatus
from cohort_site.members.models import Expense
from cohort_site.members.selectors import expenses_of
from learning.enums import SurveyKind, Visibility
from learning.models import Entry
from learning.selectors import entries_visible_to, entries_with_related, feedback_for_member, reading_items_for
from pairings.selectors import CoffeeOverview, coffee_overview, member_of
from sessions_app.selectors import MemberSchedule, member_schedule

LATEST_ENTRIES = 5


@dataclass(frozen=True)
class Offer:
    application: Application
    url: str


@dataclass(frozen=True)
class ToDo:
    """What the member is asked to do next, most urgent first on the page."""

    offers: list[Offer]
    feedback_due: list  # learning.selectors.MemberFeedbackItem, unanswered session feedback
    surveys_due: list  # unanswered check-in and evaluation
    reading_done: int
    reading_total: int
    claims_open: list[Expense]

    @property
    def is_empty(self) -> bool:
        reading_left = self.reading_total > self.reading_done
        return not (self.offers or self.feedback_due or self.surveys_due or reading_left or self.claims_open)


@dataclass(frozen=True)
class MemberDashboard:
    schedule: MemberSchedule
    coffee: CoffeeOverview | None
    todo: ToDo
    latest_entries: list[Entry] = field(default_factory=list)


def member_offers(user) -> list[Offer]:
    """Places offered to the user and not yet answered, each with the link that confirms or declines it."""
    offered = Application.objects.filter(user=user, status=ApplicationStatus.OFFERED).select_related(
        "programme", "cohort"
    )
    offers = []
    for application in offered:
        offer = current_offer(application)
        if offer is not None:
            offers.append(Offer(application, offer_url(application=application, offer=offer)))
    return offers


def member_todo(user, *, now: datetime.datetime) -> ToDo:
    unanswered = [item for item in feedback_for_member(user, now=now) if not item.answered]
    reading = list(reading_items_for(user))
    return ToDo(
        offers=member_offers(user),
        feedback_due=[item for item in unanswered if item.kind == "session"],
        surveys_due=[item for item in unanswered if item.kind == "survey"],
        reading_done=sum(1 for item in reading if item.done),
        reading_total=len(reading),
        claims_open=list(
            expenses_of(user).filter(status__in=[ExpenseStatus.SUBMITTED, ExpenseStatus.APPROVED])
        ),
    )


def latest_group_entries(user, cohort_ids: list[int]) -> list[Entry]:
    """The newest entries shared with the user's groups (not drafts), as the learning list shows them."""
    if not cohort_ids:
        return []
    entries = (
        entries_visible_to(user)
        .filter(cohort_id__in=cohort_ids)
        .exclude(visibility=Visibility.DRAFT)
        .order_by("-created_at", "-pk")
    )
    return list(entries_with_related(entries)[:LATEST_ENTRIES])


def member_dashboard(user, *, now: datetime.datetime) -> MemberDashboard:
    schedule = member_schedule(user, now=now)
    member = member_of(user)
    return MemberDashboard(
        schedule=schedule,
        coffee=coffee_overview(member, now=now) if member is not None else None,
        todo=member_todo(user, now=now),
        latest_entries=latest_group_entries(user, [m.cohort_id for m in schedule.memberships]),
    )


