"""Backups proven by a restore. Each site here is a fresh interpreter running manage.py (in a subprocess with a clean
environment, as test_devserver does) on a temporary SQLite file or a temporary PostgreSQL database, never the test
database: the demo is seeded with receipts, `backup` archives it, `restore` puts it into an empty database and media
folder, and every table's row count and every file's checksum is compared with the manifest and with the source.
Then the demo member signs in with an emailed code and opens the dashboard, on the restored site.

The SQLite ones are marked `slow` (each starts manage.py; the module fixture seeds the demo in four): CI runs them on
Python 3.11 with the PostgreSQL ones, not again on 3.13."""

import datetime
import hashlib
import io
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from cohort_site.core.backups.services import backups_newest, backups_prune
from cohort_site.demo import pilot

# Settings the test suite puts in the environment; each site runs with its own.
TEST_ONLY_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "MEDIA_ROOT",
    "BACKUP_DIR",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
# Two claims by the demo member, each with a receipt under MEDIA_ROOT.
CLAIM_EXPENSES = f"""
import datetime, uuid
from decimal import Decimal
from django.core.files.uploadedfile import SimpleUploadedFile
from applications.models import Programme
from cohort_site.core.models import User
from cohort_site.members.services import expense_submit
member = User.objects.get(email={pilot.MEMBER_EMAIL!r})
programme = Programme.objects.get(slug={pilot.SLUG!r})
for name, content, mimetype in [("train.pdf", {PDF!r}, "application/pdf"), ("taxi.png", {PNG!r}, "image/png")]:
    expense_submit(
        claimant=member, programme=programme, category="travel", amount=Decimal("12.50"),
        spent_on=datetime.date(2026, 11, 20), description="To the session", receipt=SimpleUploadedFile(name, content),
        receipt_mimetype=mimetype, submission_token=uuid.uuid4(),
    )
"""
# The demo member signs in as members do, with a code emailed to them, and opens their dashboard.
SIGN_IN_AND_OPEN_DASHBOARD = f"""
import json, re
from django.core import mail
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()
client = Client()
client.post(reverse("account_request_login_code"), {{"email": {pilot.MEMBER_EMAIL!r}}})
code = re.search(r"^\\s*([A-Z0-9]{{3,4}}-?[A-Z0-9]{{3,4}})\\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
signed_in = client.post(reverse("account_confirm_login_code"), {{"code": code}})
dashboard = client.get(reverse("dashboards:member"))
print("RESULT", json.dumps({{
    "sign_in": [signed_in.status_code, signed_in["Location"]],
    "dashboard": dashboard.status_code,
    "headings": re.findall(r"<h[12][^>]*>(.*?)</h[12]>", dashboard.content.decode()),
}}))
"""
DASHBOARD_HEADINGS = [
    "Hello, Ada",
    "To do",
    "Next session",
    "The whole schedule",
    "Your coffee pair",
    "Latest from your group",
    "Your calendar feed",
    "Your profile",
]
REFUSED_NON_EMPTY_HINT = "Restore into an empty database and media folder, or pass --force to replace what is there with the archive."


