"""A cohort in the middle of its programme: two sessions held, coffee round 2 open, learning written."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import AvailabilityAnswer
from applications.models import Application, CandidateTime, Cohort, Programme
from cohort_site.members.models import Expense
from learning.enums import Visibility
from learning.models import Entry, ReadingTick
from pairings.models import Round
from pairings.services import pairs_plan, round_publish, rounds_sync
from sessions_app.models import Session
from tests.factories import (
    AttendanceFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    EntryFactory,
    MemberFactory,
    ProgrammeFactory,
    ReadingItemFactory,
    SessionFactory,
    SessionFeedbackFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    programme: Programme
    cohort: Cohort
    me: Application
    others: list[Application]
    sessions: list[Session]
    rounds: list[Round]
    tuesday: CandidateTime
    entries: list[Entry]
    expense: Expense
    now: datetime.datetime


def build_world(size: int) -> World:
    """`size` confirmed members (Morgan Reed first); sessions 1 and 2 attended by all; coffee rounds 1 and 2
    published (when there is anyone to pair); Morgan gave feedback on session 1 only, read one of two items,
    has a claim waiting, and wrote one group entry; each of up to three others wrote one too."""
    programme = ProgrammeFactory(title="Relationships at the heart of our work")
    cohort = CohortFactory(programme=programme, name="Group 1")
    tuesday = CandidateTimeFactory(programme=programme, weekday=1, start_time=datetime.time(10))
    thursday = CandidateTimeFactory(programme=programme, weekday=3, start_time=datetime.time(15))
    me = MemberFactory(cohort=cohort, name="Morgan Reed", email="morgan@example.org")
    others = [MemberFactory(cohort=cohort, name=f"Member {n:02d}") for n in range(1, size)]
    for member in [me, *others]:
        AvailabilityFactory(application=member, candidate_time=tuesday, answer=AvailabilityAnswer.YES)
        answer = AvailabilityAnswer.YES if member is me else AvailabilityAnswer.NO
        AvailabilityFactory(application=member, candidate_time=thursday, answer=answer)
    sessions = [SessionFactory(cohort=cohort, number=n, topic=f"Topic {n}") for n in range(1, 7)]
    rounds = rounds_sync(cohort=cohort)
    if others:
        pairs_plan(cohort=cohort, seed=3)
        for round_ in rounds[:2]:
            round_publish(round_=round_)
    for session in sessions[:2]:
        for member in [me, *others]:
            AttendanceFactory(session=session, member=member)
    SessionFeedbackFactory(session=sessions[0], member=me, rating=4)
    for member in others:
        SessionFeedbackFactory(session=sessions[0], member=member, rating=5)
    entries = [EntryFactory(cohort=cohort, authors=[me.user], title="Morgan's notes from session 1")]
    entries += [EntryFactory(cohort=cohort, authors=[m.user], title=f"Notes by {m.name}") for m in others[:3]]
    EntryFactory(cohort=cohort, authors=[me.user], title="Morgan's draft", visibility=Visibility.DRAFT)
    ReadingTick.objects.create(item=ReadingItemFactory(programme=programme), user=me.user)
    ReadingItemFactory(programme=programme)  # not read yet
    expense = Expense.objects.create(
        claimant=me.user,
        programme=programme,
        category="travel",
        amount=Decimal("12.50"),
        spent_on=datetime.date(2026, 11, 20),
        description="Train to the session",
        receipt=SimpleUploadedFile("receipt.pdf", PDF),
        receipt_mimetype="application/pdf",
        submission_token=uuid.uuid4(),
    )
    return World(
        programme=programme,
        cohort=cohort,
        me=me,
        others=others,
        sessions=sessions,
        rounds=rounds,
        tuesday=tuesday,
        entries=entries,
        expense=expense,
        now=sessions[1].ends_at + datetime.timedelta(days=1),
    )


@pytest.fixture
def world(db) -> World:
    return build_world(20)
