"""`manage.py backup`: one archive of the database and the uploaded files (see cohort_site/core/backups/).

With --nightly it runs until stopped (docker-compose's `backup` service): a backup at start if the newest archive is
a day old or there is none, then one every night at BACKUP_TIME, each followed by pruning.
"""

import datetime
import signal
import sys
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from cohort_site.core.backups.archive import BackupError
from cohort_site.core.backups.schedule import is_due, next_nightly_run
from cohort_site.core.backups.services import (
    backup_create,
    backup_retention,
    backups_newest,
    backups_prune,
)
from cohort_site.core.words import counted

LONGEST_SLEEP_SECONDS = 300  # wake now and then, so a changed clock (or a suspended host) is noticed


class Command(BaseCommand):
    help = (
        "Write one archive of the database (PostgreSQL: pg_dump -Fc; SQLite: a consistent copy), the uploaded "
        "files under MEDIA_ROOT and a manifest into BACKUP_DIR. Restore it with manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, help="Where the archive goes (default: BACKUP_DIR).")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Then delete the archives not kept: the newest of each of the last BACKUP_KEEP_DAILY days and of "
            "each of the last BACKUP_KEEP_WEEKLY weeks stay.",
        )
        parser.add_argument(
            "--nightly",
            action="store_true",
            help="Run until stopped: back up and prune every night at BACKUP_TIME (UK time), and at start when "
            "the newest archive is a day old.",
        )

    def handle(self, *args, output_dir: Path | None, prune: bool, nightly: bool, **options):
        output_dir = output_dir or Path(settings.BACKUP_DIR)
        if nightly:
            self.run_nightly(output_dir)
            return
        try:
            self.back_up(output_dir, prune=prune)
        except BackupError as error:
            raise CommandError(str(error)) from None

    def back_up(self, output_dir: Path, *, prune: bool) -> None:
        result = backup_create(output_dir=output_dir)
        manifest = result.manifest
        tables, files = len(manifest.row_counts), len(manifest.media_files)
        self.stdout.write(
            f"Backed up {counted(tables, 'table')} ({sum(manifest.row_counts.values()):,} rows) and "
            f"{counted(files, 'file')} to {result.path}: {filesizeformat(result.size)} in "
            f"{result.seconds:.1f} s."
        )
        if prune:
            pruned = backups_prune(directory=output_dir)
            retention = backup_retention()
            listed = f": {', '.join(pruned)}" if pruned else ""
            self.stdout.write(
                f"Pruned {counted(len(pruned), 'archive')}{listed}. Kept: the newest of each of the last "
                f"{retention.daily} days and of each of the last {retention.weekly} weeks (none older than "
                f"{retention.days} days)."
            )

    def run_nightly(self, output_dir: Path) -> None:
        # As PID 1 in a container, a signal without a handler is ignored: stop at once when docker stops us.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        at = datetime.time.fromisoformat(settings.BACKUP_TIME)
        local = timezone.get_default_timezone()
        self.stdout.write(f"Backing up into {output_dir} every night at {at:%H:%M} UK time.")
        if is_due(backups_newest(output_dir), timezone.now()):
            self.back_up_logging_failure(output_dir)
        while True:
            due = next_nightly_run(timezone.now(), at=at, tz=local)
            self.stdout.write(f"Next backup: {due:%A %-d %B %Y, %H:%M} UK time.")
            while (remaining := (due - timezone.now()).total_seconds()) > 0:
                time.sleep(min(remaining, LONGEST_SLEEP_SECONDS))
            self.back_up_logging_failure(output_dir)

    def back_up_logging_failure(self, output_dir: Path) -> None:
        """A failed night is reported and the next one tried: the service's health check shows the gap."""
        try:
            self.back_up(output_dir, prune=True)
        except Exception:  # the database away, a full disk: say so, and carry on
            self.stderr.write(f"The backup failed:\n{traceback.format_exc()}")
