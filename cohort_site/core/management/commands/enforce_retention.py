from django.core.management.base import BaseCommand

from cohort_site.core.backups.services import backup_retention
from cohort_site.core.retention import retention_enforce


class Command(BaseCommand):
    help = (
        "Apply every retention rule of the privacy page (/privacy/): delete or anonymise what has been kept as long "
        "as the page says. Idempotent; Celery beat runs it daily at 03:30. Backup archives keep what it removes until "
        "pruning deletes them (manage.py backup --prune)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")

    def handle(self, *args, dry_run, **options):
        verb = "would remove" if dry_run else "removed"
        for rule, counts in retention_enforce(dry_run=dry_run):
            done = ", ".join(f"{count} {what}" for what, count in counts.items())
            self.stdout.write(f"{rule.key} ({rule.days} days after {rule.after}): {verb} {done}.")
        # What went is still in the archives made before today; pruning ages them out (manage.py backup --prune).
        self.stdout.write(
            f"backups (at most {backup_retention().days} days after the archive was made): archives made before "
            "this run keep what it removed until pruning deletes them."
        )
