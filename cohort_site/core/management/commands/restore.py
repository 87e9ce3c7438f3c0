"""`manage.py restore ARCHIVE`: a backup made by `manage.py backup` into an empty database and media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cohort_site.core.backups.archive import BackupError
from cohort_site.core.backups.databases import ENGINE_NAMES
from cohort_site.core.backups.services import RestoreReport, backup_restore
from cohort_site.core.words import counted


class Command(BaseCommand):
    help = (
        "Restore an archive made by manage.py backup into this site's database and MEDIA_ROOT, which must be "
        "empty (or --force), then print each table's row count in the archive beside the restored one."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive, e.g. cohort-20261129T023000Z.tar.gz.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even into a database or media folder that is not empty: every table and file there is "
            "deleted first.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            report = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.print_report(archive, report)
        if not report.same_secret_key:
            self.stdout.write(
                "This site's SECRET_KEY is not the one the archive was made with: links already emailed (applicants' "
                "private links, unsubscribe links) will not work and everyone must sign in again. Set SECRET_KEY to "
                "the old site's and restart."
            )
        if report.pending_migrations:
            count = len(report.pending_migrations)
            named = ", ".join(report.pending_migrations[:5]) + (", …" if count > 5 else "")
            self.stdout.write(
                f"The archive is from an earlier version: {counted(count, 'migration')} to apply ({named}). "
                "Run manage.py migrate."
            )
        if not report.matches:
            raise CommandError("What was restored does not match the archive's manifest (marked above).")

    def print_report(self, archive: Path, report: RestoreReport) -> None:
        manifest = report.manifest
        database = manifest.database
        self.stdout.write(
            f"Restored {archive.name}, made {manifest.made_at:%-d %B %Y %H:%M} UTC by version "
            f"{manifest.app_version} from {ENGINE_NAMES[database['vendor']]} {database['server_version']}."
        )
        width = max([len("files (MEDIA_ROOT)")] + [len(count.table) for count in report.tables])
        self.stdout.write(f"{'table':<{width}}  {'archive':>9}  {'restored':>9}")
        for count in report.tables:
            marker = "" if count.matches else "  <- differs"
            self.stdout.write(
                f"{count.table:<{width}}  {_number(count.archived):>9}  {_number(count.restored):>9}{marker}"
            )
        marker = "" if not report.file_problems else "  <- differs"
        self.stdout.write(
            f"{'files (MEDIA_ROOT)':<{width}}  {report.files_archived:>9,}  {report.files_restored:>9,}{marker}"
        )
        for problem in report.file_problems:
            self.stdout.write(f"  {problem}")
        if report.matches:
            tables, files = len(report.tables), report.files_archived
            self.stdout.write(
                f"All {counted(tables, 'table')} and {counted(files, 'file')} match the archive's "
                f"manifest ({report.seconds:.1f} s)."
            )


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
