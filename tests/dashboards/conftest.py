"""A group in the middle of its programme: two sessions held, coffee round 2 open, learning written (built by
tests/world.py's `group_world`; `World` and `build_world` are its names here)."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from tests.world import PDF
from tests.world import GroupWorld as World
from tests.world import group_world as build_world

__all__ = ["PDF", "World", "build_world", "world"]


@pytest.fixture
def world(db) -> World:
    world = build_world(20)
    # A process reads the content types once, on first use: read here, a page's query count is the page's own,
    # whichever test runs first.
    ContentType.objects.get_for_models(*apps.get_models())
    return world
