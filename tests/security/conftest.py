import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from tests.security.world import NOW, build_world


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """One world per test module (of the module's WORLD_SIZE, default 1), inside a transaction rolled back at the module's end; each test runs in a
    savepoint within it (pytest-django's `db`), so what a test writes is undone before the next."""
    media = tmp_path_factory.mktemp("world-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(NOW, tick=False):
                world = build_world(size=getattr(request.module, "WORLD_SIZE", 1))
            yield world, media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(module_world, db, settings):
    """The site's world at NOW (tests/security/world.py)."""
    world, media = module_world
    settings.MEDIA_ROOT = media  # where its receipts were stored
    with time_machine.travel(NOW, tick=False):
        yield world