@dataclass
class Site:
    """One installation: a database, a media folder and a backups folder, run through manage.py."""

    database_url: str
    media: Path
    backups: Path

    @property
    def sqlite_file(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    secret_key: str = "the-old-sites-secret-key"

    def environment(self) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
        return environment | {
            "DEBUG": "1",
            "PYTHONUNBUFFERED": "1",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media),
            "BACKUP_DIR": str(self.backups),
        }

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def run(self, *args: str) -> str:
        result = self.manage(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def seed_demo_with_receipts(self, *, migrate: bool = True) -> None:
        if migrate:
            self.run("migrate", "--verbosity=0")
        self.run("seed_demo")
        self.run("shell", "--command", CLAIM_EXPENSES)

    def back_up(self) -> Path:
        before = set(self.backups.glob("*.tar.gz"))
        self.run("backup")
        (archive,) = set(self.backups.glob("*.tar.gz")) - before
        return archive

    def sign_in_and_open_dashboard(self) -> dict:
        output = self.run("shell", "--command", SIGN_IN_AND_OPEN_DASHBOARD)
        return json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def media_checksums(root: Path) -> dict[str, dict]:
    """Every file under the folder, as the manifest records it: path -> size and SHA-256."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): {
            "size": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def archived_media(manifest: dict) -> dict[str, dict]:
    return {
        name.removeprefix("media/"): entry
        for name, entry in manifest["files"].items()
        if name.startswith("media/")
    }


def rewrite_archive(source: Path, target: Path, change) -> None:
    """A copy of the archive with `change(name, bytes) -> bytes` applied to each file in it."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original:
            content = change(member.name, original.extractfile(member).read())
            member.size = len(content)
            copy.addfile(member, io.BytesIO(content))


def assert_restored_exactly(site: Site, archive: Path, output: str, *, row_counts: dict, source_media: dict):
    manifest = manifest_of(archive)
    assert row_counts == manifest["row_counts"]
    assert media_checksums(site.media) == archived_media(manifest) == source_media
    assert len(source_media) == 2
    assert manifest["row_counts"]["members_expense"] == 2
    tables = len(manifest["row_counts"])
    assert output.splitlines()[-1].startswith(
        f"All {tables} tables and 2 files match the archive's manifest ("
    )
    assert site.sign_in_and_open_dashboard() == {
        "sign_in": [302, "/after-login/"],
        "dashboard": 200,
        "headings": DASHBOARD_HEADINGS,
    }


def test_prune_deletes_the_archives_not_kept_and_only_stale_leftovers(tmp_path, settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY = 2, 1
    now = datetime.datetime(2026, 11, 29, 2, 31, tzinfo=datetime.UTC)
    day_ago = (now - datetime.timedelta(days=1)).timestamp()
    names = [
        "cohort-20261126T023000Z.tar.gz",
        "cohort-20261127T023000Z.tar.gz",
        "cohort-20261128T023000Z.tar.gz",
        "cohort-20261129T023000Z.tar.gz",
        "cohort-20261128T023000Z.tar.gz.partial",  # a backup that died a day ago
        "cohort-20261129T023100Z.tar.gz.partial",  # one being written now
        "keep-me.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / ".work-crashed").mkdir()  # the working folder of a backup that died
    for stale in ("cohort-20261128T023000Z.tar.gz.partial", ".work-crashed"):
        os.utime(tmp_path / stale, (day_ago, day_ago))

    pruned = backups_prune(directory=tmp_path, now=now)

    assert pruned == ["cohort-20261126T023000Z.tar.gz", "cohort-20261127T023000Z.tar.gz"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "cohort-20261128T023000Z.tar.gz",
        "cohort-20261129T023000Z.tar.gz",
        "cohort-20261129T023100Z.tar.gz.partial",
        "keep-me.txt",
    ]
    assert backups_newest(tmp_path) == datetime.datetime(2026, 11, 29, 2, 30, tzinfo=datetime.UTC)
    assert backups_newest(tmp_path / "none-yet") is None


# --- SQLite ---------------------------------------------------------------------------------------------------------


def sqlite_row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        counts = {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables
        }
    connection.close()
    return counts


def sqlite_site(folder: Path) -> Site:
    return Site(f"sqlite:///{folder / 'db.sqlite3'}", folder / "media", folder / "backups")


def sqlite_copy(source: Path, target: Path) -> None:
    original, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        original.backup(copy)
    finally:
        original.close()
        copy.close()


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory) -> tuple[Site, Path]:
    """The demo with two receipts on SQLite, and its archive. Next to its database: a copy of it as `migrate`
    left it, before the demo was seeded (MIGRATED), so a test that needs a migrated site copies it rather than
    starting manage.py to migrate again."""
    site = sqlite_site(tmp_path_factory.mktemp("sqlite-source"))
    site.run("migrate", "--verbosity=0")
    sqlite_copy(site.sqlite_file, site.sqlite_file.with_name(MIGRATED))
    site.seed_demo_with_receipts(migrate=False)
    return site, site.back_up()


MIGRATED = "migrated.sqlite3"


def migrate(target: Site, source: Site) -> None:
    """The target as `migrate` leaves a new site: every table, no rows of ours (a copy of the source's)."""
    sqlite_copy(source.sqlite_file.with_name(MIGRATED), target.sqlite_file)


@pytest.fixture
def empty_sqlite_site(tmp_path) -> Site:
    return sqlite_site(tmp_path)


@pytest.mark.slow
def test_sqlite_backup_restores_into_an_empty_site_exactly(sqlite_source, empty_sqlite_site):
    source, archive = sqlite_source
    target = empty_sqlite_site

    output = target.run("restore", str(archive))

    source_counts = sqlite_row_counts(source.sqlite_file)
    restored_counts = sqlite_row_counts(target.sqlite_file)
    assert restored_counts == source_counts
    assert_restored_exactly(
        target, archive, output, row_counts=restored_counts, source_media=media_checksums(source.media)
    )
    assert output.splitlines()[1].split() == ["table", "archive", "restored"]
    assert [line.split() for line in output.splitlines() if line.startswith("members_expense ")] == [
        ["members_expense", "2", "2"]
    ]
    manifest = manifest_of(archive)
    assert (manifest["app_version"], manifest["database"]["vendor"], manifest["database"]["file"]) == (
        "0.1.0",
        "sqlite",
        "database.sqlite3",
    )
    members_migrations = sorted(
        path.stem for path in Path(settings.BASE_DIR, "cohort_site", "members", "migrations").glob("0*.py")
    )
    assert manifest["migrations"]["members"] == members_migrations


@pytest.mark.slow
def test_nightly_service_backs_up_at_start_then_waits_for_the_night_and_stops_when_docker_does(
    tmp_path, sqlite_source
):
    source, _archive = sqlite_source
    site = Site(source.database_url, source.media, tmp_path / "backups")  # no archive yet: one is due at once
    service = subprocess.Popen(
        [sys.executable, "manage.py", "backup", "--nightly"],
        cwd=settings.BASE_DIR,
        env=site.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(service.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("Next backup: ") for line in lines) and time.monotonic() < deadline:
            time.sleep(0.2)
        service.send_signal(signal.SIGTERM)  # what `docker compose stop` sends
        assert service.wait(timeout=30) == 0
    finally:
        service.kill()
        reader.join(timeout=5)

    (archive,) = site.backups.glob("cohort-*.tar.gz")
    assert [line.split(" to ")[0] for line in lines[:2]] == [
        f"Backing up into {site.backups} every night at 02:30 UK time.\n",
        f"Backed up {len(manifest_of(archive)['row_counts'])} tables "
        f"({sum(manifest_of(archive)['row_counts'].values()):,} rows) and 2 files",
    ]
    assert lines[2].startswith("Pruned 0 archives. Kept: the newest of each of the last 14 days")
    assert lines[3].startswith("Next backup: ") and lines[3].endswith(", 02:30 UK time.\n")


@pytest.mark.slow
def test_restore_refuses_a_database_that_is_not_empty(sqlite_source, empty_sqlite_site):
    source, archive = sqlite_source
    target = empty_sqlite_site
    migrate(target, source)
    before = sqlite_row_counts(target.sqlite_file)

    result = target.manage("restore", str(archive))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: Refused: the database already holds {len(before)} tables. {REFUSED_NON_EMPTY_HINT}"
    )
    assert sqlite_row_counts(target.sqlite_file) == before
    assert media_checksums(target.media) == {}


@pytest.mark.slow
def test_restore_refuses_a_media_folder_that_is_not_empty(sqlite_source, empty_sqlite_site):
    _source, archive = sqlite_source
    target = empty_sqlite_site
    (target.media / "private").mkdir(parents=True)
    (target.media / "private" / "left-behind.pdf").write_bytes(PDF)

    result = target.manage("restore", str(archive))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: Refused: the media folder {target.media} already holds 1 file. {REFUSED_NON_EMPTY_HINT}"
    )
    assert not target.sqlite_file.exists()


@pytest.mark.slow
def test_restore_with_force_replaces_what_is_there_and_warns_of_another_secret_key(
    sqlite_source, empty_sqlite_site
):
    source, archive = sqlite_source
    target = empty_sqlite_site
    target.secret_key = "a-new-key-nobody-copied-over"
    migrate(target, source)
    (target.media / "left-behind.pdf").parent.mkdir(parents=True)
    (target.media / "left-behind.pdf").write_bytes(PDF)

    output = target.run("restore", "--force", str(archive))

    assert sqlite_row_counts(target.sqlite_file) == manifest_of(archive)["row_counts"]
    assert media_checksums(target.media) == media_checksums(source.media)
    assert output.splitlines()[-2].startswith("All ")
    assert output.splitlines()[-1] == (
        "This site's SECRET_KEY is not the one the archive was made with: links already emailed (applicants' "
        "private links, unsubscribe links) will not work and everyone must sign in again. Set SECRET_KEY to the "
        "old site's and restart."
    )


@pytest.mark.slow
def test_restore_refuses_an_archive_from_newer_migrations(tmp_path, sqlite_source, empty_sqlite_site):
    source, _archive = sqlite_source
    # The source site as a later version would leave it: one more migration applied.
    newer = sqlite_site(tmp_path / "newer")
    newer.media = source.media
    newer.sqlite_file.parent.mkdir()
    with sqlite3.connect(source.sqlite_file) as original, sqlite3.connect(newer.sqlite_file) as copy:
        original.backup(copy)
        copy.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('members', '0002_from_the_future', '2027-01-01 00:00:00')"
        )
    archive = newer.back_up()
    target = empty_sqlite_site

    result = target.manage("restore", str(archive))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: Refused: the archive was made by a newer version of the site (0.1.0); its database has 1 "
        "migration this code does not have (members.0002_from_the_future). Deploy that version or a later one, "
        "then restore."
    )
    assert not target.sqlite_file.exists()
    assert media_checksums(target.media) == {}


