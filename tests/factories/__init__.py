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
    "GuestFactory",
    "MemberFactory",
    "ProgrammeFactory",
    "SessionFactory",
    "StaffFactory",
    "UserFactory",
    "application_in",
]
