"""`make demo-reset`: the demo from the start, as a fresh clone sees it (development databases only)."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Delete everything in the database and seed the demo again (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_reset deletes every row; it runs with DEBUG on only, never in production."
            )
        call_command("flush", interactive=False, verbosity=0)
        if settings.EMBEDDED_BROKER_DIR:
            # Tasks queued for the old demo's rows would fail against the new one.
            shutil.rmtree(Path(settings.BASE_DIR, settings.EMBEDDED_BROKER_DIR), ignore_errors=True)
        call_command("seed_demo", verbosity=options["verbosity"])
