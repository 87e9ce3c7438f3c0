"""The database half of a backup, for each engine the site runs on: a consistent copy, the counts and migration state
of that same copy, whether a target is empty, and loading a copy into one.

PostgreSQL: `pg_dump -Fc` inside an exported snapshot, so the dump, the row counts and the migration state in the
manifest are of one moment while the site keeps running; `pg_restore` in a single transaction, so a restore that
fails leaves the target as empty as it was. SQLite: the sqlite3 backup API (a consistent copy even while another
process writes); the copy replaces the target file in one rename.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient

from .archive import BackupError

POSTGRES = "postgresql"
SQLITE = "sqlite"
DUMP_FILES = {POSTGRES: "database.pgdump", SQLITE: "database.sqlite3"}
ENGINE_NAMES = {POSTGRES: "PostgreSQL", SQLITE: "SQLite"}
# The tables whose rows are counted: in every schema but PostgreSQL's own (`schema.table` outside public).
_PG_TABLES = (
    "SELECT schemaname, tablename FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
)
# Everything a restore would collide with: relations and functions outside PostgreSQL's own schemas, but not those
# an extension owns, nor the sequences that belong to a table's column (they go with it).
_PG_OBJECTS = """
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
       c.oid::regclass::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
UNION ALL
SELECT 'ROUTINE', p.oid::regprocedure::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
"""
# The order they are dropped in, and the word for each in a refusal.
_PG_KINDS = {
    "VIEW": "view",
    "MATERIALIZED VIEW": "materialised view",
    "TABLE": "table",
    "SEQUENCE": "sequence",
    "ROUTINE": "function",
}
_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1"


@dataclass(frozen=True)
class DatabaseCopy:
    path: Path
    vendor: str
    server_version: str
    dump_tool: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]


def database_vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups cover PostgreSQL and SQLite; this database is {vendor}.")
    return vendor


def database_copy(*, into: Path, using: str) -> DatabaseCopy:
    """A consistent copy of the database in the folder `into`, with its row counts and migration state."""
    if database_vendor(using) == POSTGRES:
        return _postgres_dump(into / DUMP_FILES[POSTGRES], using)
    return _sqlite_copy(into / DUMP_FILES[SQLITE], using)


def database_contents(using: str) -> dict[str, int]:
    """What the database holds, by kind ("table": 51, "function": 1); empty for the empty target a restore wants.
    A missing SQLite file is empty."""
    if database_vendor(using) == SQLITE:
        path = _sqlite_path(using)
        if not path.exists() or path.stat().st_size == 0:
            return {}
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as probe:
            tables = _tables(probe.cursor(), SQLITE)
        probe.close()
        return {"table": len(tables)} if tables else {}
    contents: dict[str, int] = {}
    for kind, _name in _pg_objects(using):
        contents[_PG_KINDS[kind]] = contents.get(_PG_KINDS[kind], 0) + 1
    return contents


def database_row_counts(using: str) -> dict[str, int]:
    with connections[using].cursor() as cursor:
        return _row_counts(cursor, connections[using].vendor)


def database_clear(using: str) -> None:
    """Drop everything `database_contents` finds: `restore --force`. (SQLite: the restored file replaces it.)"""
    if database_vendor(using) == SQLITE:
        return
    objects = _pg_objects(using)
    with connections[using].cursor() as cursor:
        for kind in _PG_KINDS:
            names = [name for object_kind, name in objects if object_kind == kind]
            if names:  # regclass and regprocedure give names already quoted and qualified as needed
                cursor.execute(f"DROP {kind} IF EXISTS {', '.join(names)} CASCADE")


def database_load(*, copy: Path, vendor: str, using: str) -> None:
    """Load a copy made by `database_copy` (of this engine) into the database, which is empty or cleared."""
    if vendor == POSTGRES:
        _postgres_restore(copy, using)
    else:
        _sqlite_replace(copy, using)


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_objects(using: str) -> list[tuple[str, str]]:
    with connections[using].cursor() as cursor:
        cursor.execute(_PG_OBJECTS)
        return cursor.fetchall()


def _quote(qualified: str) -> str:
    """A table's name quoted for SQL: `schema.table` (PostgreSQL outside public) as two identifiers."""
    return ".".join(f'"{part}"' for part in qualified.split(".", 1))


def _qualified(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for this database: pg_dump and pg_restore read them, so a password never reaches argv."""
    settings_dict = connections[using].settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _pg_tool(tool: str, server_major: int) -> str:
    """The tool's version line, after checking it can read this server: an older pg_dump refuses a newer one."""
    try:
        version = subprocess.run(
            [tool, "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupError(
            f"{tool} is needed and could not be run ({error}): install postgresql-client."
        ) from None
    match = re.search(r"\)\s+(\d+)", version)
    if match and int(match.group(1)) < server_major:
        raise BackupError(
            f"{version} is older than the server (PostgreSQL {server_major}): install postgresql-client-"
            f"{server_major} (the Dockerfile's PG_MAJOR must match the db image)."
        )
    return version


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _postgres_dump(path: Path, using: str) -> DatabaseCopy:
    connection = connections[using]
    # A connection of our own, outside Django's transactions, holds the snapshot pg_dump reads.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot, version_num = cursor.fetchone()
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
            tool = _pg_tool("pg_dump", version_num // 10000)
            row_counts = _row_counts(cursor, POSTGRES)
            migrations = _migrations(cursor, row_counts)
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
                _pg_environment(using),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return DatabaseCopy(path, POSTGRES, server_version, tool, migrations, row_counts)


def _postgres_restore(path: Path, using: str) -> None:
    connection = connections[using]
    _pg_tool("pg_restore", connection.pg_version // 10000)
    connection.close()
    # Owners and grants are the old server's; on the new one everything belongs to the user the site connects as.
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        _pg_environment(using),
    )


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_path(using: str) -> Path:
    name = str(connections[using].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name!r} is not a file that can be backed up or restored.")
    return Path(name)


def _sqlite_copy(path: Path, using: str) -> DatabaseCopy:
    connection = connections[using]
    source = connection.get_new_connection(connection.get_connection_params())
    try:
        with sqlite3.connect(path) as target:
            source.backup(target)
        target.close()
    finally:
        source.close()
    with sqlite3.connect(path) as copy:
        cursor = copy.cursor()
        row_counts = _row_counts(cursor, SQLITE)
        migrations = _migrations(cursor, row_counts)
    copy.close()
    return DatabaseCopy(path, SQLITE, sqlite3.sqlite_version, "sqlite3 backup API", migrations, row_counts)


def _sqlite_replace(copy: Path, using: str) -> None:
    target = _sqlite_path(using)
    connections[using].close()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(copy, staged)
    # A journal left by the file being replaced must not be applied to the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    staged.replace(target)


# --- Both ---------------------------------------------------------------------------------------------------------


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == POSTGRES:
        cursor.execute(_PG_TABLES)
        return [_qualified(schema, table) for schema, table in cursor.fetchall()]
    cursor.execute(_SQLITE_TABLES)
    return [name for (name,) in cursor.fetchall()]


def _row_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, row_counts: dict[str, int]) -> dict[str, list[str]]:
    if "django_migrations" not in row_counts:
        return {}  # a database never migrated
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied
