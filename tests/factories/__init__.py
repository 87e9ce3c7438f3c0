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
from .pairings import RoundFactory
from .sessions import AttendanceFactory, SessionFactory

__all__ = [
    "ApplicationFactory",
    "AttendanceFactory",
    "AvailabilityFactory",
    "CandidateTimeFactory",
    "CohortFactory",
    "DropInFactory",
    "MemberFactory",
    "ProgrammeFactory",
    "RoundFactory",
    "SessionFactory",
    "StaffFactory",
    "UserFactory",
]
