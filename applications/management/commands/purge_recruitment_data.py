from django.conf import settings
from django.core.management.base import BaseCommand

from applications.services import recruitment_purge


class Command(BaseCommand):
    help = (
        "Delete unsuccessful applications and all expressions of interest for programmes whose application "
        "deadline passed more than RECRUITMENT_RETENTION_DAYS ago. Celery beat runs it daily at 03:30, with the other retention rules (enforce_retention)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; delete nothing.")

    def handle(self, *args, dry_run, **options):
        result = recruitment_purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.applications} unsuccessful applications and {result.interests} expressions of "
            f"interest (deadline more than {settings.RECRUITMENT_RETENTION.days} days ago)."
        )
