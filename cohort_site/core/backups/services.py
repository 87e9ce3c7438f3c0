"""Backups proven by a restore: what `manage.py backup` and `manage.py restore` do.

A backup is one archive (archive.py) holding a consistent copy of the database (databases.py), every file under
MEDIA_ROOT (receipts) and a manifest: the app's version, the migrations applied, every table's row count and every
file's checksum. A restore checks the whole archive against its manifest before it changes anything, goes only into
an empty database and media folder (unless forced), refuses an archive whose database is from a newer version of
the code, and counts what it restored so the two can be compared line by line.
"""

import datetime
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cohort_site.core.words import counted

from .archive import (
    FORMAT,
    MEDIA,
    ArchiveWriter,
    BackupError,
    Manifest,
    RestoreRefused,
    archive_unpack,
    file_digest,
)
from .databases import (
    ENGINE_NAMES,
    database_clear,
    database_contents,
    database_copy,
    database_load,
    database_row_counts,
    database_vendor,
)
from .schedule import PARTIAL_SUFFIX, archive_moment, archive_name, archives_to_prune, longest_kept_days

WORK_PREFIX = ".work-"
STALE = datetime.timedelta(days=1)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest
    seconds: float

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class TableCount:
    table: str
    archived: int | None  # None: the table is not in the archive
    restored: int | None  # None: the table is not in the restored database

    @property
    def matches(self) -> bool:
        return self.archived == self.restored


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    tables: list[TableCount]
    files_archived: int
    files_restored: int  # files on disk whose size and checksum are the manifest's
    file_problems: list[str]
    pending_migrations: list[str]  # the code's migrations the archive's database has not had yet
    # False: links already emailed were signed with another SECRET_KEY, and will not work
    same_secret_key: bool
    seconds: float

    @property
    def matches(self) -> bool:
        return all(count.matches for count in self.tables) and not self.file_problems


def app_version() -> str:
    """The version in pyproject.toml, as the manifest records it."""
    try:
        with Path(settings.BASE_DIR, "pyproject.toml").open("rb") as stream:
            return tomllib.load(stream)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


@dataclass(frozen=True)
class BackupRetention:
    daily: int  # the newest archive of each of the last `daily` days is kept
    weekly: int  # and of each of the last `weekly` weeks
    days: int  # so none is older than this: how long erased or expired data stays in backups


def backup_retention() -> BackupRetention:
    """How long archives are kept (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY): what pruning applies, the privacy page
    states and enforce_retention repeats."""
    daily, weekly = settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY
    return BackupRetention(daily, weekly, longest_kept_days(keep_daily=daily, keep_weekly=weekly))


def secret_key_check() -> str:
    """Tells one SECRET_KEY from another without revealing it."""
    return salted_hmac("cohort_site.core.backups.secret-key-check", "backup").hexdigest()[:16]


def media_files(root: Path) -> list[Path]:
    """Every regular file under the folder, as paths relative to it, in order."""
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root) for path in root.rglob("*") if path.is_file() and not path.is_symlink()
    )


def backup_create(
    *, output_dir: Path | None = None, using: str = "default", now: datetime.datetime | None = None
) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT into `output_dir` (BACKUP_DIR); return it."""
    started = time.monotonic()
    now = now or timezone.now()
    output_dir = Path(output_dir or settings.BACKUP_DIR)
    media_root = Path(settings.MEDIA_ROOT)
    if output_dir.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"Backups must not go inside MEDIA_ROOT ({media_root}): each would hold the last.")
    output_dir.mkdir(parents=True, exist_ok=True)
    # The dump is written beside the archives (a volume with room for them), not in a small /tmp.
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=output_dir) as work:
        copy = database_copy(into=Path(work), using=using)
        writer = ArchiveWriter(output_dir / archive_name(now), mtime=now)
        try:
            writer.add_file(copy.path.name, copy.path)
            for relative in media_files(media_root):
                try:
                    writer.add_file(f"{MEDIA}/{relative.as_posix()}", media_root / relative)
                except FileNotFoundError:
                    continue  # deleted since the listing (a receipt past its retention): not in this archive
            manifest = Manifest(
                format=FORMAT,
                created_at=now.astimezone(datetime.UTC).isoformat(timespec="seconds"),
                app_version=app_version(),
                database={
                    "vendor": copy.vendor,
                    "file": copy.path.name,
                    "server_version": copy.server_version,
                    "dump_tool": copy.dump_tool,
                },
                migrations=copy.migrations,
                row_counts=copy.row_counts,
                files=writer.files,
                secret_key_check=secret_key_check(),
            )
            path = writer.finish(manifest)
        except BaseException:
            writer.abandon()
            raise
    return BackupResult(path=path, manifest=manifest, seconds=time.monotonic() - started)


def backups_prune(
    *,
    directory: Path | None = None,
    keep_daily: int | None = None,
    keep_weekly: int | None = None,
    now: datetime.datetime | None = None,
) -> list[str]:
    """Delete the archives the daily and weekly rules do not keep (BACKUP_KEEP_DAILY, BACKUP_KEEP_WEEKLY), and
    what a backup that died left behind a day ago or more. Returns the names of the archives deleted."""
    directory = Path(directory or settings.BACKUP_DIR)
    if not directory.is_dir():
        return []
    now = now or timezone.now()
    retention = backup_retention()
    doomed = archives_to_prune(
        [path.name for path in directory.iterdir()],
        keep_daily=retention.daily if keep_daily is None else keep_daily,
        keep_weekly=retention.weekly if keep_weekly is None else keep_weekly,
    )
    for name in doomed:
        (directory / name).unlink(missing_ok=True)
    for leftover in directory.iterdir():
        if not (leftover.name.endswith(PARTIAL_SUFFIX) or leftover.name.startswith(WORK_PREFIX)):
            continue
        modified = datetime.datetime.fromtimestamp(leftover.stat().st_mtime, tz=datetime.UTC)
        if now - modified < STALE:
            continue  # perhaps a backup still being written
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    return doomed


def backups_newest(directory: Path | None = None) -> datetime.datetime | None:
    """When the newest archive in the folder was made; None when there is none."""
    directory = Path(directory or settings.BACKUP_DIR)
    if not directory.is_dir():
        return None
    moments = [moment for path in directory.iterdir() if (moment := archive_moment(path.name))]
    return max(moments, default=None)


def migrations_unknown(applied: dict[str, list[str]]) -> list[str]:
    """The migrations in `applied` that this code does not have: the archive is from a newer version."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # a squashed migration stands for the ones it replaced
    return sorted(
        f"{app}.{name}" for app, names in applied.items() for name in names if (app, name) not in known
    )


