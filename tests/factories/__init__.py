"""factory_boy factories for every model, so a test states only what it cares about."""

from .accounts import StaffFactory, UserFactory
from .applications import (
    ApplicationFactory,
    AvailabilityFactory,
    CandidateTimeFactory,
    CohortFactory,
    DropInFactory,
    MemberFactory,
    ProgrammeFactory,
)
from .learning import EntryFactory, ReadingItemFactory, SessionFeedbackFactory, TopicFactory
from .sessions import AttendanceFactory, SessionFactory

__all__ = [
    "ApplicationFactory",
    "AttendanceFactory",
    "AvailabilityFactory",
    "CandidateTimeFactory",
    "CohortFactory",
    "DropInFactory",
    "EntryFactory",
    "MemberFactory",
    "ProgrammeFactory",
    "ReadingItemFactory",
    "SessionFactory",
    "SessionFeedbackFactory",
    "StaffFactory",
    "TopicFactory",
    "UserFactory",
]
