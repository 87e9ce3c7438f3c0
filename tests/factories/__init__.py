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

__all__ = [
    "ApplicationFactory",
    "AvailabilityFactory",
    "CandidateTimeFactory",
    "CohortFactory",
    "DropInFactory",
    "MemberFactory",
    "ProgrammeFactory",
    "StaffFactory",
    "UserFactory",
]