def restore_target_refusal(*, using: str = "default") -> str | None:
    """Why the database and media folder are not an empty target for a restore; None when they are."""
    problems = []
    contents = database_contents(using)
    if contents:
        held = [counted(count, kind) for kind, count in contents.items()]
        problems.append(f"the database already holds {' and '.join(held)}")
    files = len(media_files(Path(settings.MEDIA_ROOT)))
    if files:
        problems.append(f"the media folder {settings.MEDIA_ROOT} already holds {counted(files, 'file')}")
    if not problems:
        return None
    return (
        f"Refused: {', and '.join(problems)}. Restore into an empty database and media folder, or pass --force "
        "to replace what is there with the archive."
    )


def backup_restore(*, archive: Path, force: bool = False, using: str = "default") -> RestoreReport:
    """Restore an archive into this site's database and MEDIA_ROOT; returns the counts to compare.

    Nothing is changed until the target is known to be empty (or `force` is given), every file in the archive has
    matched its checksum, the archive's database engine is this site's, and none of its migrations is unknown here.
    With `force`, every table and every file already there is deleted first.
    """
    started = time.monotonic()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    media_root = Path(settings.MEDIA_ROOT)
    if not force and (refusal := restore_target_refusal(using=using)):
        raise RestoreRefused(refusal)
    with tempfile.TemporaryDirectory(prefix="cohort-restore-") as staging:
        staged = Path(staging)
        manifest = archive_unpack(archive, staged)
        vendor = manifest.database["vendor"]
        if vendor != database_vendor(using):
            raise RestoreRefused(
                f"Refused: the archive holds a {ENGINE_NAMES[vendor]} database; this site runs on "
                f"{ENGINE_NAMES[database_vendor(using)]}."
            )
        if unknown := migrations_unknown(manifest.migrations):
            raise RestoreRefused(
                f"Refused: the archive was made by a newer version of the site ({manifest.app_version}); its "
                f"database has {counted(len(unknown), 'migration')} this code does not have "
                f"({', '.join(unknown)}). Deploy that version or a later one, then restore."
            )
        if force:
            database_clear(using)
            _media_clear(media_root)
        database_load(copy=staged / manifest.database["file"], vendor=vendor, using=using)
        _media_place(staged / MEDIA, media_root)
    return _restore_report(manifest, using=using, media_root=media_root, started=started)


def _media_clear(root: Path) -> None:
    if not root.is_dir():
        return
    for child in root.iterdir():  # the folder itself stays: it may be a mounted volume
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _media_place(staged: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for relative in media_files(staged):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged / relative, target)


def _restore_report(manifest: Manifest, *, using: str, media_root: Path, started: float) -> RestoreReport:
    restored = database_row_counts(using)
    tables = [
        TableCount(table, manifest.row_counts.get(table), restored.get(table))
        for table in sorted(set(manifest.row_counts) | set(restored))
    ]
    on_disk = {
        relative.as_posix(): file_digest(media_root / relative) for relative in media_files(media_root)
    }
    problems = []
    for name, expected in sorted(manifest.media_files.items()):
        if name not in on_disk:
            problems.append(f"{name}: missing")
        elif on_disk[name] != expected:
            problems.append(f"{name}: not the file in the archive")
    problems += [f"{name}: not in the archive" for name in sorted(set(on_disk) - set(manifest.media_files))]
    executor = MigrationExecutor(connections[using])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreReport(
        manifest=manifest,
        tables=tables,
        files_archived=len(manifest.media_files),
        files_restored=sum(1 for name, entry in manifest.media_files.items() if on_disk.get(name) == entry),
        file_problems=problems,
        pending_migrations=[f"{migration.app_label}.{migration.name}" for migration, _backwards in pending],
        same_secret_key=manifest.secret_key_check == secret_key_check(),
        seconds=time.monotonic() - started,
    )