@pytest.mark.slow
def test_restore_refuses_an_archive_whose_file_does_not_match_its_checksum(
    tmp_path, sqlite_source, empty_sqlite_site
):
    _source, archive = sqlite_source
    receipt = sorted(name for name in manifest_of(archive)["files"] if name.endswith(".png"))[0]
    corrupted = tmp_path / archive.name

    def flip_one_byte(name: str, content: bytes) -> bytes:
        return content[:100] + bytes([content[100] ^ 1]) + content[101:] if name == receipt else content

    rewrite_archive(archive, corrupted, flip_one_byte)
    target = empty_sqlite_site

    result = target.manage("restore", str(corrupted))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: {receipt} does not match its checksum in the manifest: the archive is corrupted."
    )
    assert not target.sqlite_file.exists()
    assert media_checksums(target.media) == {}


@pytest.mark.slow
def test_restore_refuses_an_archive_cut_short(tmp_path, sqlite_source, empty_sqlite_site):
    _source, archive = sqlite_source
    cut = tmp_path / archive.name
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = empty_sqlite_site

    result = target.manage("restore", str(cut))

    assert result.returncode == 1
    assert result.stderr.startswith(f"CommandError: The archive {archive.name} is damaged or cut short (")
    assert not target.sqlite_file.exists()


