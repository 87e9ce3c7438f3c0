"""A group in the middle of its programme: two sessions held, coffee round 2 open, learning written (built by
tests/world.py's `group_world`; `World` and `build_world` are its names here)."""

import pytest

from tests.world import PDF
from tests.world import GroupWorld as World
from tests.world import group_world as build_world

__all__ = ["PDF", "World", "build_world", "world"]


@pytest.fixture
def world(db) -> World:
    return build_world(20)
