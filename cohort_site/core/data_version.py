"""A version of what the database holds, replaced after every write to it, so a page kept for someone (the member's
dashboard, `dashboards.member_page`) is never served after a change to what it may show.

Every statement Django sends that writes to a table (an INSERT, UPDATE or DELETE, whether from a model's save, a
queryset's `update()` or `bulk_create`, a migration or raw SQL through Django's connection) replaces two values:

- this process's own token, at once: a page this process renders after its own write, even inside a transaction
  not yet committed (a request's, a test's), is not the page from before it;
- the shared version in the cache, when the write is committed (at once in autocommit), so every other process,
  web or worker, sees it: a page another process renders from the rows before the commit is kept under the old
  version and never served under the new one.

A fresh value each time, never a counter, so an evicted version cannot come back to an old one. The tables of
sign-in sessions, sign-in attempts, the beat's heartbeat and the admin's log change with no page showing them, so
a sign-in or the beat does not send everyone's kept pages away.
"""

import re

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .cache_version import CacheVersion, new_value

VERSION_KEY = "data:version"
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)', re.I
)
UNSHOWN_TABLES = frozenset({"django_session", "core_heartbeat", "django_admin_log"})
UNSHOWN_PREFIXES = ("axes_",)


DATA = CacheVersion(VERSION_KEY, "Kept pages")
_process_token = new_value()


def process_token() -> str:
    """This process's token: replaced at once by each of its writes, committed or not."""
    return _process_token


def shared_version() -> str | None:
    """The version every process shares, or None when the cache cannot be reached (render in full)."""
    return DATA.current()


def shared_version_replace() -> None:
    # A function of its own (not the bound method), so a transaction's pending callbacks can be searched for it.
    # Kept pages live a minute at most (dashboards.member_page), so a replacement missed with the cache down is
    # short-lived.
    DATA.replace()


def writes_shown_table(sql: str) -> bool:
    """Whether `sql` writes to a table some page may show."""
    found = WRITE.match(sql)
    if found is None:
        return False
    table = found[1].lower()
    return table not in UNSHOWN_TABLES and not table.startswith(UNSHOWN_PREFIXES)


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # Nothing reads the version when no page is kept (MEMBER_PAGE_CACHE off: no shared cache), so no write pays.
    if settings.MEMBER_PAGE_CACHE and isinstance(sql, str) and writes_shown_table(sql):
        global _process_token
        _process_token = new_value()
        connection = context["connection"]
        if not connection.in_atomic_block:
            shared_version_replace()
        elif not any(func is shared_version_replace for _sids, func, _robust in connection.run_on_commit):
            # Once a transaction; again if a savepoint rolled back took the first one with it.
            transaction.on_commit(shared_version_replace, using=connection.alias)
    return result


def watch_writes(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """On each new database connection: note its writes. First in the list, so a wrapper another part installs
    for a while (`connection.execute_wrapper`) is the one its own exit removes."""
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _note_writes)


def connect_data_version() -> None:
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(watch_writes, dispatch_uid="core.data_version.watch_writes")
    # Connections opened before this ran (none in a web or worker process; the test runner's, perhaps).
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)