# --- PostgreSQL -----------------------------------------------------------------------------------------------------


def postgres_connect(database: str):
    server = settings.DATABASES["default"]
    connection = psycopg2.connect(
        dbname=database,
        user=server["USER"],
        password=server["PASSWORD"],
        host=server["HOST"],
        port=server["PORT"] or 5432,
    )
    connection.autocommit = True
    return connection


def postgres_url(database: str) -> str:
    server = settings.DATABASES["default"]
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    return f"postgres://{server['USER']}{password}@{server['HOST']}:{server['PORT'] or 5432}/{database}"


@pytest.fixture(scope="module")
def postgres_databases():
    """Creates temporary databases on the test server (a name each time it is called); drops them all at the end."""
    created: list[str] = []

    def create() -> str:
        name = f"cohort_backup_{secrets.token_hex(4)}"
        connection = postgres_connect("postgres")
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        created.append(name)
        return name

    yield create
    connection = postgres_connect("postgres")
    with connection.cursor() as cursor:
        for name in created:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def postgres_row_counts(database: str) -> dict[str, int]:
    connection = postgres_connect(database)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


@pytest.fixture(scope="module")
def postgres_source(tmp_path_factory, postgres_databases) -> tuple[Site, str, Path]:
    """The demo with two receipts on a PostgreSQL database of its own, and its archive."""
    folder = tmp_path_factory.mktemp("postgres-source")
    database = postgres_databases()
    site = Site(postgres_url(database), folder / "media", folder / "backups")
    site.seed_demo_with_receipts()
    return site, database, site.back_up()


@pytest.mark.postgres
def test_postgres_backup_restores_into_an_empty_database_exactly(
    tmp_path, postgres_source, postgres_databases
):
    source, source_database, archive = postgres_source
    target_database = postgres_databases()
    target = Site(postgres_url(target_database), tmp_path / "media", tmp_path / "backups")

    output = target.run("restore", str(archive))

    restored_counts = postgres_row_counts(target_database)
    assert restored_counts == postgres_row_counts(source_database)
    assert_restored_exactly(
        target, archive, output, row_counts=restored_counts, source_media=media_checksums(source.media)
    )
    manifest = manifest_of(archive)
    assert (manifest["database"]["vendor"], manifest["database"]["file"]) == ("postgresql", "database.pgdump")
    assert manifest["database"]["dump_tool"].startswith("pg_dump (PostgreSQL) ")


@pytest.mark.postgres
def test_postgres_restore_refuses_a_database_that_is_not_empty(tmp_path, postgres_source):
    source, source_database, archive = postgres_source
    # The source itself, with an empty media folder: its database is the one that is not empty.
    target = Site(source.database_url, tmp_path / "media", tmp_path / "backups")
    before = postgres_row_counts(source_database)

    result = target.manage("restore", str(archive))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: Refused: the database already holds {len(before)} tables and 1 function. "
        f"{REFUSED_NON_EMPTY_HINT}"
    )
    assert postgres_row_counts(source_database) == before


@pytest.mark.postgres
def test_postgres_restore_with_force_replaces_tables_and_functions(
    tmp_path, postgres_source, postgres_databases
):
    _source, _source_database, archive = postgres_source
    target_database = postgres_databases()
    target = Site(postgres_url(target_database), tmp_path / "media", tmp_path / "backups")
    target.run("migrate", "--verbosity=0")  # every table, and the trigger function behind the 20-place cap

    output = target.run("restore", "--force", str(archive))

    assert postgres_row_counts(target_database) == manifest_of(archive)["row_counts"]
    assert output.splitlines()[-1].startswith("All ")
