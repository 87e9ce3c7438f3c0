"""factory_boy factories for every model, so a test states only what it cares about."""

from .accounts import StaffFactory, UserFactory
from .applications import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    DropInFactory,
    ExpressionOfInterestFactory,
    MemberFactory,
    MemberOrganisationFactory,
    ProgrammeFactory,
    ProgrammeSectionFactory,
    QuestionFactory,
)
from .learning import EntryFactory, ReadingItemFactory, SessionFeedbackFactory, TopicFactory
from .network import NetworkEventFactory
from .pairings import RoundFactory
from .selection import application_in
from .sessions import AttendanceFactory, CohortScheduleFactory, GuestFactory, SessionFactory

__all__ = [
    "ApplicationFactory",
    "AttendanceFactory",
    "AvailabilityFactory",
    "CandidateTimeFactory",
    "CohortFactory",
    "CohortScheduleFactory",
    "DropInFactory",
    "EntryFactory",
    "ExpressionOfInterestFactory",
    "GuestFactory",
    "MemberFactory",
    "MemberOrganisationFactory",
    "NetworkEventFactory",
    "ProgrammeFactory",
    "ProgrammeSectionFactory",
    "QuestionFactory",
    "ReadingItemFactory",
    "RoundFactory",
    "SessionFactory",
    "SessionFeedbackFactory",
    "StaffFactory",
    "TopicFactory",
    "UserFactory",
    "application_in",
]
