import pytest
import time_machine

from tests.security.world import NOW, build_world


@pytest.fixture
def world(db):
    """The site's world at NOW, with one of each thing (tests/security/world.py)."""
    with time_machine.travel(NOW, tick=False):
        yield build_world(size=1)
